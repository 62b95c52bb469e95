"""Stage 1 — load: read every file of a content tree into validated records.

Each file is decoded, parsed (keeping lines) and checked against its model in
:mod:`sunshine.content.model`.  Problems are collected, never raised one by
one; :func:`load_tree` returns the records it could build together with the
problems of the ones it could not, and the raw data of every file that was at
least a YAML mapping, so that :mod:`sunshine.content.validate` can still check
the references of a record that failed its model.
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

from .model import (
    INHERITED_KEYS,
    CatalogEntry,
    Department,
    Identified,
    Item,
    News,
    Page,
    Site,
    Synonyms,
    Window,
)
from .problems import Problem
from .yamlio import Parsed, YamlSyntaxError, decode, front_matter_unclosed, parse_yaml, split_front_matter

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
#: The 基本目录 of a city-wide tree: one file per entry, at the root of the tree only.
CATALOG_FOLDER: dict[str, tuple[type[Identified], str]] = {"catalog": (CatalogEntry, ".yaml")}
KNOWN_TOP = {"site.yaml", "synonyms.yaml", "forms", *RECORD_FOLDERS}
#: What the root of a tree may hold besides a center's own files.
KNOWN_ROOT_TOP = {*KNOWN_TOP, "catalog", "centers"}

M = TypeVar("M", bound=BaseModel)


_ALL_FOLDERS = {**CATALOG_FOLDER, **RECORD_FOLDERS}


@dataclass
class Loaded:
    """What the load stage produced for one center: records by kind, each file's parse and raw data, problems.

    Paths are relative to the center's own folder; ``prefix`` (``centers/<id>/``
    for a county, "" for the root) is put in front of them when problems are reported.
    The root's Loaded also holds the catalog (``records["catalog"]``) and the counties.
    """

    root: Path
    site: Site | None = None
    records: dict[str, dict[str, Identified]] = field(default_factory=lambda: {k: {} for k in _ALL_FOLDERS})
    #: folder → id → (file, raw mapping) for every record file that parsed, valid or not.
    raw: dict[str, dict[str, tuple[str, dict[str, Any]]]] = field(
        default_factory=lambda: {k: {} for k in _ALL_FOLDERS}
    )
    #: folder → ids of every file with a valid name, whatever its content (references to it are not dangling).
    ids: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in _ALL_FOLDERS})
    site_raw: dict[str, Any] | None = None
    parsed: dict[str, Parsed] = field(default_factory=dict)
    forms: list[str] = field(default_factory=list)
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: ``centers/<id>/`` for a county center, "" for the root.
    prefix: str = ""
    center_id: str = ""
    #: The Loaded whose ``catalog`` records items with ``base`` inherit from (the root's), if any.
    catalog_source: Loaded | None = field(default=None, repr=False)
    has_catalog: bool = False
    #: County centers in site.yaml ``centers`` order (root only).
    centers: dict[str, Loaded] = field(default_factory=dict)


def load_tree(root: Path) -> Loaded:
    """Read the tree under ``root`` with its catalog and county centers; never raises for bad content."""
    from .city import load_centers

    out = load_center(Path(root))
    if out.root.is_dir():
        load_centers(out)
    return out


def load_center(root: Path, catalog_source: Loaded | None = None) -> Loaded:
    """Read one center's files; the root of a tree (``catalog_source`` None) also reads ``catalog/``."""
    root = Path(root)
    out = Loaded(root)
    top = catalog_source is None
    out.catalog_source = out if top else catalog_source
    if not root.is_dir():
        out.problems.append(Problem(str(root), None, "", "内容目录不存在 (content folder not found)"))
        return out
    _load_site(root, out)
    folders = {**CATALOG_FOLDER, **RECORD_FOLDERS} if top else RECORD_FOLDERS
    out.has_catalog = top and (root / "catalog").is_dir()
    for folder, (model, suffix) in folders.items():
        directory = root / folder
        if directory.exists() and not directory.is_dir():
            out.problems.append(
                Problem(
                    folder,
                    None,
                    "",
                    f"{folder} 应为目录 (a folder is expected here)",
                    f"move the file away and create the folder {folder}/",
                )
            )
            continue
        for path in _list_dir(directory, root, out):
            record_id = _record_id(path, root, folder, suffix, out)
            if record_id is None:
                continue
            out.ids[folder].add(record_id)
            if suffix == ".md":
                record = _load_markdown_record(path, root, model, out, folder, record_id)
            else:
                record = _load_yaml_record(path, root, model, out, folder, record_id)
            if record is not None:
                record._id = record_id
                record._file = _rel(path, root)
                out.records[folder][record_id] = record
    _load_synonyms(root, out)
    forms_dir = root / "forms"
    if forms_dir.is_dir():
        try:
            out.forms = sorted(
                _rel(p, root) for p in forms_dir.rglob("*") if p.is_file() and not p.name.startswith(".")
            )
        except OSError as exc:
            out.problems.append(
                Problem("forms", None, "", f"无法读取 forms/ 目录 (unreadable): {exc.strerror}")
            )
    elif forms_dir.exists():
        out.problems.append(Problem("forms", None, "", "forms 应为目录 (a folder is expected here)"))
    known = KNOWN_ROOT_TOP if top else KNOWN_TOP
    for path in _list_dir(root, root, out):
        if path.name not in known:
            out.problems.append(
                Problem(
                    _rel(path, root),
                    None,
                    "",
                    "内容目录中的未知文件或目录，已忽略 (ignored)",
                    "see docs/editors.md for the layout",
                    severity="warning",
                )
            )
    return out


