"""同一事项无差别受理: one catalog entry (基本目录) as each center implements it (实施清单).

For every entry, one row per center item naming it with ``base``: promised
time limit, materials (地方自设 ones counted apart), visits, online depth,
fees and windows.  The spread of each element across the centers is put in
words ("承诺时限 5–20 个工作日"), the best value is marked, and the entries are
ranked by how much the centers differ.  Items no longer offered (已取消,
已下放) are listed but left out of the spread: there is nothing to compare.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .model import ONLINE_DEPTHS, CatalogEntry, Item
from .tree import Content

#: The elements compared, in the order of the table: key → (label, is a lower value better?).
ELEMENTS: dict[str, tuple[str, bool]] = {
    "promised": ("承诺时限", True),
    "materials": ("申请材料", True),
    "visits": ("到现场次数", True),
    "online": ("网上办理深度", False),
    "fees": ("收费", True),
}


@dataclass
class Row:
    """One center's implementation of the entry."""

    center: Content
    item: Item
    #: Elements whose value in this row is the best among the centers (only when the centers differ).
    best: set[str] = field(default_factory=set)

    @property
    def active(self) -> bool:
        return not self.item.withdrawn

    def value(self, element: str) -> int:
        """The comparable number of an element (fees: how many charges; 0 is 不收费)."""
        item = self.item
        return {
            "promised": item.time_limit.promised,
            "materials": len(item.materials),
            "visits": item.visits,
            "online": item.online.depth,
            "fees": len(item.fees),
        }[element]


@dataclass
class Comparison:
    """One catalog entry across every center of the tree."""

    entry: CatalogEntry
    rows: list[Row]
    #: Centers that implement no item of this entry.
    missing: list[Content]
    #: Elements on which the active rows differ, each with its spread in words.
    spreads: dict[str, str]

    @property
    def active_rows(self) -> list[Row]:
        return [r for r in self.rows if r.active]

    @property
    def local_rows(self) -> list[Row]:
        """Rows asking for materials the catalog does not list (地方自设材料)."""
        return [r for r in self.active_rows if r.item.local_materials]

    @property
    def promised_spread(self) -> int:
        values = [r.value("promised") for r in self.active_rows]
        return max(values) - min(values) if values else 0

    @property
    def rank_key(self) -> tuple[int, int, int, str]:
        """Most differences first; then the widest gap in promised days; then more local materials."""
        return (-len(self.spreads), -self.promised_spread, -len(self.local_rows), self.entry.code)

    @property
    def summary(self) -> str:
        """The differences in one sentence, or that the centers agree."""
        if not self.active_rows:
            return "暂无中心在办此事项。"
        if len(self.active_rows) == 1:
            return "仅一个中心在办，无可比较。"
        if not self.spreads:
            return "各中心办理要素一致。"
        return "；".join(self.spreads.values()) + "。"


def _spread_words(element: str, rows: list[Row]) -> str | None:
    """The spread of one element across ``rows`` in words, or None when every row has the same value."""
    values = [r.value(element) for r in rows]
    low, high = min(values), max(values)
    local = [r for r in rows if r.item.local_materials]
    suffix = f"（{len(local)} 个中心有地方自设材料）" if element == "materials" and local else ""
    if low == high:
        return f"申请材料均为 {low} 件{suffix}" if suffix else None
    if element == "promised":
        return f"承诺时限 {low}–{high} 个工作日" if low else f"承诺时限 即办至 {high} 个工作日"
    if element == "materials":
        return f"申请材料 {low}–{high} 件{suffix}"
    if element == "visits":
        return f"到现场 {low}–{high} 次"
    if element == "online":
        return f"网上办理深度 {low}–{high} 级（{ONLINE_DEPTHS[low]} 至 {ONLINE_DEPTHS[high]}）"
    free = sum(1 for v in values if v == 0)
    return f"{len(values) - free} 个中心收费，{free} 个中心不收费" if free else "收费项目数不同"


def compare(city: Content, entry: CatalogEntry) -> Comparison:
    """Every center's implementation of ``entry``, with spreads and best values."""
    rows: list[Row] = []
    missing: list[Content] = []
    for center in city.all_centers():
        found = center.implementations(entry.id)
        rows.extend(Row(center, item) for item in found)
        if not found:
            missing.append(center)
    active = [r for r in rows if r.active]
    spreads: dict[str, str] = {}
    if len(active) > 1:
        for element, (_, lower_better) in ELEMENTS.items():
            words = _spread_words(element, active)
            if words:
                spreads[element] = words
            values = [r.value(element) for r in active]
            if min(values) == max(values):
                continue
            pick: Callable[[list[int]], int] = min if lower_better else max
            best = pick(values)
            for row in active:
                if row.value(element) == best:
                    row.best.add(element)
    return Comparison(entry, rows, missing, spreads)


def compare_all(city: Content) -> list[Comparison]:
    """Every catalog entry's comparison, the entries on which the centers differ most first."""
    return sorted((compare(city, entry) for entry in city.catalog.values()), key=lambda c: c.rank_key)
