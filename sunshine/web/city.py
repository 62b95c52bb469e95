"""The pages of a city-wide tree: the portal's list of centers, the catalog comparison, reform, open data.

* ``/`` stays the root center's home; when the tree has county centers it also
  lists every center (:func:`portal_centers`, shown by ``portal/_centers.html``).
* ``/catalog/`` and ``/catalog/<id>/``: 同一事项无差别受理 — each catalog entry
  as every center implements it (:mod:`sunshine.content.compare`).
* ``/reform/`` (the city's table and the root center's rounds) and
  ``/<center>/reform/``: 清理整顿 in numbers (:mod:`sunshine.content.reform`),
  with SVG charts drawn here and the numbers beside them in tables.
* ``/data/``: the open data files (:mod:`sunshine.opendata`), and the files themselves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from flask import Blueprint, Flask, Response, abort, current_app, render_template
from markupsafe import Markup

from .. import opendata
from ..content import Content
from ..content.compare import ELEMENTS, compare, compare_all
from ..content.reform import COLUMNS, RoundStats, center_rounds, latest_round
from ..feedback.svgchart import Series, bar_chart
from ..store import get_city, get_content
from .urls import PageRef, public_pages

bp = Blueprint("city", __name__)

#: Where other subsystems register a source of 按时办结率 (on-time completion) per center.
ON_TIME_KEY = "sunshine.on_time_rates"

OnTimeRates = Callable[[Content], dict[str, Decimal | float | None]]


def register_on_time_rates(app: Flask, source: OnTimeRates) -> None:
    """Let the portal show 按时办结率: ``source(city)`` gives center id → percentage (None: no cases)."""
    app.extensions[ON_TIME_KEY] = source


@dataclass
class CenterSummary:
    """One center as the portal lists it."""

    center: Content
    active: int
    latest: RoundStats | None
    on_time: Decimal | float | None


def portal_centers() -> list[CenterSummary]:
    """Every center of the tree, root first, with the figures the portal shows."""
    city = get_city()
    source: OnTimeRates | None = current_app.extensions.get(ON_TIME_KEY)
    rates = source(city) if source is not None else {}
    return [
        CenterSummary(c, len(c.active_items()), latest_round(c), rates.get(c.center_id))
        for c in city.all_centers()
    ]


def _short(center: Content) -> str:
    """A center for a chart's axis: the last unit of its region (洛川县), else its short name."""
    units = re.findall(r"[^省市县区旗]+[省市县区旗]", center.site.region or "")
    return units[-1] if units else center.label


@dataclass
class Chart:
    """A chart drawn here, and its size class (``chart-s`` … ``chart-l``: how wide the page lets it grow)."""

    svg: Markup
    size: str


def _chart_size(width: int) -> str:
    return "chart-s" if width <= 520 else "chart-m" if width <= 900 else "chart-l"


def _round_chart(center: Content, rounds: list[RoundStats]) -> Chart:
    name = center.site.name
    desc = "；".join(
        f"{s.name}：清理 {s.cleared} 项，"
        + "，".join(f"{c} {s.count(c)}" for c in ("取消", "下放", "合并", "保留"))
        + f"，精简率 {s.rate_text}"
        for s in rounds
    )
    width = max(480, 160 * len(rounds))
    svg = bar_chart(
        f"reform-rounds-{center.center_id}",
        f"{name}各轮清理结果（项）",
        desc + "。",
        [f"第{s.round.round}轮" for s in rounds],
        [Series(c, [s.count(c) for s in rounds]) for c in ("取消", "下放", "合并", "保留")],
        width=width,
    )
    return Chart(svg, _chart_size(width))


def _city_chart(summaries: list[tuple[Content, RoundStats]]) -> Chart:
    desc = "；".join(f"{c.site.name}（{s.name}）{s.rate_text}" for c, s in summaries)
    width = max(480, 96 * len(summaries))
    svg = bar_chart(
        "reform-rates",
        "各中心最近一轮清理的精简率（%）",
        desc + "。",
        [_short(c) for c, _ in summaries],
        [Series("精简率（%）", [float(s.rate or 0) for _, s in summaries])],
        width=width,
    )
    return Chart(svg, _chart_size(width))


def _has_rounds(content: Content) -> bool:
    """Whether the center has a reform page: its rounds, or (the root) any center's, for the city's table."""
    return (
        any(c.reform_rounds for c in content.all_centers())
        if content.city is None
        else bool(content.reform_rounds)
    )


@bp.route("/reform/")
def reform() -> str:
    """The root: the city's table (center × round) and its own rounds; a county: its rounds."""
    content = get_content()
    if not _has_rounds(content):
        abort(404)
    rounds = center_rounds(content)
    city_rows: list[tuple[Content, list[RoundStats]]] = []
    city_chart = None
    if content.city is None and content.is_city:
        city_rows = [(c, center_rounds(c)) for c in content.all_centers()]
        latest = [(c, r[-1]) for c, r in city_rows if r]
        city_chart = _city_chart(latest) if latest else None
    return render_template(
        "reform/index.html",
        rounds=rounds,
        chart=_round_chart(content, rounds) if rounds else None,
        city_rows=city_rows,
        city_chart=city_chart,
        columns=COLUMNS,
    )


