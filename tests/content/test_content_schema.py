"""The JSON Schemas shipped under /schema/: generated from the models, and agreeing with the loader."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from contenttree import MINIMAL_TREE, Tree

from sunshine import DEMO_CONTENT
from sunshine.content.schema import write_schemas
from sunshine.content.yamlio import parse_yaml, split_front_matter

KIND_OF_FOLDER = {
    "departments": "department",
    "windows": "window",
    "items": "item",
    "news": "news",
    "pages": "page",
    "catalog": "catalog",
}


def _kind(rel: str) -> str | None:
    """The schema of a file of a tree; a county center's files (centers/<id>/…) as a center's."""
    parts = rel.split("/")
    if parts[0] == "centers" and len(parts) > 2:
        rel = "/".join(parts[2:])
    if rel == "site.yaml":
        return "site"
    if rel == "synonyms.yaml":
        return "synonyms"
    return KIND_OF_FOLDER.get(rel.split("/")[0])


def _as_editor_sees(value: Any) -> Any:
    """Data as a YAML-aware editor hands it to the schema: dates are text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _as_editor_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_editor_sees(v) for v in value]
    return value


def _data(path: Path) -> Any:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix == ".md":
        split = split_front_matter(text)
        assert split is not None, path
        text = split[0]
    return _as_editor_sees(parse_yaml(text).data)


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    written = write_schemas(tmp_path_factory.mktemp("schema"))
    return {p.name.removesuffix(".schema.json"): json.loads(p.read_text(encoding="utf-8")) for p in written}


def test_one_schema_per_record_kind(schemas: dict[str, dict[str, Any]]) -> None:
    assert sorted(schemas) == ["catalog", "department", "item", "news", "page", "site", "synonyms", "window"]
    for kind, schema in schemas.items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$id"] == f"{kind}.schema.json"


def test_item_schema_speaks_chinese_and_forbids_typos(schemas: dict[str, dict[str, Any]]) -> None:
    item = schemas["item"]
    assert item["title"] == "事项 (items/<id>.yaml)"
    assert item["additionalProperties"] is False
    assert item["properties"]["materials"]["title"] == "申请材料"
    assert item["properties"]["type"]["enum"][0] == "行政许可"
    assert "code 在所有事项中唯一" in item["description"]
    assert "departments/" in item["properties"]["department"]["description"]
    assert item["$defs"]["Material"]["additionalProperties"] is False
    assert item["properties"]["visits"]["default"] == 1


@pytest.mark.parametrize("rel", sorted(r for r, d in MINIMAL_TREE.items() if isinstance(d, str)))
def test_minimal_tree_validates(schemas: dict[str, dict[str, Any]], tree: Tree, rel: str) -> None:
    kind = _kind(rel)
    assert kind is not None
    jsonschema.validate(_data(tree.root / rel), schemas[kind])


@pytest.mark.parametrize(
    ("rel", "old", "new", "complaint"),
    [
        ("items/canyin-xuke.yaml", "materials:", "matrials:", "'matrials' was unexpected"),
        ("items/canyin-xuke.yaml", "    form: 原件", "    from: 原件", "'from' was unexpected"),
        ("items/canyin-xuke.yaml", "type: 行政许可", "type: 行政许否", "is not one of"),
        ("items/canyin-xuke.yaml", "depth: 2", "depth: 5", "is greater than the maximum"),
        ("site.yaml", "  icp:", "  ipc:", "'ipc' was unexpected"),
        ("news/2010-06-01-kaiye.md", "tags:", "tag:", "'tag' was unexpected"),
    ],
)
def test_typo_fails_schema(
    schemas: dict[str, dict[str, Any]], tree: Tree, rel: str, old: str, new: str, complaint: str
) -> None:
    tree.edit(rel, old, new)
    with pytest.raises(jsonschema.ValidationError, match=complaint):
        jsonschema.validate(_data(tree.root / rel), schemas[_kind(rel) or ""])


def test_demo_content_validates_against_schemas(schemas: dict[str, dict[str, Any]]) -> None:
    files = [
        p
        for p in sorted(DEMO_CONTENT.rglob("*"))
        if p.is_file() and p.relative_to(DEMO_CONTENT).parts[0] != "forms"
    ]
    failures = []
    for path in files:
        rel = path.relative_to(DEMO_CONTENT).as_posix()
        kind = _kind(rel)
        if kind is None:
            continue
        errors = list(jsonschema.Draft202012Validator(schemas[kind]).iter_errors(_data(path)))
        failures += [f"{rel}: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]
    assert len(files) > 10
    assert failures == []
