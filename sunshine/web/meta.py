"""What every page says about itself: the metadata of the national guidelines, its date, its address.

政府网站网页设计规范 (the national web design guidelines for government sites)
asks for three groups of ``<meta>`` tags: the site's (SiteName, SiteDomain,
SiteIDCode) on every page, the column's (ColumnName, ColumnDescription,
ColumnKeywords, ColumnType) on column and article pages, and the article's
(ArticleTitle, PubDate, ContentSource, Keywords, Author, Description, Url) on
article pages.  They are worked out here from the endpoint being rendered, so
no template can forget them and the page, the sitemap and the 更新日期 line
agree on each page's date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request

from ..content import Content
from ..content.model import Item, News, Page
from ..store import current_center_id, get_city, get_content
from .care import site_root
from .city import city_pages
from .helpers import working_days

#: endpoint → (ColumnName, ColumnType, ColumnDescription).  ColumnType follows the guidelines' words.
COLUMNS: dict[str, tuple[str, str, str]] = {
    "web.home": ("首页", "首页", "办事指南、办理窗口、进驻部门和新闻动态"),
    "web.sitemap": ("网站地图", "网站地图", "本站全部栏目和页面"),
    "web.items": ("办事指南", "办事服务", "本中心受理的全部事项的办事指南"),
    "web.item_types": ("办事指南", "办事服务", "按事项类型查找办事指南"),
    "web.items_by_type": ("办事指南", "办事服务", "按事项类型查找办事指南"),
    "web.item_audiences": ("办事指南", "办事服务", "按服务对象查找办事指南"),
    "web.items_by_audience": ("办事指南", "办事服务", "按服务对象查找办事指南"),
    "web.items_withdrawn": ("办事指南", "办事服务", "已取消和下放的事项"),
    "web.item": ("办事指南", "办事服务", "事项的设定依据、受理条件、申请材料、办理流程、时限和收费"),
    "web.item_checklist": ("办事指南", "办事服务", "申请材料清单"),
    "web.windows": ("办事窗口", "办事服务", "大厅各窗口的位置、工作人员和可办理的事项"),
    "web.window": ("办事窗口", "办事服务", "大厅各窗口的位置、工作人员和可办理的事项"),
    "web.departments": ("进驻部门", "机构职能", "进驻中心的单位及其联系方式"),
    "web.department": ("进驻部门", "机构职能", "进驻中心的单位及其联系方式"),
    "web.news_list": ("新闻动态", "信息发布", "中心的工作动态"),
    "web.news": ("新闻动态", "信息发布", "中心的工作动态"),
    "web.pages": ("中心介绍", "信息公开", "中心的制度、须知和介绍"),
    "web.page": ("中心介绍", "信息公开", "中心的制度、须知和介绍"),
    "web.forms": ("表格下载", "办事服务", "申请表格、示例样表和结果样本"),
    "web.schemas": ("内容格式", "其他", "编辑内容时使用的 JSON Schema 文件"),
    "web.disclosure": ("政府信息公开", "信息公开", "政府信息公开指南、目录、年报和依申请公开"),
    "web.disclosure_catalogue": ("政府信息公开", "信息公开", "政府信息公开目录"),
    "city.reform": ("清理整顿", "信息公开", "行政审批事项清理整顿的结果和统计"),
    "city.catalog": ("事项对比", "办事服务", "同一事项在各政务服务中心的办理要求对比"),
    "city.catalog_entry": ("事项对比", "办事服务", "同一事项在各政务服务中心的办理要求对比"),
    "city.data": ("开放数据", "信息公开", "事项、目录和清理整顿的开放数据"),
    "search.page": ("搜索", "搜索", "搜索办事事项"),
    "search.letters": ("搜索", "搜索", "按拼音首字母查找事项"),
    "search.letter": ("搜索", "搜索", "按拼音首字母查找事项"),
}


@dataclass(frozen=True)
class PageMeta:
    """The metadata of the page being rendered, as (name, content) pairs and the page's date."""

    tags: list[tuple[str, str]]
    description: str
    updated: dt.date | None
    canonical: str


