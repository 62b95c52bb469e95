"""Stage 2 — validate: the contract's rules that span fields and records.

Types, enumerations, required keys and unknown keys were checked by the
models during loading.  Here come the rules "beyond types" of the content
contract (docs/content-format.md: references exist, unique codes, promised ≤
legal, fully online means no visit, referenced forms exist) and the warnings
for data that is valid but probably not what the editor meant.

References are checked on the raw data of every file that parsed, not only
on the records that passed their model, so an item with a typo in ``type``
still has its dangling ``department`` reported in the same run.  A reference
to a record whose file exists but is broken is not dangling: that file has
its own problems.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any, Protocol, cast

from .load import Loaded, _dotted
from .model import CatalogEntry, Department, Item, News, Page, Window
from .problems import ContentError, Problem
from .tree import Content, merge_synonyms

KeyPath = tuple[str | int, ...]


class _Report(Protocol):
    def __call__(
        self, source: str, path: KeyPath, message: str, hint: str = "", severity: str = "error"
    ) -> None: ...


def validate(loaded: Loaded) -> Content:
    """Check ``loaded`` and return the linked :class:`Content`; raise ContentError listing every error.

    A city-wide tree is checked as a whole: the catalog, the root center and
    every county, with item codes unique across all of them; every problem of
    a county names its file from the root (``centers/<id>/items/x.yaml``).
    """
    from .city import root_center_id

    problems = list(loaded.problems)
    codes: dict[str, str] = {}
    catalog = cast(dict[str, CatalogEntry], loaded.records["catalog"])
    _check_catalog(loaded, problems)
    root = _validate_center(loaded, problems, codes, catalog, fallback_rounds=None)
    root_rounds = _known_rounds(loaded, None)
    counties: dict[str, Content | None] = {}
    for cid, center in loaded.centers.items():
        counties[cid] = _validate_center(center, problems, codes, catalog, fallback_rounds=root_rounds)

    errors = [p for p in problems if p.severity == "error"]
    warnings = sorted(p for p in problems if p.severity == "warning")
    if errors or root is None or any(c is None for c in counties.values()):
        raise ContentError(
            errors or [Problem("site.yaml", None, "", "site.yaml 无法读取 (unreadable)")], warnings
        )
    root.warnings = warnings
    root.center_id = root_center_id(loaded)
    root.catalog = dict(sorted(catalog.items()))
    for cid, county in counties.items():
        assert county is not None
        county.center_id = cid
        county.url_prefix = f"/{cid}"
        county.catalog = root.catalog
        county.city = root
        # A county's search knows the city's synonyms too (CONTENT-SPEC: merged with the root's).
        county.synonyms = merge_synonyms(root.synonyms, county.synonyms)
        root.centers[cid] = county
    return root


def _validate_center(
    loaded: Loaded,
    problems: list[Problem],
    codes: dict[str, str],
    catalog: dict[str, CatalogEntry],
    fallback_rounds: set[int] | None,
) -> Content | None:
    """Check one center; add its problems (paths from the root of the tree) to ``problems``."""
    prefix = loaded.prefix
    if prefix:
        problems.extend(replace(p, path=prefix + p.path) for p in loaded.problems)

    def at(source: str, path: KeyPath, message: str, hint: str = "", severity: str = "error") -> None:
        parsed = loaded.parsed.get(source)
        line = parsed.line(path) if parsed else None
        problems.append(Problem(prefix + source, line, _dotted(path), message, hint, severity))

    _check_references(loaded, at, codes, fallback_rounds)
    _check_site(loaded, at)
    items = cast(dict[str, Item], loaded.records["items"])
    windows = cast(dict[str, Window], loaded.records["windows"])
    for item in items.values():
        _check_item(item, at, catalog)
        _check_item_windows(item, windows, at)
    _check_windows(windows, at)
    for record in cast(dict[str, News], loaded.records["news"]).values():
        if not record.id.startswith(record.date.isoformat()):
            at(
                record.file,
                ("date",),
                f"日期 {record.date} 与文件名中的日期不一致 (date differs from the file name)",
                "rename the file or correct the date",
                severity="warning",
            )
    if loaded.site is None:
        return None
    departments = cast(dict[str, Department], loaded.records["departments"])
    return Content(
        root=loaded.root,
        site=loaded.site,
        departments=dict(sorted(departments.items())),
        windows=dict(sorted(windows.items(), key=lambda kv: (kv[1].number, kv[0]))),
        items=dict(sorted(items.items())),
        news=dict(sorted(loaded.records["news"].items())),  # type: ignore[arg-type]
        pages=cast(dict[str, Page], dict(sorted(loaded.records["pages"].items()))),
        forms=loaded.forms,
        synonyms=loaded.synonyms,
    )


# --- references, on raw data --------------------------------------------------


def _check_references(
    loaded: Loaded, at: _Report, codes: dict[str, str], fallback_rounds: set[int] | None = None
) -> None:
    """Every id, round and form path that a window or item names exists; item codes are unique.

    ``codes`` (code → file, from the root of the tree) is shared by every center
    of a city-wide tree: a code is unique across all of them.
    """
    departments = loaded.ids["departments"]
    windows = loaded.ids["windows"]
    forms = set(loaded.forms)
    rounds = _known_rounds(loaded, fallback_rounds)

    def dangling(source: str, data: object, key: str, known: set[str], label: str, folder: str) -> None:
        for path, ref in _texts(data, key):
            if ref not in known:
                message = f"{label}“{ref}”不存在 (unknown {folder[:-1]} id)"
                at(source, path, message, _nearest(ref, known, folder))

    for source, data in loaded.raw["windows"].values():
        dangling(source, data, "departments", departments, "单位", "departments")

    for source, data in sorted(loaded.raw["items"].values(), key=lambda entry: entry[0]):
        dangling(source, data, "department", departments, "单位", "departments")
        dangling(source, data, "windows", windows, "窗口", "windows")
        dangling(source, data, "joint", departments, "联办机构", "departments")
        shown = loaded.prefix + source
        for path, code in _texts(data, "code"):
            if code in codes:
                at(
                    source,
                    path,
                    f"事项编码“{code}”与 {codes[code]} 重复 (duplicate code)",
                    f"{codes[code]} and {shown} both use it; every item needs its own code",
                )
            else:
                codes[code] = shown
        if rounds is not None:
            for path, number in _texts(data, "changes", "*", "round"):
                if _as_int(number) not in rounds:
                    at(
                        source,
                        path,
                        f"清理轮次 {number} 未在 site.yaml 的 reform_rounds 中定义 (unknown reform round)",
                        "add it to reform_rounds in site.yaml, or correct the number",
                    )
        for path, ref in _form_refs(data):
            problem = _form_problem(ref, forms)
            if problem:
                at(source, path, *problem)


def _known_rounds(loaded: Loaded, fallback: set[int] | None) -> set[int] | None:
    """The reform round numbers site.yaml defines; None when site.yaml is unusable (nothing to check).

    A county center that defines none works with the root's (``fallback``).
    """
    if loaded.site is not None:
        own = {r.round for r in loaded.site.reform_rounds}
    elif loaded.site_raw is None:
        return None
    else:
        own = {
            n
            for _, v in _texts(loaded.site_raw, "reform_rounds", "*", "round")
            if (n := _as_int(v)) is not None
        }
    return own if own or fallback is None else fallback


def _texts(data: Any, *keys: str) -> Iterator[tuple[KeyPath, str]]:
    """Scalar values under ``keys`` in raw data, as text; '*' walks a list, as does a list at the end."""

    def walk(node: Any, rest: tuple[str, ...], path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
        if not rest:
            if isinstance(node, list):
                for i, entry in enumerate(node):
                    yield from walk(entry, (), (*path, i))
            elif isinstance(node, str | int) and not isinstance(node, bool):
                yield path, str(node).strip()
            return
        key, rest = rest[0], rest[1:]
        if key == "*":
            if isinstance(node, list):
                for i, entry in enumerate(node):
                    yield from walk(entry, rest, (*path, i))
        elif isinstance(node, dict) and key in node:
            yield from walk(node[key], rest, (*path, key))

    yield from walk(data, keys, ())


def _as_int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _form_refs(data: Any) -> Iterator[tuple[KeyPath, str]]:
    yield from _texts(data, "materials", "*", "template")
    yield from _texts(data, "materials", "*", "sample")
    yield from _texts(data, "result", "sample")


def _form_problem(ref: str, forms: set[str]) -> tuple[str, str] | None:
    """(message, hint) when ``ref`` is not the path of an existing file under forms/."""
    path = PurePosixPath(ref)
    if "\\" in ref or path.is_absolute() or ".." in path.parts or path.parts[:1] != ("forms",):
        return (
            f"“{ref}”不是 forms/ 下的路径 (path must stay under forms/)",
            "write it as forms/<file name>, without .., \\ or a leading /",
        )
    if str(path) in forms:
        return None
    close = difflib.get_close_matches(str(path), sorted(forms), n=1, cutoff=0.6)
    hint = (
        f'did you mean "{close[0]}"?'
        if close
        else "put the file under content/forms/ and write its path as forms/<name>"
    )
    return f"文件“{ref}”不存在 (form file not found)", hint


def _nearest(name: str, known: set[str], folder: str) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else f"create {folder}/{name}.yaml or fix the id"


def _check_catalog(loaded: Loaded, problems: list[Problem]) -> None:
    """基本目录: codes unique among the entries; the forms they name exist in the root's forms/."""
    forms = set(loaded.forms)
    codes: dict[str, str] = {}

    def at(source: str, path: KeyPath, message: str, hint: str = "") -> None:
        parsed = loaded.parsed.get(source)
        problems.append(Problem(source, parsed.line(path) if parsed else None, _dotted(path), message, hint))

    for source, data in sorted(loaded.raw["catalog"].values(), key=lambda entry: entry[0]):
        for path, code in _texts(data, "code"):
            if code in codes:
                at(
                    source,
                    path,
                    f"基本编码“{code}”与 {codes[code]} 重复 (duplicate catalog code)",
                    f"{codes[code]} and {source} both use it; every catalog entry needs its own code",
                )
            else:
                codes[code] = source
        for path, ref in _form_refs(data):
            problem = _form_problem(ref, forms)
            if problem:
                at(source, path, *problem)


