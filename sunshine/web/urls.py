"""Every public URL of a content tree, in one list: the freezer and the sitemap both read it.

Item types and audiences are Chinese words; their list pages use the ASCII
slugs below so that URLs stay readable and stable in any server or archive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..content import Content
from ..content.model import AUDIENCES, ITEM_TYPES, Item

#: 事项类型 → URL slug of its list page (/items/type/<slug>/).
TYPE_SLUGS: dict[str, str] = {
    "行政许可": "xingzheng-xuke",
    "行政给付": "xingzheng-geifu",
    "行政确认": "xingzheng-queren",
    "行政裁决": "xingzheng-caijue",
    "行政奖励": "xingzheng-jiangli",
    "行政征收": "xingzheng-zhengshou",
    "其他行政权力": "qita-xingzheng-quanli",
    "公共服务": "gonggong-fuwu",
    "便民服务": "bianmin-fuwu",
}
TYPES_BY_SLUG: dict[str, str] = {slug: name for name, slug in TYPE_SLUGS.items()}

#: 服务对象 → URL slug (/items/audience/<slug>/).
AUDIENCE_SLUGS: dict[str, str] = {"自然人": "ziranren", "法人": "faren", "自然人和法人": "ziranren-he-faren"}
AUDIENCES_BY_SLUG: dict[str, str] = {slug: name for name, slug in AUDIENCE_SLUGS.items()}
#: What a citizen choosing an audience sees: "自然人" also covers items open to both.
AUDIENCE_LABELS: dict[str, str] = {
    "自然人": "个人办事",
    "法人": "法人（企业）办事",
    "自然人和法人": "个人和法人均可办理",
}

assert set(TYPE_SLUGS) == set(ITEM_TYPES) and set(AUDIENCE_SLUGS) == set(AUDIENCES)


def items_for_audience(content: Content, audience: str) -> list[Item]:
    """Items a member of ``audience`` can apply for (both-audience items count for each side)."""
    wanted = {audience, "自然人和法人"} if audience != "自然人和法人" else {audience}
    return [i for i in content.active_items() if i.audience in wanted]


def items_of_type(content: Content, item_type: str) -> list[Item]:
    return [i for i in content.active_items() if i.type == item_type]


def types_with_items(content: Content) -> list[tuple[str, int]]:
    """(type, number of active items) of every type that has a list page: those with items."""
    return [(t, n) for t in ITEM_TYPES if (n := len(items_of_type(content, t)))]


def audiences_with_items(content: Content) -> list[tuple[str, int]]:
    """(audience, number of items) of every audience that has a list page."""
    return [(a, n) for a in AUDIENCE_SLUGS if (n := len(items_for_audience(content, a)))]


def form_files(content: Content) -> list[tuple[Item, str, str, str]]:
    """Every downloadable file an item offers: (item, what it is, the material or result, forms/ path)."""
    out: list[tuple[Item, str, str, str]] = []
    for item in content.active_items():
        for material in item.materials:
            if material.template:
                out.append((item, "空白表格", material.name, material.template))
            if material.sample:
                out.append((item, "示例样表", material.name, material.sample))
        if item.result and item.result.sample:
            out.append((item, "结果样本", item.result.name or "办理结果", item.result.sample))
    return out


@dataclass(frozen=True)
class PageRef:
    """One public page: the endpoint and values that build its URL, and when it last changed."""

    endpoint: str
    values: dict[str, Any]
    lastmod: dt.date | None = None
    listed: bool = True


def _latest(dates: Iterator[dt.date | None] | list[dt.date | None]) -> dt.date | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def public_pages(content: Content) -> Iterator[PageRef]:
    """Every HTML page of the site (the 404 and search pages excepted), each with its last change date.

    Only pages with something on them are listed: a type or audience without
    items has no page.  ``listed`` is False for print versions, which the
    sitemap leaves out.
    """
    items = list(content.items.values())
    item_dates = [i.updated for i in items]
    news_dates = [n.date for n in content.news.values()]
    page_dates = [p.updated for p in content.pages.values()]
    latest_all = _latest(item_dates + news_dates + page_dates)
    yield PageRef("web.home", {}, _latest(item_dates + news_dates))
    yield PageRef("web.sitemap", {}, latest_all)
    yield PageRef("web.items", {}, _latest(item_dates))
    yield PageRef("web.item_types", {}, _latest(item_dates))
    for item_type, _ in types_with_items(content):
        listed = items_of_type(content, item_type)
        slug = TYPE_SLUGS[item_type]
        yield PageRef("web.items_by_type", {"slug": slug}, _latest(i.updated for i in listed))
    yield PageRef("web.item_audiences", {}, _latest(item_dates))
    for audience, _ in audiences_with_items(content):
        listed = items_for_audience(content, audience)
        yield PageRef(
            "web.items_by_audience", {"slug": AUDIENCE_SLUGS[audience]}, _latest(i.updated for i in listed)
        )
    withdrawn = content.withdrawn_items()
    if withdrawn:
        yield PageRef("web.items_withdrawn", {}, _latest(i.updated for i in withdrawn))
    for item in items:
        yield PageRef("web.item", {"item_id": item.id}, item.updated)
        if item.materials and not item.withdrawn:
            yield PageRef("web.item_checklist", {"item_id": item.id}, item.updated, listed=False)
    yield PageRef("web.windows", {}, _latest(i.updated for i in items if i.windows))
    for window in content.windows.values():
        yield PageRef(
            "web.window",
            {"window_id": window.id},
            _latest(i.updated for i in content.items_at_window(window)),
        )
    yield PageRef("web.departments", {}, _latest(item_dates))
    for department in content.departments.values():
        listed = content.items_of_department(department)
        yield PageRef("web.department", {"department_id": department.id}, _latest(i.updated for i in listed))
    yield PageRef("web.news_list", {}, _latest(news_dates))
    for news in content.news.values():
        yield PageRef("web.news", {"news_id": news.id}, news.date)
    yield PageRef("web.pages", {}, _latest(page_dates))
    for page in content.pages.values():
        yield PageRef("web.page", {"page_id": page.id}, page.updated)
    yield PageRef("web.forms", {}, _latest(i.updated for i, *_ in form_files(content)))
    yield PageRef("web.schemas", {}, None)
    yield PageRef("web.disclosure", {}, latest_all)
    yield PageRef("web.disclosure_catalogue", {}, latest_all)
    # The script-free search: an index page per pinyin initial of the items' names and keywords.
    from search.documents import term_index

    index = term_index(content)
    if index:
        yield PageRef("search.letters", {}, _latest(item_dates))
    for key, terms in index.items():
        dates = [item.updated for _, listed in terms for item in listed]
        yield PageRef("search.letter", {"letter": "0" if key == "#" else key.lower()}, _latest(dates))
