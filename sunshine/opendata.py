"""Open data (资源共享): the items, the catalog comparison and the reform figures as JSON and CSV.

Field names are the contract's (CONTENT-SPEC.md): an item in ``items.json``
is its record with every key, inherited ones included, plus where it is
published (``center``, ``id``, ``url``).  ``items.schema.json`` is generated
from the same model, so a downloaded file always validates against the
schema published beside it.  The files are built by the same views in the
static build and on the server (:mod:`sunshine.web.city`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from typing import Any

from .content import Content
from .content.compare import ELEMENTS, compare_all
from .content.model import CatalogEntry, Item
from .content.reform import COLUMNS, center_rounds

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: items.csv: one row per item; nested keys are written with a dot, lists joined with "；".
ITEM_CSV_COLUMNS: tuple[str, ...] = (
    "center",
    "id",
    "code",
    "base",
    "name",
    "type",
    "department",
    "department_name",
    "status",
    "audience",
    "time_limit.legal",
    "time_limit.promised",
    "visits",
    "online.depth",
    "fees",
    "materials",
    "windows",
    "updated",
    "url",
)

#: reform.csv: the contract's names of the figures (清理整顿), one row per center and round.
REFORM_CSV_COLUMNS: tuple[str, ...] = (
    "center",
    "center_name",
    "round",
    "name",
    "date",
    "document",
    "清理事项数",
    *COLUMNS,
    "精简率",
)


def item_url(center: Content, item: Item) -> str:
    return f"{center.url_prefix}/items/{item.id}/"


def updated(items: Iterable[Item]) -> dt.date | None:
    """When a data set last changed: the latest ``updated`` of its items."""
    return max((i.updated for i in items), default=None)


def item_record(center: Content, item: Item) -> dict[str, Any]:
    """One item as open data: where it is published, then every key of the contract."""
    return {
        "center": center.center_id,
        "id": item.id,
        "url": item_url(center, item),
        **item.model_dump(mode="json"),
    }


def _envelope(title: str, city: Content, dates: Iterable[dt.date | None]) -> dict[str, Any]:
    known = [d for d in dates if d is not None]
    license_ = city.site.data_license
    return {
        "title": title,
        "publisher": city.site.identifiers.sponsor or city.site.name,
        "license": {"name": license_.name, "url": license_.url},
        "updated": max(known).isoformat() if known else None,
    }


def items_json(centers: list[Content], title: str) -> str:
    """``items.json`` of ``centers`` (the whole city, or one center)."""
    city = centers[0].root_center
    records = [item_record(c, i) for c in centers for i in c.items.values()]
    body = _envelope(title, city, [updated(i for c in centers for i in c.items.values())])
    body["schema"] = "/data/items.schema.json"
    body["centers"] = [{"id": c.center_id, "name": c.site.name, "url": c.url_prefix + "/"} for c in centers]
    body["items"] = records
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"


def _cell(center: Content, item: Item, column: str) -> str | int | None:
    if column == "center":
        return center.center_id
    if column == "id":
        return item.id
    if column == "url":
        return item_url(center, item)
    if column == "department_name":
        return center.department_of(item).name
    if column == "fees":
        return "；".join(f.name or f.standard or "" for f in item.fees) if item.fees else "不收费"
    if column == "materials":
        return "；".join(m.name for m in item.materials)
    if column == "windows":
        return "；".join(item.windows)
    value: Any = item
    for part in column.split("."):
        value = getattr(value, part)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """CSV text with a UTF-8 byte order mark, so that spreadsheet programs read the Chinese right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return "\ufeff" + buffer.getvalue()


def items_csv(centers: list[Content]) -> str:
    """``items.csv`` of ``centers``: the columns of :data:`ITEM_CSV_COLUMNS`."""
    rows = ([_cell(c, i, col) for col in ITEM_CSV_COLUMNS] for c in centers for i in c.items.values())
    return _csv(ITEM_CSV_COLUMNS, rows)


def _entry_record(entry: CatalogEntry) -> dict[str, Any]:
    return {"id": entry.id, **entry.model_dump(mode="json")}


def catalog_json(city: Content) -> str:
    """``catalog.json``: every catalog entry, how each center implements it, and where they differ."""
    entries = []
    for comparison in compare_all(city):
        implementations = [
            {
                "center": row.center.center_id,
                "item": row.item.id,
                "code": row.item.code,
                "url": item_url(row.center, row.item),
                "status": row.item.status,
                "promised": row.item.time_limit.promised,
                "materials": len(row.item.materials),
                "local_materials": [m.name for m in row.item.local_materials],
                "visits": row.item.visits,
                "online_depth": row.item.online.depth,
                "fees": [f.model_dump(mode="json") for f in row.item.fees],
                "windows": row.item.windows,
                "best": sorted(row.best, key=list(ELEMENTS).index),
            }
            for row in comparison.rows
        ]
        entries.append(
            {
                **_entry_record(comparison.entry),
                "implementations": implementations,
                "not_implemented": [c.center_id for c in comparison.missing],
                "differences": comparison.spreads,
            }
        )
    body = _envelope(f"{city.site.name} 基本目录及各中心实施情况", city, [updated(_all_items(city))])
    body["entries"] = entries
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"


def _all_items(city: Content) -> Iterable[Item]:
    return (i for c in city.all_centers() for i in c.items.values())


def reform_csv(city: Content) -> str:
    """``reform.csv``: every center's figures for every round it has."""
    rows = []
    for center in city.all_centers():
        for stats in center_rounds(center):
            r = stats.round
            rows.append(
                [
                    center.center_id,
                    center.site.name,
                    r.round,
                    stats.name,
                    r.date.isoformat() if r.date else None,
                    r.document,
                    stats.cleared,
                    *(stats.count(c) for c in COLUMNS),
                    str(stats.rate) if stats.rate is not None else None,
                ]
            )
    return _csv(REFORM_CSV_COLUMNS, rows)


def items_schema() -> dict[str, Any]:
    """The JSON Schema ``items.json`` validates against, generated from the item model."""
    item = Item.model_json_schema(mode="serialization", ref_template="#/$defs/{model}")
    defs = item.pop("$defs", {})
    text = {"type": "string"}
    item["properties"] = {
        "center": {**text, "title": "中心标识", "pattern": r"^[a-z0-9-]+$"},
        "id": {**text, "title": "事项标识（文件名）", "pattern": r"^[a-z0-9-]+$"},
        "url": {**text, "title": "事项页面地址"},
        **item["properties"],
    }
    item["required"] = ["center", "id", "url", *item.get("required", [])]
    item["additionalProperties"] = False
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": "items.schema.json",
        "title": "政务服务事项开放数据 (items.json)",
        "description": (
            "各字段即内容规范 CONTENT-SPEC.md 的事项字段；center、id、url 说明事项发布在哪个中心的哪个页面。"
        ),
        "type": "object",
        "required": ["title", "publisher", "license", "updated", "centers", "items"],
        "properties": {
            "title": text,
            "publisher": text,
            "license": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": text, "url": {"type": ["string", "null"]}},
            },
            "updated": {"type": ["string", "null"], "format": "date"},
            "schema": text,
            "centers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "name", "url"],
                    "properties": {"id": text, "name": text, "url": text},
                },
            },
            "items": {"type": "array", "items": {"$ref": "#/$defs/Item"}},
        },
        "$defs": {**defs, "Item": item},
    }
