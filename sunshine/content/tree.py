"""The loaded content tree: every record of a center, linked and ready to render."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .model import Department, Item, News, Page, Site, Window
from .problems import Problem


@dataclass
class Content:
    """All records of one content tree, keyed by id, plus the warnings found while loading it."""

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
        for r in self.site.reform_rounds:
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


def _item_order(item: Item) -> tuple[str, str]:
    return (item.code, item.id)
