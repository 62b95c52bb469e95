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


#: The page of each record kind, and the Content attribute holding its records.
RECORD_ENDPOINTS: dict[str, str] = {
    "web.item": "items",
    "web.window": "windows",
    "web.department": "departments",
    "web.news": "news",
    "web.page": "pages",
}


@dataclass(frozen=True)
class PageRef:
    """One public page: the endpoint and values that build its URL, and when it last changed."""

    endpoint: str
    values: dict[str, Any]
    lastmod: dt.date | None = None


def _latest(dates: Iterator[dt.date | None] | list[dt.date | None]) -> dt.date | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def public_pages(content: Content) -> Iterator[PageRef]:
    """Every HTML page of the site (the 404 page excepted), each with its last change date."""
    items = list(content.items.values())
    all_dates = [i.updated for i in items] + [n.date for n in content.news.values()]
    yield PageRef("web.home", {}, _latest(all_dates))
    yield PageRef("web.items", {}, _latest(i.updated for i in items))
    for item_type, slug in TYPE_SLUGS.items():
        yield PageRef(
            "web.items_by_type", {"slug": slug}, _latest(i.updated for i in items_of_type(content, item_type))
        )
    for audience, slug in AUDIENCE_SLUGS.items():
        listed = items_for_audience(content, audience)
        yield PageRef("web.items_by_audience", {"slug": slug}, _latest(i.updated for i in listed))
    yield PageRef("web.items_withdrawn", {}, _latest(i.updated for i in content.withdrawn_items()))
    for item in items:
        yield PageRef("web.item", {"item_id": item.id}, item.updated)
    yield PageRef("web.windows", {}, None)
    for window in content.windows.values():
        yield PageRef(
            "web.window",
            {"window_id": window.id},
            _latest(i.updated for i in content.items_at_window(window)),
        )
    yield PageRef("web.departments", {}, None)
    for department in content.departments.values():
        listed = content.items_of_department(department)
        yield PageRef("web.department", {"department_id": department.id}, _latest(i.updated for i in listed))
    yield PageRef("web.news_list", {}, _latest(n.date for n in content.news.values()))
    for news in content.news.values():
        yield PageRef("web.news", {"news_id": news.id}, news.date)
    for page in content.pages.values():
        yield PageRef("web.page", {"page_id": page.id}, page.updated)