@bp.route("/catalog/")
def catalog() -> str:
    city = get_city()
    if not city.catalog:
        abort(404)
    return render_template("catalog/index.html", comparisons=compare_all(city), centers=city.all_centers())


@bp.route("/catalog/<entry_id>/")
def catalog_entry(entry_id: str) -> str:
    city = get_city()
    entry = city.catalog.get(entry_id) or abort(404)
    return render_template("catalog/detail.html", comparison=compare(city, entry), elements=ELEMENTS)


#: The files of ``/data/``: endpoint → (file name, what it holds, format).
DATA_FILES: dict[str, tuple[str, str, str]] = {
    "city.data_items_json": ("items.json", "政务服务事项（全部字段）", "JSON"),
    "city.data_items_csv": ("items.csv", "政务服务事项（主要字段）", "CSV"),
    "city.data_catalog": ("catalog.json", "基本目录及各中心实施情况对比", "JSON"),
    "city.data_reform": ("reform.csv", "各中心各轮清理整顿统计", "CSV"),
    "city.data_schema": ("items.schema.json", "items.json 的 JSON Schema", "JSON Schema"),
}


def _text(body: str, mimetype: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Type": f"{mimetype}; charset=utf-8"})


def _data_title(content: Content) -> str:
    if content.city is None and content.is_city:
        return f"{content.site.name}及各县级中心政务服务事项"
    return f"{content.site.name}政务服务事项"


def _data_centers(content: Content) -> list[Content]:
    """The centers a data file of this URL covers: the whole tree at the root, one county under its prefix."""
    return content.all_centers() if content.city is None else [content]


@bp.route("/data/")
def data() -> str:
    city = get_city()
    return render_template(
        "data/index.html",
        files=DATA_FILES,
        updated=opendata.updated(i for c in city.all_centers() for i in c.items.values()),
        license=city.site.data_license,
    )


@bp.route("/data/items.json")
def data_items_json() -> Response:
    content = get_content()
    return _text(opendata.items_json(_data_centers(content), _data_title(content)), "application/json")


@bp.route("/data/items.csv")
def data_items_csv() -> Response:
    return _text(opendata.items_csv(_data_centers(get_content())), "text/csv")


@bp.route("/data/catalog.json")
def data_catalog() -> Response:
    city = get_city()
    if not city.catalog:
        abort(404)
    return _text(opendata.catalog_json(city), "application/json")


@bp.route("/data/reform.csv")
def data_reform() -> Response:
    return _text(opendata.reform_csv(get_city()), "text/csv")


@bp.route("/data/items.schema.json")
def data_schema() -> Response:
    return _text(json.dumps(opendata.items_schema(), ensure_ascii=False, indent=2) + "\n", "application/json")


# --- every URL of a tree ---------------------------------------------------------------------------


def _in(center: Content, ref: PageRef) -> PageRef:
    if center.city is None:
        return ref
    return PageRef(ref.endpoint, {**ref.values, "center": center.center_id}, ref.lastmod, ref.listed)


def city_pages(city: Content) -> Iterator[PageRef]:
    """Every HTML page of the tree: each center's pages under its prefix, then the city's own pages."""
    for center in city.all_centers():
        for ref in public_pages(center):
            yield _in(center, ref)
        if _has_rounds(center):
            shown = center.all_centers() if center.city is None else [center]
            dates = [i.updated for c in shown for i in c.items.values() if i.changes]
            yield _in(center, PageRef("city.reform", {}, max(dates, default=None)))
    items = [i for c in city.all_centers() for i in c.items.values()]
    if city.catalog:
        yield PageRef("city.catalog", {}, opendata.updated(i for i in items if i.base))
        for entry in city.catalog.values():
            based = [i for c in city.all_centers() for i in c.implementations(entry.id)]
            yield PageRef("city.catalog_entry", {"entry_id": entry.id}, opendata.updated(based))
    yield PageRef("city.data", {}, opendata.updated(items))


def data_files(city: Content) -> Iterator[PageRef]:
    """Every open data file of the tree (not pages: the sitemap leaves them out)."""
    for center in city.all_centers():
        yield _in(center, PageRef("city.data_items_json", {}))
        yield _in(center, PageRef("city.data_items_csv", {}))
    if city.catalog:
        yield PageRef("city.data_catalog", {})
    yield PageRef("city.data_reform", {})
    yield PageRef("city.data_schema", {})


#: Endpoints without arguments that a tree may have nothing for: frozen only when listed above.
OPTIONAL_PAGES: frozenset[str] = frozenset({"city.reform", "city.catalog", "city.data_catalog"})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(portal_centers, "portal_centers")
