"""What the ledger needs of the content tree: each center's items by id and code, their steps and status.

Built once per loaded tree (:func:`ledger_index`) and cached on it, so an
import or a signals query looks an item up in a dict.  In a city-wide tree
(CONTENT-SPEC v2) every center is indexed under its id, the root included;
in a single-center tree the one center sits under the root's id.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import weakref
from dataclasses import dataclass

from sunshine.content import Content
from sunshine.content.model import Item

#: "N 个工作日" / "N个工作日" → N; "当场" and "即时" → 0; any other wording is not checked.
_DURATION = re.compile(r"(\d{1,4})\s*个工作日")
_AT_ONCE = frozenset({"当场", "即时"})

#: Change actions that date a withdrawn status: 已取消 by 取消 or 合并 (merged away), 已下放 by 下放.
WITHDRAWING: dict[str, frozenset[str]] = {
    "已取消": frozenset({"取消", "合并"}),
    "已下放": frozenset({"下放"}),
}


def step_days(duration: str | None) -> int | None:
    """Working days a step may take, read from its ``process.duration``; None when not in those words."""
    if duration is None:
        return None
    text = duration.strip()
    if text in _AT_ONCE:
        return 0
    match = _DURATION.fullmatch(text)
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class ItemInfo:
    """One item as the ledger sees it (from the content as currently loaded)."""

    center: str
    id: str
    code: str
    name: str
    department: str
    windows: tuple[str, ...]
    promised: int
    #: (step, working days or None, duration as written) in process order.
    steps: tuple[tuple[str, int | None, str | None], ...]
    step_names: frozenset[str]
    fee_names: frozenset[str]
    status: str
    #: For a 已取消/已下放 item: the date of its latest change leading to that status (None: undated).
    withdrawn_since: dt.date | None

    def stopped_on(self, day: dt.date) -> str | None:
        """The item's status if it was 已取消, 已下放 or 暂停 on ``day``, else None.

        暂停 is never dated by a change, so it counts on every date.  A withdrawn
        status counts from the date of the latest change that leads to it; with
        no such change it counts on every date.
        """
        if self.status == "暂停":
            return self.status
        dated = self.withdrawn_since
        if self.status in WITHDRAWING and (dated is None or day >= dated):
            return self.status
        return None


@dataclass
class CenterIndex:
    """The items of one center, by id and by code."""

    id: str
    name: str
    items: dict[str, ItemInfo]
    by_code: dict[str, ItemInfo]
    departments: dict[str, str]

    def item(self, ref: str) -> ItemInfo | None:
        """The item named by id or by code (an id wins should a code equal another item's id)."""
        return self.items.get(ref) or self.by_code.get(ref)


@dataclass
class LedgerIndex:
    """Every center of a tree; ``is_city`` when ``center`` is required on events."""

    root_id: str
    is_city: bool
    centers: dict[str, CenterIndex]

    def item(self, center: str, item_id: str | None) -> ItemInfo | None:
        index = self.centers.get(center)
        return index.items.get(item_id) if index is not None and item_id else None


def _info(center: str, item: Item) -> ItemInfo:
    steps = tuple((s.step, step_days(s.duration), s.duration) for s in item.process)
    since = None
    if item.status in WITHDRAWING:
        dates = [c.date for c in item.changes if c.action in WITHDRAWING[item.status]]
        since = max(dates) if dates else None
    return ItemInfo(
        center=center,
        id=item.id,
        code=item.code,
        name=item.name,
        department=item.department,
        windows=tuple(item.windows),
        promised=item.time_limit.promised,
        steps=steps,
        step_names=frozenset(s[0] for s in steps),
        fee_names=frozenset((f.name or "").strip() for f in item.fees if f.name and f.name.strip()),
        status=item.status,
        withdrawn_since=since,
    )


def build_index(content: Content) -> LedgerIndex:
    """Index every center of the tree ``content`` belongs to."""
    root = content.root_center
    centers: dict[str, CenterIndex] = {}
    for center in root.all_centers():
        items = {item_id: _info(center.center_id, item) for item_id, item in center.items.items()}
        centers[center.center_id] = CenterIndex(
            id=center.center_id,
            name=center.site.name,
            items=items,
            by_code={info.code: info for info in items.values()},
            departments={d.id: d.name for d in center.departments.values()},
        )
    return LedgerIndex(root_id=root.center_id, is_city=root.is_city, centers=centers)


_cache: weakref.WeakKeyDictionary[Content, LedgerIndex] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def ledger_index(content: Content) -> LedgerIndex:
    """The index of ``content``'s tree, built on first use (a re-read tree is a new Content, a new index)."""
    root = content.root_center
    index = _cache.get(root)
    if index is None:
        with _lock:
            index = _cache.get(root)
            if index is None:
                index = build_index(root)
                _cache[root] = index
    return index