_DATES: dict[int, tuple[Content, dict[Any, dt.date | None]]] = {}


def _page_date(endpoint: str, values: dict[str, Any]) -> dt.date | None:
    """The date of the page at ``endpoint`` with ``values`` in the current center (from the page list)."""
    city = get_city()
    cached = _DATES.get(id(city))
    if cached is None or cached[0] is not city:
        _DATES.clear()  # one tree at a time: serve mode replaces it when files change
        dates = {}
        for ref in city_pages(city):
            rest = {k: v for k, v in ref.values.items() if k != "center"}
            dates[(ref.values.get("center"), ref.endpoint, tuple(sorted(rest.items())))] = ref.lastmod
        cached = (city, dates)
        _DATES[id(city)] = cached
    return cached[1].get((current_center_id(), endpoint, tuple(sorted(values.items()))))


def absolute_url(path: str) -> str:
    """``path`` (root-relative) on the site's published address when known, else on this server."""
    base = get_content().site.base_url
    if base:
        return base.rstrip("/") + path
    if current_app.config.get("STATIC_BUILD"):
        return path  # a static build without site.yaml base_url does not know its address
    return request.host_url.rstrip("/") + path


def _record(content: Content, endpoint: str, values: dict[str, Any]) -> Item | News | Page | None:
    if endpoint in ("web.item", "web.item_checklist"):
        return content.items.get(values.get("item_id", ""))
    if endpoint == "web.news":
        return content.news.get(values.get("news_id", ""))
    if endpoint == "web.page":
        return content.pages.get(values.get("page_id", ""))
    return None


def _summary(record: Item | News | Page) -> str:
    if isinstance(record, Item):
        return f"{record.name}的办事指南：{record.type}，承诺时限{working_days(record.time_limit.promised)}"
    if isinstance(record, News):
        return record.summary or record.title
    return record.title


def page_meta() -> PageMeta:
    """The metadata of the current page (site, column and, on articles, article tags)."""
    content = get_content()
    site = content.site
    endpoint = request.endpoint or ""
    values = dict(request.view_args or {})
    canonical = absolute_url(site_root() + request.path)
    column, column_type, column_text = COLUMNS.get(endpoint, ("", "", ""))
    tags: list[tuple[str, str]] = [("SiteName", site.name)]
    if site.base_url:
        tags.append(("SiteDomain", urlsplit(site.base_url).netloc))
    if site.identifiers.site_code:
        tags.append(("SiteIDCode", site.identifiers.site_code))
    description = f"{site.name}：{column_text}" if column_text else site.name
    if column:
        tags += [
            ("ColumnName", column),
            ("ColumnDescription", column_text),
            ("ColumnKeywords", column),
            ("ColumnType", column_type),
        ]
    updated = _page_date(endpoint, values)
    record = _record(content, endpoint, values)
    if record is not None:
        title = record.name if isinstance(record, Item) else record.title
        date = record.date if isinstance(record, News) else (record.updated or updated)
        source = site.identifiers.sponsor or site.name
        keywords: list[str] = []
        if isinstance(record, Item):
            source = content.department_of(record).name
            keywords = [record.type, *record.keywords]
        elif isinstance(record, News):
            source = record.source or source
            keywords = list(record.tags)
        description = _summary(record)
        tags += [("ArticleTitle", title)]
        if date:
            tags.append(("PubDate", f"{date.isoformat()} 00:00"))
        tags += [("ContentSource", source)]
        if keywords:
            tags.append(("Keywords", ",".join(keywords)))
        if isinstance(record, News) and record.author:
            tags.append(("Author", record.author))
        tags += [("Description", description), ("Url", canonical)]
    return PageMeta(tags, description, updated, canonical)