# --- rules within a valid record, and warnings ---------------------------------


def _check_site(loaded: Loaded, at: _Report) -> None:
    if loaded.site is None:
        return
    seen: set[int] = set()
    for i, entry in enumerate(loaded.site.reform_rounds):
        if entry.round in seen:
            at(
                "site.yaml",
                ("reform_rounds", i, "round"),
                f"清理轮次 {entry.round} 重复 (round listed twice)",
                "each round once; changes refer to rounds by number",
                severity="warning",
            )
        seen.add(entry.round)


def _check_implementation(item: Item, entry: CatalogEntry, at: _Report) -> bool:
    """The rules of ``base``: same type, promised within the catalog's legal limit; 地方自设材料 warned.

    Returns whether the promised limit broke the catalog's (the item's own check is then not repeated).
    """
    src = item.file
    if "type" not in item.inherited_keys and item.type != entry.type:
        at(
            src,
            ("type",),
            f"事项类型“{item.type}”与基本目录 catalog/{entry.id}.yaml 的“{entry.type}”不一致 "
            "(type differs from the catalog)",
            "delete type here to inherit it, or correct it",
        )
    legal = entry.time_limit.legal
    over = legal is not None and item.time_limit.promised > legal
    if over:
        at(
            src,
            ("time_limit", "promised"),
            f"承诺时限 {item.time_limit.promised} 天超过基本目录 catalog/{entry.id}.yaml "
            f"的法定时限 {legal} 天 (promised must not exceed the catalog's legal limit)",
            "a promise may only shorten the legal time limit",
        )
    for material in item.local_materials:
        index = item.materials.index(material)
        at(
            src,
            ("materials", index, "name"),
            f"申请材料“{material.name}”不在基本目录 catalog/{entry.id}.yaml 中：地方自设材料 "
            "(material not in the catalog)",
            "citizens are asked for more here than the catalog lists; the comparison page marks it",
            severity="warning",
        )
    return over


