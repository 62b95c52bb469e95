"""YAML and front-matter reading that keeps line numbers.

libyaml's C parser (``yaml.CSafeLoader``) composes the node tree, which
carries a start mark for every key and value.  The node tree is walked once
to record the line of every key path (and to find duplicate keys and
runaway aliases), then constructed into Python values.  This keeps the C
loader's speed (see bench/content_bench.py) and still lets every message
name the line of the offending key.

Two departures from plain YAML 1.1 protect editors from silent surprises:

* mapping keys are always text, exactly as written (``1:``, ``yes:`` and
  ``null:`` are the keys "1", "yes" and "null"), so an unknown key is
  reported under the name the editor typed;
* numbers are resolved as in YAML 1.2: ``012`` stays the text "012" (not
  octal 10) and ``8:30`` stays "8:30" (not sexagesimal 510), so window
  numbers, codes and times are shown exactly as written.  Integer fields
  still accept "012" (as 12).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[str | int, ...]

#: More nodes than this in one file means aliases are being expanded out of all proportion.
MAX_NODES = 200_000
#: No record of the contract nests deeper than about six levels.
MAX_DEPTH = 40

_INT_12 = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT_12 = re.compile(
    r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


class _ContractConstructor:
    """Mapping keys are text as written; a list or mapping as a key is an error with its line."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[str, Any]:  # type: ignore[misc]
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, "应为“字段: 值”的映射 (expected a mapping)", node.start_mark
            )
        self.flatten_mapping(node)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    "字段名应为文字 (a key must be plain text, not a list or mapping)",
                    key_node.start_mark,
                )
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


def _int_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:  # longer than Python's 4300-digit limit: the model reports it as text
        return loader.construct_scalar(node)


def _yaml12_resolvers() -> dict[str | None, list[tuple[str, re.Pattern[str]]]]:
    resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}
    for first, entries in yaml.CSafeLoader.yaml_implicit_resolvers.items():
        kept = [
            (tag, rx)
            for tag, rx in entries
            if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
        ]
        if kept:
            resolvers[first] = kept
    for first in "-+0123456789":
        resolvers.setdefault(first, []).append(("tag:yaml.org,2002:int", _INT_12))
    for first in "-+.0123456789":
        resolvers.setdefault(first, []).append(("tag:yaml.org,2002:float", _FLOAT_12))
    return resolvers


def make_loader(base: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    """``base`` (CSafeLoader, or SafeLoader to compare) with text keys, YAML 1.2 numbers, lenient dates."""
    loader = type(f"Contract{base.__name__}", (_ContractConstructor, base), {})
    loader.yaml_implicit_resolvers = _yaml12_resolvers()
    loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
    loader.add_constructor("tag:yaml.org,2002:int", _int_or_text)
    return loader


#: The loader every content file goes through: libyaml's C parser.
LOADER: type[yaml.SafeLoader] = make_loader(yaml.CSafeLoader)  # type: ignore[attr-defined]


@dataclass
class Parsed:
    """A parsed document: its data, the line of every key path, and any duplicate keys."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    duplicates: list[tuple[Path_, int]] = field(default_factory=list)

    def line(self, path: Path_) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


class YamlSyntaxError(Exception):
    """A document that is not usable YAML, with the line and a hint for the editor."""

    def __init__(self, line: int | None, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


def decode(raw: bytes) -> str:
    """UTF-8 text with an optional BOM; raises UnicodeDecodeError for anything else."""
    text = raw.decode("utf-8")
    return text[1:] if text.startswith("\ufeff") else text


def parse_yaml(text: str, first_line: int = 1) -> Parsed:
    """Parse one YAML document, recording the line of every mapping key and sequence entry."""
    loader = LOADER(text)
    try:
        node = loader.get_single_node()
        parsed = Parsed(None)
        if node is not None:
            parsed.lines[()] = node.start_mark.line + first_line
            _walk(node, parsed, first_line)
            parsed.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, first_line) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + first_line
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        raise YamlSyntaxError(
            line,
            f"文件含有不允许的控制字符 #x{code:04x} (control character)",
            "delete the invisible character; it often comes from copy and paste",
        ) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        # ValueError: e.g. an integer longer than Python's 4300-digit limit; TypeError: unhashable merges.
        detail = str(exc).replace("\n", " ")
        raise YamlSyntaxError(None, f"YAML 无法解析 (YAML error): {detail}") from None
    finally:
        loader.dispose()
    return parsed


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, first_line: int) -> YamlSyntaxError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + first_line if mark else None
    source_lines = text.splitlines()
    near = source_lines[max(mark.line - 1, 0) : mark.line + 1] if mark else []
    detail = " ".join(str(x).replace("\n", " ") for x in (exc.context, exc.problem) if x)
    if "expected a single document" in detail:
        return YamlSyntaxError(
            line,
            "一个文件只能有一个 YAML 文档 (found a second document)",
            "remove the extra '---' line; one record per file",
        )
    if isinstance(exc, yaml.constructor.ConstructorError) and exc.problem and not exc.problem.isascii():
        return YamlSyntaxError(line, exc.problem)
    if "\\t" in detail or any("\t" in x[: len(x) - len(x.lstrip())] for x in near):
        return YamlSyntaxError(
            line,
            "缩进中有制表符 (tab character in the indentation)",
            "YAML is indented with spaces, never tabs",
        )
    hint = ""
    if "found character" in detail or "mapping values are not allowed" in detail:
        hint = "quote the value if it contains special characters such as : # [ ] { }"
    elif "found undefined alias" in detail:
        hint = "an *alias needs an &anchor defined above it in the same file"
    return YamlSyntaxError(line, f"YAML 语法错误 (YAML syntax error): {detail}", hint)


def _walk(root: yaml.Node, parsed: Parsed, offset: int) -> None:
    """Record lines and duplicate keys without recursion; stop runaway aliases and nesting."""
    stack: list[tuple[yaml.Node, Path_]] = [(root, ())]
    count = 0
    while stack:
        node, path = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise YamlSyntaxError(
                parsed.lines.get(()),
                "文件过于庞大或别名展开过多 (too many values; runaway aliases?)",
                "split the record, or use fewer &anchor / *alias references",
            )
        if len(path) > MAX_DEPTH:
            raise YamlSyntaxError(
                node.start_mark.line + offset,
                f"嵌套超过 {MAX_DEPTH} 层 (nested too deeply)",
                "check the indentation, or an *alias inside its own &anchor",
            )
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *base` — its keys belong here
                    merged = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                    stack.extend((m, path) for m in merged)
                    continue
                key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
                child = (*path, key)
                if key in seen:
                    parsed.duplicates.append((child, key_node.start_mark.line + offset))
                seen.add(key)
                parsed.lines.setdefault(child, key_node.start_mark.line + offset)
                stack.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            for index, value_node in enumerate(node.value):
                child = (*path, index)
                parsed.lines.setdefault(child, value_node.start_mark.line + offset)
                stack.append((value_node, child))


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?", re.DOTALL | re.MULTILINE)
_FRONT_MATTER_OPEN = re.compile(r"\A---[ \t]*\r?\n")


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line where the body starts) or None when the file has no front matter."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return None
    body = text[match.end() :]
    return match.group(1), body, text[: match.end()].count("\n") + 1


def front_matter_unclosed(text: str) -> bool:
    """True when the file opens a front matter block with --- but never closes it."""
    return bool(_FRONT_MATTER_OPEN.match(text)) and split_front_matter(text) is None