def _list_dir(directory: Path, root: Path, out: Loaded) -> list[Path]:
    """The visible entries of ``directory`` in name order; a problem instead of an exception if unreadable."""
    if not directory.is_dir():
        return []
    try:
        return sorted(p for p in directory.iterdir() if not p.name.startswith("."))
    except OSError as exc:
        out.problems.append(
            Problem(_rel(directory, root) or ".", None, "", f"无法读取目录 (unreadable): {exc.strerror}")
        )
        return []


def _load_site(root: Path, out: Loaded) -> None:
    site_path = root / "site.yaml"
    if site_path.is_file():
        parsed = _parse_file(site_path, root, out)
        if parsed is not None:
            out.site_raw = parsed.data
            out.site = _validate(Site, parsed.data, parsed, "site.yaml", out)
    elif site_path.exists():
        out.problems.append(
            Problem("site.yaml", None, "", "site.yaml 应为文件，而不是目录 (a file is expected)")
        )
    else:
        hint = (
            "the file name must be exactly site.yaml"
            if (root / "site.yml").exists()
            else "see docs/editors.md"
        )
        out.problems.append(
            Problem("site.yaml", None, "", "缺少 site.yaml (the center's own record is required)", hint)
        )


def _load_synonyms(root: Path, out: Loaded) -> None:
    path = root / "synonyms.yaml"
    if not path.exists():
        return
    if not path.is_file():
        out.problems.append(Problem("synonyms.yaml", None, "", "synonyms.yaml 应为文件 (a file is expected)"))
        return
    parsed = _parse_file(path, root, out, what="词条: [同义词, …]")
    if parsed is not None:
        syn = _validate(Synonyms, {"groups": parsed.data}, _shift(parsed), "synonyms.yaml", out)
        if syn is not None:
            out.synonyms = syn.groups


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _record_id(path: Path, root: Path, folder: str, suffix: str, out: Loaded) -> str | None:
    """The id of a record file, or None (with a problem) when its name breaks the contract."""
    rel = _rel(path, root)
    if path.is_dir():
        out.problems.append(
            Problem(
                rel,
                None,
                "",
                f"{folder}/ 下不应有子目录 (no sub-folders here)",
                f"each record is one {suffix} file directly in {folder}/",
            )
        )
        return None
    if path.suffix != suffix:
        out.problems.append(
            Problem(
                rel,
                None,
                "",
                f"文件扩展名应为 {suffix} (bad file name)",
                f"rename it to {_suggest_id(path.stem)}{suffix}",
            )
        )
        return None
    stem = path.stem
    if folder == "news":
        match = NEWS_NAME_RE.match(stem)
        if not match:
            out.problems.append(
                Problem(
                    rel,
                    None,
                    "",
                    "新闻文件名应为 YYYY-MM-DD-<id>.md (bad file name)",
                    "e.g. news/2010-06-01-kaiye-yishi.md; id: lowercase letters, digits and -",
                )
            )
            return None
        try:
            dt.date.fromisoformat(match.group(1))
        except ValueError:
            out.problems.append(
                Problem(
                    rel,
                    None,
                    "",
                    f"文件名中的日期 {match.group(1)} 不存在 (impossible date)",
                    "the file name starts with a real date YYYY-MM-DD",
                )
            )
            return None
        return stem
    if not ID_RE.match(stem):
        out.problems.append(
            Problem(
                rel,
                None,
                "",
                "文件名只能用小写字母、数字和 - (bad file name; it is the record's id and URL)",
                f"rename it to {_suggest_id(stem)}{suffix}",
            )
        )
        return None
    return stem


