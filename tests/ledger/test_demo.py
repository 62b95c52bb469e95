"""The demo's year of cases: valid to the contract, deterministic for a date, idempotent to import, and rich.

``make run`` imports it into the instance database every time, so a second
import must change nothing and a later day's must only add.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from sunshine import DEMO_CONTENT
from sunshine.content import Content, read_content
from sunshine.feedback import db
from sunshine.feedback.models import TIMEZONE
from sunshine.ledger.demo import demo_lines
from sunshine.ledger.items import ledger_index
from sunshine.ledger.models import RULES
from sunshine.ledger.signals import signals
from sunshine.ledger.store import Importer, check_derived

UNTIL = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def demo() -> Content:
    return read_content(DEMO_CONTENT)


@pytest.fixture(scope="module")
def year(demo: Content) -> list[str]:
    return demo_lines(demo, until=UNTIL)


def test_the_same_day_gives_the_same_lines_and_a_later_day_keeps_them(demo: Content, year: list[str]) -> None:
    assert demo_lines(demo, until=UNTIL) == year
    later = set(demo_lines(demo, until=UNTIL + dt.timedelta(days=3), days=368))
    assert set(year) <= later and len(later) > len(year)


def test_a_realistic_year(year: list[str]) -> None:
    events = [json.loads(line) for line in year]
    cases = {(e["center"], e["case"]) for e in events}
    assert 3000 <= len(cases) <= 6000
    types = Counter(e["type"] for e in events)
    for kind in (
        "申请",
        "受理",
        "环节完成",
        "补正告知",
        "补正完成",
        "特别程序开始",
        "收费",
        "办结",
        "撤回",
        "不予受理",
    ):
        assert types[kind] > 0, kind
    assert Counter(e["center"] for e in events).keys() == {"city", "luochuan", "yanchuan"}
    assert {e.get("channel") for e in events if e["type"] == "申请"} >= {"窗口", "网上", "自助", "邮寄"}
    last = max(dt.datetime.fromisoformat(e["at"]) for e in events)
    assert last <= dt.datetime.combine(UNTIL, dt.time.max, tzinfo=TIMEZONE)


def test_it_imports_without_a_refusal_idempotently_with_every_kind_of_signal(
    demo: Content, year: list[str], tmp_path: Path
) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    db.upgrade(engine)
    index = ledger_index(demo)
    now = dt.datetime.combine(UNTIL + dt.timedelta(days=1), dt.time(10), tzinfo=TIMEZONE)
    try:
        first = Importer(engine, index, clock=lambda: now).run(line.encode() for line in year)
        assert first.rejected == [] and first.accepted == len(year)
        again = Importer(engine, index, clock=lambda: now).run(line.encode() for line in year)
        assert (again.accepted, again.duplicates) == (0, len(year))
        assert check_derived(engine, index) == []
        with engine.connect() as conn:
            found = Counter(s.rule for s in signals(conn, index, now))
        assert set(found) == set(RULES)  # a few red cards of each rule, some open cases 临近到期
        for rule in ("违规收费", "不予无理由", "已取消事项受理"):
            assert 1 <= found[rule] <= 40, (rule, found[rule])
    finally:
        engine.dispose()
