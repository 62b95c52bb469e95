"""The loaded content tree: every record of a center, linked and ready to render.

A city-wide tree (CONTENT-SPEC v2) is the root center's :class:`Content`
carrying its county centers in ``centers`` and the shared 基本目录 in
``catalog``; each county's Content points back to it through ``city``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .model import CatalogEntry, Department, Item, News, Page, ReformRound, Site, Window
from .problems import Problem

#: The root center's id when its site.yaml sets none.
DEFAULT_CENTER_ID = "city"


@dataclass(eq=False)
class Content:
    """All records of one center, keyed by id, plus the warnings found while loading it.

    ``center_id`` and ``url_prefix`` place the center in its city: the root
    has the prefix "" (its pages keep the addresses of a single-center site),
    a county has "/<id>".
    """

    root: Path
    site: Site
    departments: dict[str, Department] = field(default_factory=dict)
    windows: dict[str, Window] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    news: dict[str, News] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    forms: list[str] = field(default_factory=list)
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    center_id: str = DEFAULT_CENTER_ID
    url_prefix: str = ""
    #: The county centers of a city-wide tree, in site.yaml ``centers`` order (root only; else empty).
    centers: dict[str, Content] = field(default_factory=dict)
    #: The 基本目录 shared by every center of the tree (the same dict on each center).
    catalog: dict[str, CatalogEntry] = field(default_factory=dict)
    #: The root center, on a county's Content; None on the root itself.
    city: Content | None = field(default=None, repr=False)
    _by_base: dict[str, list[Item]] | None = field(default=None, init=False, repr=False)

    # -- the city: centers and catalog ----------------------------------------------------------

    @property
    def is_city(self) -> bool:
        """True for the root of a tree that has county centers."""
        return bool(self.centers)

    @property
    def root_center(self) -> Content:
        """The root center of the tree this center belongs to (itself for the root)."""
        return self.city or self

    def all_centers(self) -> list[Content]:
        """Every center of the tree: the root first, then the counties in site.yaml order."""
        root = self.root_center
        return [root, *root.centers.values()]

    def center(self, center_id: str) -> Content | None:
        """The center with this id anywhere in the tree, or None."""
        root = self.root_center
        return root if center_id == root.center_id else root.centers.get(center_id)

    @property
    def label(self) -> str:
        """The center's name as lists show it: its short name, else its name."""
        return self.site.short_name or self.site.name

    @property
    def reform_rounds(self) -> list[ReformRound]:
        """The center's own reform rounds, else the root center's (CONTENT-SPEC: rounds apply city-wide)."""
        if self.site.reform_rounds or self.city is None:
            return self.site.reform_rounds
        return self.city.site.reform_rounds

    def implementations(self, entry_id: str) -> list[Item]:
        """This center's items implementing the catalog entry ``entry_id`` (usually one)."""
        if self._by_base is None:
            # Records do not change once loaded (a preview re-reads the tree into a new Content).
            index: dict[str, list[Item]] = {}
            for item in sorted(self.items.values(), key=_item_order):
                if item.base:
                    index.setdefault(item.base, []).append(item)
            self._by_base = index
        return self._by_base.get(entry_id, [])

    # -- lookups the templates need; all derived, never stored twice ---------

    def department_of(self, item: Item) -> Department:
        return self.departments[item.department]

    def windows_of(self, item: Item) -> list[Window]:
        return [self.windows[w] for w in item.windows]

    def items_at_window(self, window: Window) -> list[Item]:
        return sorted((i for i in self.items.values() if window.id in i.windows), key=_item_order)

    def items_of_department(self, department: Department) -> list[Item]:
        return sorted((i for i in self.items.values() if i.department == department.id), key=_item_order)

    def windows_of_department(self, department: Department) -> list[Window]:
        return [w for w in self.windows.values() if department.id in w.departments]

    def departments_at(self, window: Window) -> list[Department]:
        return [self.departments[d] for d in window.departments]

    def item_location(self, item: Item) -> str:
        """办理地点: the item's own, else its windows' (number and area), else the center's address."""
        if item.location:
            return item.location
        windows = self.windows_of(item)
        if windows:
            return "；".join(f"{self.site.name}{w.area or ''} {w.number}号窗口（{w.name}）" for w in windows)
        return self.site.address

    def item_hours(self, item: Item) -> str:
        """办理时间: the item's own, else its first window's, else the center's."""
        return (
            item.hours or next((w.hours for w in self.windows_of(item) if w.hours), None) or self.site.hours
        )

    def item_consult_phone(self, item: Item) -> str:
        """咨询电话: the item's own, else its department's, else the center's."""
        return item.consult_phone or self.department_of(item).phone or self.site.phone

    def item_complaint_phone(self, item: Item) -> str:
        """监督投诉电话: the item's own, else its department's, else the center's."""
        return item.complaint_phone or self.department_of(item).complaint_phone or self.site.complaint_phone

    def window_hours(self, window: Window) -> str:
        return window.hours or self.site.hours

    def window_phone(self, window: Window) -> str:
        return window.phone or self.site.phone

    def reform_round(self, number: int | None) -> str:
        """The name of a reform round, for change records."""
        for r in self.reform_rounds:
            if r.round == number:
                return r.name or f"第{number}轮"
        return f"第{number}轮" if number is not None else ""

    def active_items(self) -> list[Item]:
        return sorted((i for i in self.items.values() if not i.withdrawn), key=_item_order)

    def withdrawn_items(self) -> list[Item]:
        return sorted((i for i in self.items.values() if i.withdrawn), key=_item_order)

    def news_latest(self, limit: int | None = None) -> list[News]:
        ordered = sorted(self.news.values(), key=lambda n: (n.date, n.id), reverse=True)
        return ordered[:limit] if limit else ordered

    def menu_pages(self) -> list[Page]:
        return sorted((p for p in self.pages.values() if p.menu), key=lambda p: (p.order, p.id))

    def ordered_pages(self) -> list[Page]:
        return sorted(self.pages.values(), key=lambda p: (p.order, p.id))

    def disclosure_pages(self, kind: str) -> list[Page]:
        """Pages of the 政府信息公开 section of one kind (指南, 年报 …): 年报 newest first, else in order."""
        found = [p for p in self.pages.values() if p.disclosure == kind]
        if kind == "年报":
            return sorted(found, key=lambda p: (p.title, p.id), reverse=True)
        return sorted(found, key=lambda p: (p.order, p.id))

    def joint_departments(self, item: Item) -> list[Department]:
        """联办机构 of an item (ids checked by validation)."""
        return [self.departments[d] for d in item.joint if d in self.departments]


def merge_synonyms(*maps: dict[str, list[str]]) -> dict[str, list[str]]:
    """Synonym maps (synonyms.yaml) as one: a term's words from every map, each once, in order."""
    out: dict[str, list[str]] = {}
    for synonyms in maps:
        for term, words in synonyms.items():
            out[term] = list(dict.fromkeys([*out.get(term, []), *words]))
    return out


def _item_order(item: Item) -> tuple[str, str]:
    return (item.code, item.id)