def _suggest_id(stem: str) -> str:
    """A contract-valid id close to ``stem``: lowercase, runs of anything else become one '-'."""
    from pypinyin import lazy_pinyin  # imported only for a bad name: Chinese names get their pinyin

    text = "-".join(lazy_pinyin(stem))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "record-id"


def _read_text(path: Path, root: Path, out: Loaded) -> str | None:
    rel = _rel(path, root)
    try:
        text = decode(path.read_bytes())
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        out.problems.append(
            Problem(
                rel,
                line,
                "",
                f"文件不是 UTF-8 编码 (not UTF-8; byte {exc.start})",
                "save the file as UTF-8 (in Notepad: Save As → Encoding UTF-8)",
            )
        )
        return None
    except OSError as exc:
        out.problems.append(Problem(rel, None, "", f"无法读取文件 (unreadable): {exc.strerror}"))
        return None
    if not text.strip():
        out.problems.append(
            Problem(rel, None, "", "文件为空 (empty file)", "delete it or fill in its fields")
        )
        return None
    return text


def _parse_file(
    path: Path, root: Path, out: Loaded, text: str | None = None, first_line: int = 1, what: str = "字段: 值"
) -> Parsed | None:
    """Parse a file (or the given front matter ``text``) into a mapping with lines, or report why not."""
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
        out.problems.append(
            Problem(
                rel,
                line,
                _dotted(key_path),
                "重复的字段 (duplicate key)",
                "keep only one; the last one would win",
            )
        )
    if parsed.data is None:
        out.problems.append(
            Problem(
                rel,
                first_line,
                "",
                "没有任何字段 (no keys: the file holds only comments)",
                "fill in the fields or delete the file",
            )
        )
        return None
    if not isinstance(parsed.data, dict):
        shape = (
            "列表 (a list)"
            if isinstance(parsed.data, list)
            else f"单个值 (a single value: {parsed.data!r:.40})"
        )
        out.problems.append(
            Problem(
                rel,
                parsed.line(()),
                "",
                f"顶层应为“{what}”的映射，而不是{shape}",
                "write one `key: value` per line at the left margin",
            )
        )
        return None
    out.parsed[rel] = parsed
    return parsed


def _load_yaml_record(
    path: Path, root: Path, model: type[M], out: Loaded, folder: str, record_id: str
) -> M | None:
    parsed = _parse_file(path, root, out)
    if parsed is None:
        return None
    rel = _rel(path, root)
    if folder == "items" and "base" in parsed.data:
        return _load_implementation(parsed, rel, out, record_id)  # type: ignore[return-value]
    out.raw[folder][record_id] = (rel, parsed.data)
    return _validate(model, parsed.data, parsed, rel, out)


