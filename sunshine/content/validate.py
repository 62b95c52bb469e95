"""Stage 2 — validate: the contract's rules that span fields and records.

Types, enumerations, required keys and unknown keys were checked by the
models during loading.  Here come the rules "beyond types" of
CONTENT-SPEC.md (references exist, unique codes, promised ≤ legal, fully
online means no visit, referenced forms exist) and the warnings for data
that is valid but probably not what the editor meant.
"""

from __future__ import annotations

import difflib
from pathlib import PurePosixPath
from typing import cast

from .load import Loaded
from .model import Department, Item, News, Page, Window
from .problems import ContentError, Problem
from .tree import Content


def validate(loaded: Loaded) -> Content:
    """Check ``loaded`` and return the linked :class:`Content`; raise ContentError listing every error."""
    problems = list(loaded.problems)
    departments = cast(dict[str, Department], loaded.records["departments"])
    windows = cast(dict[str, Window], loaded.records["windows"])
    items = cast(dict[str, Item], loaded.records["items"])
    news = cast(dict[str, News], loaded.records["news"])
    pages = cast(dict[str, Page], loaded.records["pages"])
    forms = set(loaded.forms)
    rounds = {r.round for r in loaded.site.reform_rounds} if loaded.site else set()

    def at(record_source: str, path: tuple[str | int, ...], field: str, message: str, hint: str = "",
           severity: str = "error") -> None:
        parsed = loaded.parsed.get(record_source)
        line = parsed.line(path) if parsed else None
        problems.append(Problem(record_source, line, field, message, hint, severity))

    for window in windows.values():
        for i, dep in enumerate(window.departments):
            if dep not in departments:
                at(window.file, ("departments", i), f"departments[{i}]",
                   f"单位“{dep}”不存在 (unknown department id)", _nearest(dep, departments, "departments"))

    codes: dict[str, str] = {}
    for item in items.values():
        src = item.file
        if item.department not in departments:
            at(src, ("department",), "department", f"单位“{item.department}”不存在 (unknown department id)",
               _nearest(item.department, departments, "departments"))
        for i, win in enumerate(item.windows):
            if win not in windows:
                at(src, ("windows", i), f"windows[{i}]", f"窗口“{win}”不存在 (unknown window id)",
                   _nearest(win, windows, "windows"))
        if item.code in codes:
            at(src, ("code",), "code", f"事项编码“{item.code}”与 items/{codes[item.code]}.yaml 重复 (duplicate code)",
               "every item needs its own code")
        else:
            codes[item.code] = item.id
        limit = item.time_limit
        if limit.legal is not None and limit.promised > limit.legal:
            at(src, ("time_limit", "promised"), "time_limit.promised",
               f"承诺时限 {limit.promised} 天超过法定时限 {limit.legal} 天 (promised must not exceed legal)",
               "a promise may only shorten the legal time limit")
        if item.online.depth == 4 and item.visits != 0:
            at(src, ("visits",) if ("visits",) in _lines(loaded, src) else ("online", "depth"), "visits",
               f"全程网办 (online.depth: 4) 的事项到现场次数应为 0，而不是 {item.visits}",
               "set visits: 0, or lower online.depth")
        for i, change in enumerate(item.changes):
            if change.round is not None and change.round not in rounds:
                at(src, ("changes", i, "round"), f"changes[{i}].round",
                   f"清理轮次 {change.round} 未在 site.yaml 的 reform_rounds 中定义 (unknown reform round)",
                   "add it to reform_rounds in site.yaml")
        for field, ref in item.form_paths():
            if not _form_exists(ref, forms):
                path = tuple(int(p) if p.isdigit() else p for p in field.replace("[", ".").replace("]", "").split("."))
                at(src, path, field, f"文件“{ref}”不存在 (form file not found)",
                   "put the file under content/forms/ and write its path as forms/<name>")
        _warn_item(item, at)

    for record in news.values():
        if not record.id.startswith(record.date.isoformat()):
            at(record.file, ("date",), "date",
               f"日期 {record.date} 与文件名中的日期不一致 (date differs from the file name)", severity="warning")

    errors = [p for p in problems if p.severity == "error"]
    if errors or loaded.site is None:
        raise ContentError(errors or [Problem("site.yaml", None, "", "site.yaml 无法读取")])
    return Content(
        root=loaded.root,
        site=loaded.site,
        departments=dict(sorted(departments.items())),
        windows=dict(sorted(windows.items(), key=lambda kv: (kv[1].number, kv[0]))),
        items=dict(sorted(items.items())),
        news=news,
        pages=pages,
        forms=loaded.forms,
        synonyms=loaded.synonyms,
        warnings=sorted(p for p in problems if p.severity == "warning"),
    )


def _warn_item(item: Item, at) -> None:  # type: ignore[no-untyped-def]
    if not item.windows and not item.withdrawn and not item.location:
        at(item.file, ("name",), "windows", "事项未指定办理窗口，也没有办理地点 (no window and no location)",
           "add windows: [<window id>] so citizens know where to go", severity="warning")
    if item.visits == 0 and item.online.depth < 4 and not item.withdrawn:
        at(item.file, ("visits",), "visits", "到现场次数为 0，但事项不能全程网办 (visits 0 while not fully online)",
           "check online.depth or visits", severity="warning")
    if item.online.depth > 0 and not item.online.url and not item.withdrawn:
        at(item.file, ("online",), "online.url", "可网办事项未给出网上办理地址 (online depth without url)",
           severity="warning")
    if item.withdrawn and not item.changes:
        at(item.file, ("status",), "changes", f"事项状态为{item.status}，但没有变更记录 (no change record)",
           "add the change (date, action, document) so citizens know why", severity="warning")


def _lines(loaded: Loaded, source: str) -> dict[tuple[str | int, ...], int]:
    parsed = loaded.parsed.get(source)
    return parsed.lines if parsed else {}


def _form_exists(ref: str, forms: set[str]) -> bool:
    path = PurePosixPath(ref)
    return path.parts[:1] == ("forms",) and ".." not in path.parts and str(path) in forms


def _nearest(name: str, known: dict[str, object], folder: str) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else f"create {folder}/{name}.yaml or fix the id"
