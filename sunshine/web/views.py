"""The public pages: home, item guides, windows, departments, news and pages, with their lists.

Views only pick records and hand them to a template; every lookup and
fallback lives on :class:`~sunshine.content.Content`, so the static build and
the server show the same thing.  Every URL prefix has a page of its own
(``/items/type/``, ``/pages/``, ``/forms/`` …), so a citizen who shortens an
address lands on a list rather than an error.
"""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template

from ..content.model import DISCLOSURE_KINDS
from ..store import get_content
from .urls import (
    AUDIENCE_LABELS,
    AUDIENCES_BY_SLUG,
    TYPES_BY_SLUG,
    audiences_with_items,
    form_files,
    items_for_audience,
    items_of_type,
    types_with_items,
)

bp = Blueprint("web", __name__)


def _get(records: dict, record_id: str):  # type: ignore[no-untyped-def,type-arg]
    record = records.get(record_id)
    if record is None:
        abort(404)
    return record


@bp.route("/")
def home() -> str:
    content = get_content()
    departments = [(d, len(content.items_of_department(d))) for d in content.departments.values()]
    return render_template(
        "home/index.html",
        home=True,
        types=types_with_items(content),
        departments=[(d, n) for d, n in departments if n],
        audiences=[(a, AUDIENCE_LABELS[a], len(items_for_audience(content, a))) for a in ("自然人", "法人")],
        latest_news=content.news_latest(6),
        withdrawn_count=len(content.withdrawn_items()),
    )


@bp.route("/sitemap/")
def sitemap() -> str:
    """网站地图: every section and list of the site, for people (sitemap.xml is for crawlers)."""
    content = get_content()
    return render_template(
        "home/sitemap.html",
        types=types_with_items(content),
        audiences=audiences_with_items(content),
        withdrawn_count=len(content.withdrawn_items()),
    )


@bp.route("/items/")
def items() -> str:
    content = get_content()
    groups = [(t, items_of_type(content, t)) for t, _ in types_with_items(content)]
    return render_template(
        "items/index.html",
        groups=groups,
        withdrawn=content.withdrawn_items(),
        total=len(content.active_items()),
        audiences=[(a, n) for a, n in audiences_with_items(content) if a != "自然人和法人"],
    )


@bp.route("/items/type/")
def item_types() -> str:
    return render_template("items/types.html", types=types_with_items(get_content()))


@bp.route("/items/type/<slug>/")
def items_by_type(slug: str) -> str:
    item_type = TYPES_BY_SLUG.get(slug) or abort(404)
    listed = items_of_type(get_content(), item_type)
    if not listed:
        abort(404)
    return render_template("items/list.html", heading=item_type, items=listed, column="按事项类型")


@bp.route("/items/audience/")
def item_audiences() -> str:
    return render_template("items/audiences.html", audiences=audiences_with_items(get_content()))


@bp.route("/items/audience/<slug>/")
def items_by_audience(slug: str) -> str:
    audience = AUDIENCES_BY_SLUG.get(slug) or abort(404)
    listed = items_for_audience(get_content(), audience)
    if not listed:
        abort(404)
    return render_template(
        "items/list.html", heading=AUDIENCE_LABELS[audience], items=listed, column="按服务对象"
    )


@bp.route("/items/withdrawn/")
def items_withdrawn() -> str:
    content = get_content()
    if not content.withdrawn_items():
        abort(404)
    return render_template(
        "items/list.html",
        heading="已取消和下放的事项",
        items=content.withdrawn_items(),
        intro="以下事项已在清理中取消或下放，仍予公开以便查询，本中心不再受理。",
    )


@bp.route("/items/<item_id>/")
def item(item_id: str) -> str:
    content = get_content()
    record = _get(content.items, item_id)
    return render_template("items/detail.html", item=record)


@bp.route("/items/<item_id>/checklist/")
def item_checklist(item_id: str) -> str:
    """The materials checklist alone, to print on one A4 page and tick off before coming in."""
    record = _get(get_content().items, item_id)
    if record.withdrawn or not record.materials:
        abort(404)
    return render_template("items/checklist.html", item=record)


@bp.route("/windows/")
def windows() -> str:
    content = get_content()
    ordered = sorted(content.windows.values(), key=lambda w: (w.number, w.id))
    return render_template("windows/index.html", windows=ordered)


@bp.route("/windows/<window_id>/")
def window(window_id: str) -> str:
    content = get_content()
    return render_template("windows/detail.html", window=_get(content.windows, window_id))


@bp.route("/departments/")
def departments() -> str:
    content = get_content()
    return render_template("departments/index.html", departments=list(content.departments.values()))


@bp.route("/departments/<department_id>/")
def department(department_id: str) -> str:
    content = get_content()
    return render_template("departments/detail.html", department=_get(content.departments, department_id))


@bp.route("/news/")
def news_list() -> str:
    return render_template("news/index.html", news=get_content().news_latest())


@bp.route("/news/<news_id>/")
def news(news_id: str) -> str:
    return render_template("news/detail.html", news=_get(get_content().news, news_id))


@bp.route("/pages/")
def pages() -> str:
    return render_template("pages/index.html", pages=get_content().ordered_pages())


@bp.route("/pages/<page_id>/")
def page(page_id: str) -> str:
    return render_template("pages/detail.html", page=_get(get_content().pages, page_id))


@bp.route("/forms/")
def forms() -> str:
    """表格下载: every blank form, sample and result sample, by item."""
    return render_template("pages/forms.html", files=form_files(get_content()))


@bp.route("/schema/")
def schemas() -> str:
    """The JSON Schemas of the content format, for editors' YAML editors (see docs/editors.md)."""
    from ..content.schema import SCHEMA_KINDS

    kinds = [(kind, where) for kind, (_, where, _) in SCHEMA_KINDS.items()] + [("synonyms", "synonyms.yaml")]
    return render_template("pages/schemas.html", kinds=kinds)


@bp.route("/xxgk/")
def disclosure() -> str:
    """政府信息公开: the guide, the catalogue, the annual reports and how to apply, from pages."""
    content = get_content()
    sections = [(kind, content.disclosure_pages(kind)) for kind in DISCLOSURE_KINDS]
    return render_template("xxgk/index.html", sections=sections)


@bp.route("/xxgk/mulu/")
def disclosure_catalogue() -> str:
    """政府信息公开目录: what the site discloses, by category, generated from the content."""
    content = get_content()
    return render_template(
        "xxgk/catalogue.html",
        types=types_with_items(content),
        disclosure={kind: content.disclosure_pages(kind) for kind in DISCLOSURE_KINDS},
    )


@bp.route("/404.html")
def not_found_page() -> str:
    """The 404 page as a file for the static build (static servers are configured to serve it)."""
    g.not_found = True
    return render_template("errors/404.html")