def _load_implementation(parsed: Parsed, rel: str, out: Loaded, record_id: str) -> Item | None:
    """An item with ``base`` (实施清单): its own keys over those of its catalog entry, then its model.

    Inherited keys take the line of ``base:`` so that a problem with them points
    at the line that brought them in.  When the entry cannot be used (no
    catalog, unknown id, a broken entry file) the item is still checked, but
    not for what the entry would have given it: that problem is reported once,
    where it is.
    """
    own = parsed.data
    base = own.get("base")
    # The id as the model will read it (numbers are text); None when the value is not an id at all.
    base_id = str(base).strip() if isinstance(base, str | int) and not isinstance(base, bool) else None
    source = out.catalog_source
    base_line = parsed.line(("base",))
    entry_data: dict[str, Any] | None = None
    if base_id is not None and source is not None:
        if not source.has_catalog:
            out.problems.append(
                Problem(
                    rel,
                    base_line,
                    "base",
                    "内容根目录下没有 catalog/ 目录 (base needs the catalog)",
                    "base names a file catalog/<id>.yaml at the root of the tree",
                )
            )
        elif base_id not in source.ids["catalog"]:
            close = difflib.get_close_matches(base_id, sorted(source.ids["catalog"]), n=1, cutoff=0.6)
            out.problems.append(
                Problem(
                    rel,
                    base_line,
                    "base",
                    f"基本目录事项“{base_id}”不存在 (unknown catalog id)",
                    f'did you mean "{close[0]}"?' if close else f"create catalog/{base_id}.yaml or fix base",
                )
            )
        elif base_id in source.raw["catalog"]:
            entry_data = source.raw["catalog"][base_id][1]
    entry = source.records["catalog"].get(base_id or "") if source is not None else None
    entry_valid = entry_data is not None and entry is not None
    merged = dict(own)
    inherited: set[str] = set()
    if entry_data is not None:
        for key in INHERITED_KEYS:
            if key in entry_data and key not in own:
                merged[key] = entry_data[key]
                inherited.add(key)
        entry_limit = entry_data.get("time_limit")
        legal = entry_limit.get("legal") if isinstance(entry_limit, dict) else None
        own_limit = own.get("time_limit")
        if own_limit is None and "time_limit" not in own:
            merged["time_limit"] = {"legal": legal}
            inherited.add("time_limit")
        elif isinstance(own_limit, dict) and "legal" not in own_limit:
            merged["time_limit"] = {"legal": legal, **own_limit}
    lines = dict(parsed.lines)
    for key in inherited:
        lines[(key,)] = base_line or 1
    seen = Parsed(merged, lines, parsed.duplicates)
    out.parsed[rel] = seen
    out.raw["items"][record_id] = (rel, merged)

    def drop(error: dict[str, Any]) -> bool:
        top = next((p for p in error["loc"] if isinstance(p, str)), None)
        if entry_data is None:
            # Nothing could be inherited: what the entry would give is not reported missing.
            return error["type"] == "missing" and top in INHERITED_KEYS
        # A broken entry reports its own problems; they are not repeated on every item inheriting them.
        return not entry_valid and top in inherited

    item = _validate(Item, merged, seen, rel, out, drop=drop)
    if item is not None and entry is not None:
        names = {m.name for m in entry.materials}  # type: ignore[attr-defined]
        item._inherited = frozenset(inherited)
        if "materials" not in inherited:
            item._local_materials = tuple(i for i, m in enumerate(item.materials) if m.name not in names)
    return item


def _load_markdown_record(
    path: Path, root: Path, model: type[M], out: Loaded, folder: str, record_id: str
) -> M | None:
    rel = _rel(path, root)
    text = _read_text(path, root, out)
    if text is None:
        return None
    split = split_front_matter(text)
    if split is None:
        if front_matter_unclosed(text):
            out.problems.append(
                Problem(
                    rel,
                    1,
                    "",
                    "前置元数据没有结束行 --- (front matter not closed)",
                    "add a line with only --- after the keys",
                )
            )
        else:
            out.problems.append(
                Problem(
                    rel,
                    1,
                    "",
                    "缺少 YAML 前置元数据 (front matter)",
                    "start the file with a line ---, then the keys (title: …), then ---",
                )
            )
        return None
    front, body, _body_line = split
    if not front.strip():
        out.problems.append(Problem(rel, 1, "", "前置元数据为空 (empty front matter)", "add at least title:"))
        return None
    parsed = _parse_file(path, root, out, text=front, first_line=2)
    if parsed is None:
        return None
    out.raw[folder][record_id] = (rel, parsed.data)
    record = _validate(model, parsed.data, parsed, rel, out)
    if record is not None:
        record._body = body  # type: ignore[attr-defined]
    return record


def _shift(parsed: Parsed) -> Parsed:
    """The same parse seen from one level down (synonyms are validated under a 'groups' key)."""
    shifted = Parsed(parsed.data, {("groups", *k): v for k, v in parsed.lines.items()})
    shifted.lines[()] = parsed.lines.get((), 1)
    return shifted


