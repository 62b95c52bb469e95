"""The public pages: home, item guides, windows, departments, news and pages, with their lists.

Views only pick records and hand them to a template; every lookup and
fallback lives on :class:`~sunshine.content.Content`, so the static build and
the server show the same thing.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from ..content import Content
from ..content.model import ITEM_TYPES
from ..store import get_content
from .urls import (
    AUDIENCE_LABELS,
    AUDIENCES_BY_SLUG,
    TYPES_BY_SLUG,
    items_for_audience,
    items_of_type,
)

bp = Blueprint("web", __name__)


def _get(records: dict, record_id: str):  # type: ignore[no-untyped-def,type-arg]
    record = records.get(record_id)
    if record is None:
        abort(404)
    return record


def _types_with_counts(content: Content) -> list[tuple[str, int]]:
    return [(t, n) for t in ITEM_TYPES if (n := len(items_of_type(content, t)))]


@bp.route("/")
def home() -> str:
    content = get_content()
    departments = [(d, len(content.items_of_department(d))) for d in content.departments.values()]
    return render_template(
        "home/index.html",
        home=True,
        types=_types_with_counts(content),
        departments=[(d, n) for d, n in departments if n],
        audiences=[(a, AUDIENCE_LABELS[a], len(items_for_audience(content, a))) for a in ("自然人", "法人")],
        latest_news=content.news_latest(6),
        withdrawn_count=len(content.withdrawn_items()),
    )


@bp.route("/items/")
def items() -> str:
    content = get_content()
    groups = [(t, items_of_type(content, t)) for t, _ in _types_with_counts(content)]
    return render_template(
        "items/index.html",
        groups=groups,
        withdrawn=content.withdrawn_items(),
        total=len(content.active_items()),
    )


@bp.route("/items/type/<slug>/")
def items_by_type(slug: str) -> str:
    item_type = TYPES_BY_SLUG.get(slug) or abort(404)
    content = get_content()
    return render_template("items/list.html", heading=item_type, items=items_of_type(content, item_type))


@bp.route("/items/audience/<slug>/")
def items_by_audience(slug: str) -> str:
    audience = AUDIENCES_BY_SLUG.get(slug) or abort(404)
    content = get_content()
    return render_template(
        "items/list.html", heading=AUDIENCE_LABELS[audience], items=items_for_audience(content, audience)
    )


@bp.route("/items/withdrawn/")
def items_withdrawn() -> str:
    content = get_content()
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


@bp.route("/pages/<page_id>/")
def page(page_id: str) -> str:
    return render_template("pages/detail.html", page=_get(get_content().pages, page_id))


@bp.route("/404.html")
def not_found_page() -> str:
    """The 404 page as a file for the static build (static servers are configured to serve it)."""
    return render_template("errors/404.html")
