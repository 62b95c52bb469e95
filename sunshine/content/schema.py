"""JSON Schemas of the content contract, generated from the pydantic models.

Editors point their editor at these files (see docs/editors.md) and get
completion, hover help in Chinese and red squiggles for unknown keys and
wrong enumeration words while they type.  The build ships them under
``/schema/`` of the site via :func:`write_schemas`.

A schema can only see one file, so the rules that span records (ids that
must exist, unique codes, forms that must exist) are stated in the
``description`` of the fields concerned and enforced by ``build.py check``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from .model import INHERITED_KEYS, CatalogEntry, Department, Item, News, Page, Site, Synonyms, Window

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: kind → (model, where its records live, rules beyond one field that the checker enforces).
SCHEMA_KINDS: dict[str, tuple[type[BaseModel], str, str]] = {
    "site": (Site, "site.yaml", "reform_rounds 的 round 编号供事项 changes[].round 引用。"),
    "department": (Department, "departments/<id>.yaml", "文件名即单位 id：小写字母、数字和 -。"),
    "window": (
        Window,
        "windows/<id>.yaml",
        "文件名即窗口 id；departments 中的每个 id 必须存在于 departments/。",
    ),
    "item": (
        Item,
        "items/<id>.yaml",
        "文件名即事项 id。跨记录规则（由 build.py check 检查）："
        "department、windows 与 joint 引用的 id 必须存在；"
        "code 在所有事项中唯一；time_limit.promised ≤ time_limit.legal；"
        "online.depth 为 4 时 visits 必须为 0；"
        "materials[].template、materials[].sample、result.sample 必须是 forms/ 下已有的文件；"
        "changes[].round 必须在 site.yaml 的 reform_rounds 中定义；日期必须真实存在（YYYY-MM-DD）。"
        "写了 base 的事项（实施清单）继承 catalog/<base>.yaml 中本文件没有写的字段，"
        "自身必填 code、department、status、time_limit.promised、updated；"
        "承诺时限不得超过基本目录的法定时限，type 须与基本目录一致。",
    ),
    "catalog": (
        CatalogEntry,
        "catalog/<id>.yaml",
        "基本目录：文件名即基本目录 id，供各中心事项的 base 引用；code（基本编码）在基本目录中唯一；"
        "materials[].template 等须是内容根目录 forms/ 下已有的文件。",
    ),
    "news": (
        News,
        "news/<YYYY-MM-DD>-<id>.md",
        "文件开头 --- 与 --- 之间的前置元数据；正文为 Markdown。文件名中的日期须真实存在。",
    ),
    "page": (Page, "pages/<id>.md", "文件开头 --- 与 --- 之间的前置元数据；正文为 Markdown。"),
}


def record_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one record kind ("item", "site", …, or "synonyms")."""
    if kind == "synonyms":
        field = Synonyms.model_fields["groups"]
        schema = TypeAdapter(dict[str, list[str]]).json_schema()
        schema["title"] = Synonyms.model_config.get("title", "synonyms")
        schema["description"] = (
            f"synonyms.yaml：{field.title}。"
            "例：食品经营许可: [开饭店, 开餐馆, 餐饮许可]。搜索把它们当作同一个词。"
        )
    else:
        model, where, rules = SCHEMA_KINDS[kind]
        schema = model.model_json_schema(mode="validation")
        schema["description"] = f"{where}。{rules}"
        if kind == "item":
            _inheritable_when_based(schema)
    _loosen_text(schema)
    return {"$schema": SCHEMA_DIALECT, "$id": f"{kind}.schema.json", **schema}


def write_schemas(dest_dir: Path) -> list[Path]:
    """Write ``<kind>.schema.json`` for every record kind into ``dest_dir``; return the files written."""
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in [*SCHEMA_KINDS, "synonyms"]:
        path = dest_dir / f"{kind}.schema.json"
        path.write_text(
            json.dumps(record_schema(kind), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        written.append(path)
    return written


def _inheritable_when_based(schema: dict[str, Any]) -> None:
    """Keys a catalog entry can give are required only of an item without ``base``."""
    required = schema.get("required", [])
    inheritable = [k for k in required if k in INHERITED_KEYS]
    schema["required"] = [k for k in required if k not in INHERITED_KEYS]
    # An alternative (not if/then): editors then report a typo as the unknown key, not as a missing one.
    schema["anyOf"] = [{"required": ["base"]}, {"required": inheritable}]


def _loosen_text(node: Any) -> None:
    """Free text also accepts a number, as the loader does (``phone: 12345`` is the text "12345")."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"format", "pattern", "enum", "const"} & node.keys():
            node["type"] = ["string", "number"]
        for value in node.values():
            _loosen_text(value)
    elif isinstance(node, list):
        for value in node:
            _loosen_text(value)