def _validate(
    model: type[M],
    data: Any,
    parsed: Parsed,
    rel: str,
    out: Loaded,
    drop: typing.Callable[[dict[str, Any]], bool] | None = None,
) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            if drop is None or not drop(error):  # type: ignore[arg-type]
                out.problems.append(_problem_from(error, model, parsed, rel))
        return None
    except (
        RecursionError,
        ValueError,
        TypeError,
    ) as exc:  # a guard: pydantic reports bad data as ValidationError
        out.problems.append(Problem(rel, parsed.line(()), "", f"无法校验 (cannot validate): {exc}"))
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
    raw_loc = tuple(p for p in error["loc"] if p != "[key]")
    loc = raw_loc[1:] if model is Synonyms and raw_loc[:1] == ("groups",) else raw_loc
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    shown = _show(value)
    line = parsed.line(raw_loc)
    name = _dotted(loc)
    if kind == "missing":
        title = _field_title(model, loc)
        message = f"缺少必填字段{f'“{title}”' if title else ''} (required)"
        typo = _misspelt_as(str(loc[-1]), raw_loc[:-1], model, loc[:-1], parsed)
        if typo:
            return Problem(
                rel,
                parsed.lines[(*raw_loc[:-1], typo)],
                name,
                message,
                f'is "{typo}" a typo for "{loc[-1]}"?',
            )
        return Problem(rel, line, name, message, f"add `{loc[-1]}:` to this record")
    if kind == "extra_forbidden":
        known = _known_keys(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = f'did you mean "{close[0]}"?' if close else "known keys: " + ", ".join(known)
        return Problem(rel, line, name, "未知字段 (unknown key)", hint)
    if error["loc"][-1:] == ("[key]",) and kind == "literal_error":
        return Problem(
            rel,
            line,
            name,
            f"“{shown}”不是允许的名称 (not an allowed key)",
            f"use one of: {ctx.get('expected', '')}",
        )
    if value is None and (kind.endswith("_type") or kind in ("literal_error", "date_format")):
        return Problem(
            rel, line, name, "不能为空 (empty value)", "write a value after the colon or delete the key"
        )
    if kind == "literal_error":
        return Problem(
            rel,
            line,
            name,
            f"“{shown}”不在允许范围 (not one of the allowed words)",
            f"use one of: {ctx.get('expected', '')}",
        )
    if kind.startswith(("date", "datetime")):
        return Problem(
            rel,
            line,
            name,
            f"“{shown}”不是有效日期 (not a real date)",
            "write YYYY-MM-DD, a date that exists",
        )
    if kind.startswith("int") or kind in ("float_type", "finite_number"):
        return Problem(rel, line, name, f"“{shown}”应为整数 (not a whole number)")
    if kind.startswith("bool"):
        return Problem(rel, line, name, f"“{shown}”应为 true 或 false (not a yes/no value)")
    if kind in ("list_type", "tuple_type", "set_type"):
        return Problem(
            rel, line, name, "应为列表 (a list is expected)", "write each entry on its own line after '- '"
        )
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return Problem(
            rel,
            line,
            name,
            "应为“字段: 值”的映射 (a mapping is expected)",
            "write the keys indented under this one",
        )
    if kind == "string_type":
        return Problem(rel, line, name, f"应为文字，而不是“{shown}” (text is expected)", "quote the value")
    if kind == "too_short":
        return Problem(rel, line, name, "不能为空列表 (at least one entry is required)")
    if kind == "greater_than_equal":
        return Problem(rel, line, name, f"“{shown}”应大于等于 {ctx.get('ge')} (too small)")
    if kind == "less_than_equal":
        return Problem(rel, line, name, f"“{shown}”应小于等于 {ctx.get('le')} (too large)")
    if kind == "string_pattern_mismatch" and "http" not in str(ctx.get("pattern", "")):
        return Problem(
            rel, line, name, f"“{shown}”只能用小写字母、数字和 - (not an id)", "e.g. luochuan"
        )
    if kind == "string_pattern_mismatch":
        return Problem(
            rel, line, name, f"“{shown}”不是有效网址 (not a URL)", "start it with http:// or https://"
        )
    return Problem(rel, line, name, f"取值无效 (invalid value): {error['msg']}")


def _misspelt_as(
    key: str, where: tuple[Any, ...], model: type[BaseModel], loc: tuple[Any, ...], parsed: Parsed
) -> str | None:
    """An unknown key written beside a missing one that looks like it (``matrials`` for ``materials``)."""
    known = set(_known_keys(model, loc))
    siblings = [k[-1] for k in parsed.lines if len(k) == len(where) + 1 and k[:-1] == where]
    unknown = [k for k in siblings if isinstance(k, str) and k not in known]
    close = difflib.get_close_matches(key, unknown, n=1, cutoff=0.6)
    return close[0] if close else None


def _show(value: Any) -> str:
    """A value as the editor wrote it, cut short so one line stays one line."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= 40 else text[:37] + "…"


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