def _check_item(item: Item, at: _Report, catalog: dict[str, CatalogEntry] | None = None) -> None:
    src = item.file
    limit = item.time_limit
    entry = (catalog or {}).get(item.base or "")
    over_catalog = _check_implementation(item, entry, at) if entry is not None else False
    if limit.legal is not None and limit.promised > limit.legal and not (
        over_catalog and limit.legal == entry.time_limit.legal  # type: ignore[union-attr]
    ):
        at(
            src,
            ("time_limit", "promised"),
            f"承诺时限 {limit.promised} 天超过法定时限 {limit.legal} 天 (promised must not exceed legal)",
            "a promise may only shorten the legal time limit",
        )
    if item.online.depth == 4 and item.visits != 0:
        at(
            src,
            ("visits",),
            f"全程网办 (online.depth: 4) 的事项到现场次数应为 0，而不是 {item.visits} (visits must be 0)",
            "set visits: 0, or lower online.depth",
        )
    if item.department in item.joint:
        at(
            src,
            ("joint", item.joint.index(item.department)),
            "联办机构中列出了实施主体本身 (the department is listed as its own joint department)",
            "joint lists the other departments that take part",
            severity="warning",
        )
    if item.handling == "即办件" and limit.promised > 0:
        at(
            src,
            ("handling",),
            f"即办件的承诺时限应为 0，而不是 {limit.promised} 天 (即办件 with a promised time limit)",
            "set time_limit.promised: 0, or handling: 承诺件",
            severity="warning",
        )
    if item.withdrawn:
        if not item.changes:
            at(
                src,
                ("status",),
                f"事项状态为{item.status}，但没有变更记录 (withdrawn without a change record)",
                "add the change (date, action, document) so citizens know why",
                severity="warning",
            )
        return
    if not item.windows and not item.location:
        at(
            src,
            ("windows",),
            "事项未指定办理窗口，也没有办理地点 (no window and no location)",
            "add windows: [<window id>] so citizens know where to go",
            severity="warning",
        )
    if item.visits == 0 and item.online.depth < 4:
        at(
            src,
            ("visits",),
            "到现场次数为 0，但事项不能全程网办 (visits 0 while not fully online)",
            "check online.depth or visits",
            severity="warning",
        )
    if item.online.depth > 0 and not item.online.url:
        at(
            src,
            ("online", "url"),
            "可网办事项未给出网上办理地址 (online depth without url)",
            "add online.url so citizens can follow the link",
            severity="warning",
        )


def _check_item_windows(item: Item, windows: dict[str, Window], at: _Report) -> None:
    """A citizen sent to a window should find the item's department there."""
    listed = [windows[w] for w in item.windows if w in windows]
    if item.withdrawn or not listed or any(item.department in w.departments for w in listed):
        return
    numbers = "、".join(w.number for w in listed)
    at(
        item.file,
        ("windows",),
        f"实施主体“{item.department}”未进驻所列窗口 {numbers} (department not stationed at its windows)",
        "add the department to the window's departments, or list the window where it sits",
        severity="warning",
    )


def _check_windows(windows: dict[str, Window], at: _Report) -> None:
    numbers: dict[str, str] = {}
    for window in sorted(windows.values(), key=lambda w: w.id):
        if not window.departments:
            at(
                window.file,
                ("departments",),
                "窗口没有进驻单位 (no department at this window)",
                "list the department ids served here",
                severity="warning",
            )
        if window.number in numbers:
            at(
                window.file,
                ("number",),
                f"窗口号 {window.number} 与 {numbers[window.number]} 相同 (same number)",
                "citizens find windows by number",
                severity="warning",
            )
        else:
            numbers[window.number] = window.file
