"""Stage 1 — load: read every file of a content tree into validated records.

Each file is decoded, parsed (keeping lines) and checked against its model in
:mod:`sunshine.content.model`.  Problems are collected, never raised one by
one; :func:`load_tree` returns the records it could build together with the
problems of the ones it could not.  Rules that span records live in
:mod:`sunshine.content.validate`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .model import Department, Identified, Item, News, Page, Site, Synonyms, Window
from .problems import Problem
from .yamlio import Parsed, YamlSyntaxError, decode, parse_yaml, split_front_matter

ID_RE = re.compile(r"^[a-z0-9-]+$")
NEWS_NAME_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})-([a-z0-9-]+)$")

#: folder → (model, file suffix) for the one-file-per-record kinds.
RECORD_FOLDERS: dict[str, tuple[type[Identified], str]] = {
    "departments": (Department, ".yaml"),
    "windows": (Window, ".yaml"),
    "items": (Item, ".yaml"),
    "news": (News, ".md"),
    "pages": (Page, ".md"),
}
KNOWN_TOP = {"site.yaml", "synonyms.yaml", "forms", *RECORD_FOLDERS}

M = TypeVar("M", bound=BaseModel)


@dataclass
class Loaded:
    """What the load stage produced: records by kind, the parse of each file, and problems."""

    root: Path
    site: Site | None = None
    records: dict[str, dict[str, Identified]] = field(default_factory=lambda: {k: {} for k in RECORD_FOLDERS})
    parsed: dict[str, Parsed] = field(default_factory=dict)
    forms: list[str] = field(default_factory=list)
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def load_tree(root: Path) -> Loaded:
    """Read the whole tree under ``root``; never raises for bad content."""
    out = Loaded(root)
    if not root.is_dir():
        out.problems.append(Problem(str(root), None, "", "内容目录不存在 (content folder not found)"))
        return out
    site_path = root / "site.yaml"
    if site_path.is_file():
        out.site = _load_yaml_record(site_path, root, Site, out)
    else:
        out.problems.append(
            Problem("site.yaml", None, "", "缺少 site.yaml (the center's own record is required)")
        )
    for folder, (model, suffix) in RECORD_FOLDERS.items():
        directory = root / folder
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            if path.name.startswith("."):
                continue
            record_id = _record_id(path, root, folder, suffix, out)
            if record_id is None:
                continue
            if suffix == ".md":
                record = _load_markdown_record(path, root, model, out)
            else:
                record = _load_yaml_record(path, root, model, out)
            if record is not None:
                record._id = record_id
                record._file = _rel(path, root)
                out.records[folder][record_id] = record
    synonyms_path = root / "synonyms.yaml"
    if synonyms_path.is_file():
        parsed = _parse_file(synonyms_path, root, out)
        if parsed is not None:
            syn = _validate(Synonyms, {"groups": parsed.data}, _shift(parsed), _rel(synonyms_path, root), out)
            if syn is not None:
                out.synonyms = syn.groups
    forms_dir = root / "forms"
    if forms_dir.is_dir():
        out.forms = sorted(_rel(p, root) for p in forms_dir.rglob("*") if p.is_file() and not p.name.startswith("."))
    for path in sorted(root.iterdir()):
        if path.name not in KNOWN_TOP and not path.name.startswith("."):
            out.problems.append(
                Problem(_rel(path, root), None, "", "内容目录中的未知文件或目录，已忽略 (ignored)",
                        "see CONTENT-SPEC.md for the layout", severity="warning")
            )
    return out


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _record_id(path: Path, root: Path, folder: str, suffix: str, out: Loaded) -> str | None:
    """The id of a record file, or None (with a problem) when its name breaks the contract."""
    rel = _rel(path, root)
    if path.is_dir():
        out.problems.append(Problem(rel, None, "", f"{folder}/ 下不应有子目录 (no sub-folders here)"))
        return None
    if path.suffix != suffix:
        out.problems.append(
            Problem(rel, None, "", f"文件扩展名应为 {suffix} (bad file name)", f"rename it to {path.stem}{suffix}")
        )
        return None
    stem = path.stem
    if folder == "news":
        match = NEWS_NAME_RE.match(stem)
        if not match:
            out.problems.append(
                Problem(rel, None, "", "新闻文件名应为 YYYY-MM-DD-<id>.md (bad file name)",
                        "e.g. news/2010-06-01-kaiye-yishi.md; id: lowercase letters, digits and -")
            )
            return None
        try:
            dt.date.fromisoformat(match.group(1))
        except ValueError:
            out.problems.append(Problem(rel, None, "", f"文件名中的日期 {match.group(1)} 不存在 (impossible date)"))
            return None
        return stem
    if not ID_RE.match(stem):
        suggestion = re.sub(r"[^a-z0-9-]+", "-", stem.lower()).strip("-") or "item-id"
        out.problems.append(
            Problem(rel, None, "", "文件名只能用小写字母、数字和 - (bad file name; it is the record's id and URL)",
                    f"rename it to {suggestion}{suffix}")
        )
        return None
    return stem


def _read_text(path: Path, root: Path, out: Loaded) -> str | None:
    rel = _rel(path, root)
    try:
        text = decode(path.read_bytes())
    except UnicodeDecodeError as exc:
        out.problems.append(
            Problem(rel, None, "", f"文件不是 UTF-8 编码 (byte {exc.start})", "save the file as UTF-8")
        )
        return None
    except OSError as exc:
        out.problems.append(Problem(rel, None, "", f"无法读取文件: {exc.strerror}"))
        return None
    if not text.strip():
        out.problems.append(Problem(rel, None, "", "文件为空 (empty file)", "delete it or fill in its fields"))
        return None
    return text


def _parse_file(path: Path, root: Path, out: Loaded, text: str | None = None, first_line: int = 1) -> Parsed | None:
    rel = _rel(path, root)
    if text is None:
        text = _read_text(path, root, out)
        if text is None:
            return None
    try:
        parsed = parse_yaml(text, first_line)
    except YamlSyntaxError as exc:
        out.problems.append(Problem(rel, exc.line, "", exc.message, exc.hint))
        return None
    for key_path, line in parsed.duplicates:
        out.problems.append(Problem(rel, line, _dotted(key_path), "重复的字段 (duplicate key)", "keep only one"))
    if not isinstance(parsed.data, dict):
        out.problems.append(
            Problem(rel, parsed.line(()), "", "顶层应为“字段: 值”的映射 (a mapping of keys to values)")
        )
        return None
    out.parsed[rel] = parsed
    return parsed


def _load_yaml_record(path: Path, root: Path, model: type[M], out: Loaded) -> M | None:
    parsed = _parse_file(path, root, out)
    if parsed is None:
        return None
    return _validate(model, parsed.data, parsed, _rel(path, root), out)


def _load_markdown_record(path: Path, root: Path, model: type[M], out: Loaded) -> M | None:
    rel = _rel(path, root)
    text = _read_text(path, root, out)
    if text is None:
        return None
    split = split_front_matter(text)
    if split is None:
        out.problems.append(
            Problem(rel, 1, "", "缺少 YAML 前置元数据 (front matter)", "start the file with --- , the keys, then ---")
        )
        return None
    front, body, _body_line = split
    parsed = _parse_file(path, root, out, text=front, first_line=2)
    if parsed is None:
        return None
    record = _validate(model, parsed.data, parsed, rel, out)
    if record is not None:
        record._body = body  # type: ignore[attr-defined]
    return record


def _shift(parsed: Parsed) -> Parsed:
    """The same parse seen from one level down (synonyms are validated under a 'groups' key)."""
    shifted = Parsed(parsed.data, {("groups", *k): v for k, v in parsed.lines.items()})
    shifted.lines[()] = parsed.lines.get((), 1)
    return shifted


def _validate(model: type[M], data: Any, parsed: Parsed, rel: str, out: Loaded) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            out.problems.append(_problem_from(error, model, parsed, rel))
        return None


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def _problem_from(error: Any, model: type[BaseModel], parsed: Parsed, rel: str) -> Problem:
    """Turn one pydantic error into an editor-facing problem with a line and a hint."""
    loc = tuple(p for p in error["loc"] if p != "groups" or model is not Synonyms)
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    line = parsed.line(tuple(error["loc"]))
    name = _dotted(loc)
    if kind == "missing":
        title = _field_title(model, loc)
        return Problem(rel, line, name, f"缺少必填字段 (required){f'：{title}' if title else ''}",
                       f"add `{loc[-1]}:` to this record")
    if kind == "extra_forbidden":
        known = _known_keys(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = f'did you mean "{close[0]}"?' if close else "known keys: " + ", ".join(known)
        return Problem(rel, line, name, "未知字段 (unknown key)", hint)
    if value is None and kind.endswith("_type"):
        return Problem(rel, line, name, "不能为空 (empty value)", "write a value after the colon or delete the key")
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        return Problem(rel, line, name, f"取值“{value}”不在允许范围 (not one of the allowed words)",
                       f"use one of: {expected}")
    if kind.startswith("date") or kind.startswith("datetime"):
        return Problem(rel, line, name, f"“{value}”不是有效日期 (not a real date)",
                       "write YYYY-MM-DD, a date that exists")
    if kind.startswith("int") or kind == "float_type":
        return Problem(rel, line, name, f"“{value}”应为整数 (not a whole number)")
    if kind.startswith("bool"):
        return Problem(rel, line, name, f"“{value}”应为 true 或 false (not a yes/no value)")
    if kind in ("list_type", "tuple_type"):
        return Problem(rel, line, name, "应为列表 (a list is expected)", "write each entry on its own line after '- '")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return Problem(rel, line, name, "应为“字段: 值”的映射 (a mapping is expected)")
    if kind == "string_type":
        return Problem(rel, line, name, "应为文字 (text is expected)", "quote the value")
    if kind == "too_short":
        return Problem(rel, line, name, "不能为空列表 (at least one entry is required)")
    if kind == "greater_than_equal":
        return Problem(rel, line, name, f"“{value}”应大于等于 {ctx.get('ge')} (too small)")
    if kind == "less_than_equal":
        return Problem(rel, line, name, f"“{value}”应小于等于 {ctx.get('le')} (too large)")
    if kind == "string_pattern_mismatch":
        return Problem(rel, line, name, f"“{value}”不是有效网址 (not a URL)", "start it with http:// or https://")
    return Problem(rel, line, name, str(error["msg"]))


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that describes the mapping found at ``loc`` inside ``model``."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(str(part))
        if info is None:
            return None
        current = _unwrap(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """The model class inside Optional[...], list[...] and Annotated[...], if any."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _unwrap(arg)
            if isinstance(found, type) and issubclass(found, BaseModel):
                return found
        return None
    return annotation


def _known_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    found = _model_at(model, loc)
    return list(found.model_fields) if found else []


def _field_title(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    found = _model_at(model, loc[:-1])
    info = found.model_fields.get(str(loc[-1])) if found else None
    return (info.title or "") if info else ""
