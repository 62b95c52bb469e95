"""Helpers of the ledger tests: a content tree written here, and a helper to send events and read the ledger.

The tree is the small contract tree of tests/conftest.py plus items made for
the clock and the signals: one whose first step is named 受理, one cancelled
on a known date, one cancelled by a 合并, one suspended, one devolved with no
dated change, and one of another department (for a token's binding).

Dates are around China's National Day 2024, whose 调休 made Sunday 09-29 and
Saturday 10-12 working days and 10-01…10-07 a holiday.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from sunshine.feedback.models import TIMEZONE
from sunshine.ledger.items import LedgerIndex
from sunshine.ledger.queries import get_case
from sunshine.ledger.signals import Signal, signals
from sunshine.ledger.state import CaseState
from sunshine.ledger.store import Importer, ImportResult, check_derived

#: The importer's clock in these tests: events up to here (plus 5 minutes) are not "in the future".
NOW = dt.datetime(2024, 12, 31, 12, 0, tzinfo=TIMEZONE)

_ITEM = """\
name: {name}
code: "{code}"
type: 行政许可
department: {department}
status: {status}
{changes}basis:
  - law: 《测试条例》
conditions: 无。
materials: []
process:
{process}time_limit:
  legal: 20
  promised: {promised}
fees: []
updated: 2024-01-01
"""


def _item(
    name: str,
    code: str,
    *,
    status: str = "在办",
    changes: str = "",
    promised: int = 5,
    steps: tuple[tuple[str, str], ...] = (("受理", "当场"),),
    department: str = "zwzx",
) -> str:
    process = "".join(f"  - {{step: {s}, duration: {d}}}\n" for s, d in steps)
    changes = f"changes:\n{changes}" if changes else ""
    return _ITEM.format(
        name=name,
        code=code,
        status=status,
        changes=changes,
        process=process,
        promised=promised,
        department=department,
    )


LEDGER_FILES: dict[str, str] = {
    "departments/jiaotong.yaml": "name: 测试市交通运输局\nlevel: 市级\n",
    "items/mingcheng-biangeng.yaml": _item(
        "个体工商户名称变更",
        "0000-DJ-004",
        promised=2,
        steps=(("受理", "当场"), ("审核", "1个工作日"), ("发照", "约 10 分钟")),
    ),
    "items/quxiao-shixiang.yaml": _item(
        "某某资格认定",
        "0000-QX-005",
        status="已取消",
        changes="  - {date: 2024-06-30, action: 保留}\n  - {date: 2024-10-10, action: 取消}\n",
    ),
    "items/hebing-shixiang.yaml": _item(
        "某某备案", "0000-HB-006", status="已取消", changes="  - {date: 2024-06-01, action: 合并}\n"
    ),
    "items/zanting-shixiang.yaml": _item("某某许可（暂停）", "0000-ZT-007", status="暂停"),
    "items/xiafang-shixiang.yaml": _item("某某审批（已下放）", "0000-XF-008", status="已下放"),
    "items/daoluyunshu-xuke.yaml": _item(
        "道路运输经营许可",
        "0000-JT-009",
        department="jiaotong",
        promised=10,
        steps=(("申请与受理", "当场"), ("审查", "5 个工作日")),
    ),
}


def write_ledger_tree(root: Path) -> Path:
    """The ledger's files added to a small contract tree at ``root``."""
    for rel, text in LEDGER_FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


COUNTY_SITE = """\
name: 测试县政务服务中心
level: 县级
address: 测试县城关镇 1 号
phone: 0000-3333333
complaint_phone: 0000-3334444
hours: 周一至周五 9:00—17:00
"""


def write_city(root: Path) -> Path:
    """Make the tree at ``root`` a city: its own center ``city`` and the county ``xian``."""
    site = root / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "centers: [xian]\n", encoding="utf-8")
    county = root / "centers" / "xian"
    files = {
        "site.yaml": COUNTY_SITE,
        "departments/minzheng.yaml": "name: 测试县民政局\nlevel: 县级\n",
        "items/jiehun-dengji.yaml": _item(
            "结婚登记",
            "XIAN-MZ-001",
            department="minzheng",
            promised=0,
            steps=(("受理", "当场"), ("登记", "即时")),
        ),
    }
    for rel, text in files.items():
        path = county / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def moment(text: str) -> dt.datetime:
    """ "2024-09-27 09:00" as that local moment."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=TIMEZONE)


def event(id: str, case: str, type: str, at: str, **fields: Any) -> dict[str, Any]:
    """An event with ``at`` written as local time ("2024-09-27 09:00")."""
    return {"id": id, "case": case, "type": type, "at": moment(at).isoformat(), **fields}


def lines(*events: dict[str, Any] | str) -> list[bytes]:
    """Events as the lines of a file (a str is a line as is)."""
    return [(e if isinstance(e, str) else json.dumps(e, ensure_ascii=False)).encode() for e in events]


@dataclass
class Ledger:
    """The ledger under test: send events, read cases and signals."""

    engine: Engine
    index: LedgerIndex

    def send(self, *events: dict[str, Any] | str, now: dt.datetime = NOW, batch: int = 1000) -> ImportResult:
        importer = Importer(self.engine, self.index, clock=lambda: now, batch_size=batch)
        return importer.run(lines(*events))

    def signals(self, at: str, **filters: Any) -> list[Signal]:
        with self.engine.connect() as conn:
            return signals(conn, self.index, moment(at), **filters)

    def pairs(self, at: str, **filters: Any) -> set[tuple[str, str]]:
        return {(s.case, s.rule) for s in self.signals(at, **filters)}

    def case(self, case_no: str, center: str | None = None) -> CaseState:
        from sqlalchemy.orm import Session

        with Session(self.engine) as session:
            record = get_case(session, center or self.index.root_id, case_no)
        assert record is not None, case_no
        return record.state

    def consistent(self) -> list[str]:
        return check_derived(self.engine, self.index)
