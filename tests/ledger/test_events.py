"""The contract's refusals, one by one, each at its exact line; good lines around them are stored.

CASE-EXCHANGE.md: "every valid line written to it must be accepted, every
invalid line refused with its line number and reason".
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from ledger_helpers import NOW, Ledger, event, lines, write_city
from sqlalchemy import select

from sunshine.content import read_content
from sunshine.ledger.events import MAX_LINE_CHARS
from sunshine.ledger.items import ledger_index
from sunshine.ledger.models import Event
from sunshine.ledger.store import Importer

OK_APPLY = event(
    "ok-1",
    "C-1",
    "申请",
    "2024-09-26 09:00",
    item="canyin-fuwu-xuke",
    channel="窗口",
    applicant={"name": "张三", "kind": "自然人"},
)
OK_ACCEPT = event("ok-2", "C-1", "受理", "2024-09-27 09:10", item="0000-XK-001", actor="CS-0102")


def refused(ledger: Ledger, *events: dict | str) -> dict[int, str]:
    """Send the events after two good lines; return {line: error} of the refused ones (lines from 3)."""
    result = ledger.send(OK_APPLY, OK_ACCEPT, *events)
    assert result.accepted + result.duplicates + len(result.rejected) == 2 + len(events)
    return {r["line"]: r["error"] for r in result.rejected}


# (the bad line, a fragment its error must contain)
BAD_LINES: list[tuple[str, dict | str, str]] = [
    ("not JSON", '{"id": "x1", "case": "C-1",', "不是 JSON"),
    ("JSON but not an object", '["x1", "C-1"]', "不是 JSON 对象"),
    ("a JSON string", '"受理"', "不是 JSON 对象"),
    (
        "unknown key, nearest known",
        event("x1", "C-1", "补正告知", "2024-09-28 09:00", itme="x"),
        'itme: 未知字段 (unknown key) (did you mean "item"?)',
    ),
    (
        "missing id",
        {"case": "C-1", "type": "补正告知", "at": "2024-09-28T09:00:00+08:00"},
        "id: 缺少必填字段",
    ),
    (
        "missing case",
        {"id": "x1", "type": "补正告知", "at": "2024-09-28T09:00:00+08:00"},
        "case: 缺少必填字段",
    ),
    ("missing type", {"id": "x1", "case": "C-1", "at": "2024-09-28T09:00:00+08:00"}, "type: 缺少必填字段"),
    ("missing at", {"id": "x1", "case": "C-1", "type": "补正告知"}, "at: 缺少必填字段"),
    (
        "null id",
        {"id": None, "case": "C-1", "type": "补正告知", "at": "2024-09-28T09:00:00+08:00"},
        "id: 不能为 null",
    ),
    ("empty id", event("", "C-1", "补正告知", "2024-09-28 09:00"), "id: 长度应为 1–64"),
    ("id of 65 characters", event("x" * 65, "C-1", "补正告知", "2024-09-28 09:00"), "id: 长度应为 1–64"),
    ("id not a string", {**event("x", "C-1", "补正告知", "2024-09-28 09:00"), "id": 17}, "id: 应为字符串"),
    ("case with Chinese", event("x1", "案件1", "补正告知", "2024-09-28 09:00"), "case: 应为 1–64"),
    ("case with a space", event("x1", "C 1", "补正告知", "2024-09-28 09:00"), "case: 应为 1–64"),
    ("case with an underscore", event("x1", "C_1", "补正告知", "2024-09-28 09:00"), "case: 应为 1–64"),
    ("case of 65 characters", event("x1", "C" * 65, "补正告知", "2024-09-28 09:00"), "case: 应为 1–64"),
    ("unknown type", event("x1", "C-1", "补正通知", "2024-09-28 09:00"), 'did you mean "补正告知"'),
    ("unknown item id", event("x1", "C-9", "申请", "2024-09-28 09:00", item="no-such-item"), "unknown item"),
    ("unknown item code", event("x1", "C-9", "受理", "2024-09-28 09:00", item="0000-XK-999"), "unknown item"),
    ("item missing on 申请", event("x1", "C-9", "申请", "2024-09-28 09:00"), "item: 申请事件须写明事项"),
    ("item missing on 受理", event("x1", "C-9", "受理", "2024-09-28 09:00"), "item: 受理事件须写明事项"),
    (
        "center other than the root's in a single tree",
        event("x1", "C-1", "补正告知", "2024-09-28 09:00", center="xian"),
        "center: 未知中心",
    ),
    (
        "at without offset",
        {**event("x1", "C-1", "补正告知", "2024-09-28 09:00"), "at": "2024-09-28T09:00:00"},
        "at: 缺少时区偏移",
    ),
    (
        "at as a date",
        {**event("x1", "C-1", "补正告知", "2024-09-28 09:00"), "at": "2024-09-28"},
        "at: 不是 RFC 3339",
    ),
    (
        "at that does not exist",
        {**event("x1", "C-1", "补正告知", "2024-09-28 09:00"), "at": "2024-02-30T09:00:00+08:00"},
        "at: 不是存在的日期",
    ),
    (
        "at more than 5 minutes ahead",
        {
            **event("x1", "C-1", "补正告知", "2024-09-28 09:00"),
            "at": (NOW + dt.timedelta(minutes=5, seconds=1)).isoformat(),
        },
        "more than 5",
    ),
    (
        "at as a number",
        {**event("x1", "C-1", "补正告知", "2024-09-28 09:00"), "at": 1727485200},
        "at: 应为字符串",
    ),
    (
        "step not one of the item's",
        event("x1", "C-1", "环节完成", "2024-09-28 09:00", item="canyin-fuwu-xuke", step="制证"),
        "step: “制证”不是该事项的办理环节",
    ),
    (
        "step not one of the case's item's",
        event("x1", "C-1", "环节完成", "2024-09-28 09:00", step="制证"),
        "step: “制证”不是该办件事项的办理环节",
    ),
    (
        "step missing on 环节完成",
        event("x1", "C-1", "环节完成", "2024-09-28 09:00"),
        "step: 环节完成事件须写明环节",
    ),
    (
        "item disagreeing with the case's",
        event("x1", "C-1", "补正告知", "2024-09-28 09:00", item="huji-zhengming"),
        "item: 与该办件已有事件的事项“canyin-fuwu-xuke”不一致",
    ),
    (
        "decision missing on 办结",
        event("x1", "C-1", "办结", "2024-09-28 09:00"),
        "decision: 办结事件须写明决定",
    ),
    (
        "decision not a word of the contract",
        event("x1", "C-1", "办结", "2024-09-28 09:00", decision="同意"),
        "decision: 应为 准予 或 不予",
    ),
    (
        "channel not a word of the contract",
        event("x1", "C-1", "申请", "2024-09-28 09:00", item="canyin-fuwu-xuke", channel="电话"),
        "channel: 应为",
    ),
    (
        "applicant.kind not a word",
        event(
            "x1",
            "C-1",
            "申请",
            "2024-09-28 09:00",
            item="canyin-fuwu-xuke",
            applicant={"name": "张三", "kind": "个人"},
        ),
        "applicant.kind",
    ),
    (
        "applicant not an object",
        event("x1", "C-1", "申请", "2024-09-28 09:00", item="canyin-fuwu-xuke", applicant="张三"),
        "applicant: 应为对象",
    ),
    (
        "applicant with an unknown key",
        event(
            "x1",
            "C-1",
            "申请",
            "2024-09-28 09:00",
            item="canyin-fuwu-xuke",
            applicant={"name": "张三", "kind": "自然人", "phone": "1"},
        ),
        "applicant.phone: 未知字段",
    ),
    ("fee missing on 收费", event("x1", "C-1", "收费", "2024-09-28 09:00"), "fee: 收费事件须写明收费"),
    (
        "fee.amount with a unit",
        event("x1", "C-1", "收费", "2024-09-28 09:00", fee={"name": "工本费", "amount": "10元"}),
        "fee.amount",
    ),
    (
        "fee.amount as a number",
        event("x1", "C-1", "收费", "2024-09-28 09:00", fee={"name": "工本费", "amount": 10}),
        "fee.amount: 应为字符串",
    ),
    (
        "fee.amount negative",
        event("x1", "C-1", "收费", "2024-09-28 09:00", fee={"name": "工本费", "amount": "-10.00"}),
        "fee.amount",
    ),
    (
        "fee.amount in thousandths",
        event("x1", "C-1", "收费", "2024-09-28 09:00", fee={"name": "工本费", "amount": "10.005"}),
        "fee.amount",
    ),
    (
        "fee without a name",
        event("x1", "C-1", "收费", "2024-09-28 09:00", fee={"amount": "10.00"}),
        "fee.name: 缺少必填字段",
    ),
    (
        "a NUL character",
        event("x1", "C-1", "补正告知", "2024-09-28 09:00", note="a\u0000b"),
        "note: 含有 NUL",
    ),
    (
        "an unpaired surrogate",
        '{"id": "x1", "case": "C-1", "type": "补正告知", "at": "2024-09-28T09:00:00+08:00",'
        ' "note": "\\ud800"}',
        "note: 含有 NUL 或无效字符",
    ),
    (
        "a line too long",
        event("x1", "C-1", "补正告知", "2024-09-28 09:00", note="长" * MAX_LINE_CHARS),
        "一行超过",
    ),
    ("deep nesting", "[" * 30_000 + "]" * 30_000, "不是 JSON"),
    ("a huge number", '{"id": ' + "9" * 5000 + "}", "不是 JSON"),
]


@pytest.mark.parametrize(("what", "bad", "fragment"), BAD_LINES, ids=[b[0] for b in BAD_LINES])
def test_each_bad_line_is_refused_at_its_line_and_the_good_lines_stored(
    ledger: Ledger, what: str, bad: dict | str, fragment: str
) -> None:
    after = event("ok-3", "C-1", "补正告知", "2024-09-30 10:00")
    result = ledger.send(OK_APPLY, OK_ACCEPT, bad, after)
    assert [r["line"] for r in result.rejected] == [3], result.rejected
    assert fragment in result.rejected[0]["error"], result.rejected[0]["error"]
    assert result.accepted == 3 and result.duplicates == 0
    # Each error says what is wrong in Chinese and English, like the content errors.
    assert "(" in result.rejected[0]["error"]


def test_good_lines_of_every_kind_are_accepted(ledger: Ledger) -> None:
    result = ledger.send(
        OK_APPLY,
        OK_ACCEPT,
        event("g3", "C-1", "补正告知", "2024-09-30 10:00", note="缺营业执照复印件", actor="CS-0102"),
        event("g4", "C-1", "补正完成", "2024-10-08 10:00"),
        event("g5", "C-1", "特别程序开始", "2024-10-08 11:00", note="专家评审"),
        event("g6", "C-1", "特别程序结束", "2024-10-09 11:00"),
        event("g7", "C-1", "环节完成", "2024-10-09 15:00", step="现场核查", item="canyin-fuwu-xuke"),
        event("g8", "C-1", "收费", "2024-10-10 09:00", fee={"name": "工本费", "amount": "10"}),
        event("g9", "C-1", "办结", "2024-10-10 09:30", decision="准予", center="city"),
        event(
            "g10",
            "C-2",
            "申请",
            "2024-10-10 09:00",
            item="huji-zhengming",
            channel="网上",
            applicant={"name": "某某有限公司", "kind": "法人"},
        ),
        event("g11", "C-2", "撤回", "2024-10-10 10:00", reason=""),
        event("g12", "C-3", "不予受理", "2024-10-10 10:00", reason="不属于本机关职权范围"),
        # Optional keys may be null; Z is an offset; fractions of a second; at within 5 minutes ahead.
        {
            **event("g13", "C-4", "申请", "2024-10-10 09:00", item="huji-zhengming"),
            "channel": None,
            "at": "2024-10-10T01:00:00.123Z",
        },
        {
            **event("g14", "C-4", "撤回", "2024-10-10 09:00"),
            "at": (NOW + dt.timedelta(minutes=4)).isoformat(),
        },
    )
    assert result.rejected == []
    assert result.accepted == 14 and result.duplicates == 0


def test_blank_lines_are_ignored_but_counted_and_a_bom_is_tolerated_on_line_1(
    ledger: Ledger, index, engine
) -> None:  # type: ignore[no-untyped-def]
    raw = b"\xef\xbb\xbf" + json.dumps(OK_APPLY, ensure_ascii=False).encode() + b"\r\n\n   \n\t\n"
    raw += json.dumps(OK_ACCEPT, ensure_ascii=False).encode() + b"\n" + b"not json\n\n"
    raw += b"\xff\xfe bad utf-8\n"
    result = Importer(engine, index, clock=lambda: NOW).run(raw.split(b"\n"))
    assert result.accepted == 2
    assert [r["line"] for r in result.rejected] == [6, 8]
    assert result.rejected[0]["error"].startswith("不是 JSON")
    assert result.rejected[1]["error"].startswith("不是有效的 UTF-8")
    with engine.connect() as conn:
        stored = conn.execute(select(Event.raw).order_by(Event.seq)).scalars().all()
    # Stored as it came, without the BOM and the line break.
    assert stored[0] == json.dumps(OK_APPLY, ensure_ascii=False)


def test_a_bom_later_than_line_1_is_not_json(ledger: Ledger) -> None:
    result = ledger.send(OK_APPLY, "\ufeff" + json.dumps(OK_ACCEPT, ensure_ascii=False))
    assert [r["line"] for r in result.rejected] == [2]


def test_several_problems_of_one_line_are_all_named(ledger: Ledger) -> None:
    result = ledger.send({"id": "", "case": "C 1", "type": "受理", "at": "2024-09-28T09:00:00", "notes": "x"})
    error = result.rejected[0]["error"]
    for fragment in (
        "notes: 未知字段",
        'did you mean "note"',
        "id: 长度",
        "case: 应为",
        "at: 缺少时区偏移",
        "item: 受理事件须写明事项",
    ):
        assert fragment in error


def test_an_item_may_be_named_by_its_code_and_later_events_may_repeat_it(ledger: Ledger) -> None:
    result = ledger.send(
        event("a1", "K-1", "申请", "2024-10-08 09:00", item="0000-XK-001"),
        event("a2", "K-1", "受理", "2024-10-08 09:10", item="canyin-fuwu-xuke"),
        event("a3", "K-1", "环节完成", "2024-10-08 09:20", item="0000-XK-001", step="申请与受理"),
        event("a4", "K-1", "办结", "2024-10-09 09:20", item="canyin-fuwu-xuke", decision="准予"),
    )
    assert result.rejected == [] and result.accepted == 4
    assert ledger.case("K-1").item_id == "canyin-fuwu-xuke"


def test_an_item_disagreeing_with_the_case_stored_earlier_is_refused(ledger: Ledger) -> None:
    ledger.send(OK_APPLY)
    result = ledger.send(event("b1", "C-1", "受理", "2024-09-27 09:00", item="huji-zhengming"))
    assert result.rejected[0]["line"] == 1 and "不一致" in result.rejected[0]["error"]
    # …and later in the same file, once an earlier line of it named the item.
    result = ledger.send(
        event("b2", "C-5", "申请", "2024-09-27 09:00", item="huji-zhengming"),
        event("b3", "C-5", "受理", "2024-09-27 09:00", item="0000-XK-001"),
    )
    assert [r["line"] for r in result.rejected] == [2]


def test_a_step_is_checked_against_the_case_item_only_when_it_is_known(ledger: Ledger) -> None:
    # A 环节完成 may come before the case's 受理 (any order): its step cannot be checked yet and is kept.
    result = ledger.send(event("s1", "E-1", "环节完成", "2024-10-09 10:00", step="任何环节"))
    assert result.rejected == [] and result.accepted == 1


def test_a_resent_id_is_a_duplicate_that_changes_nothing_even_with_another_body(ledger: Ledger) -> None:
    first = ledger.send(OK_APPLY, OK_ACCEPT, event("d3", "C-1", "办结", "2024-09-30 10:00", decision="准予"))
    assert (first.accepted, first.duplicates) == (3, 0)
    before = ledger.case("C-1")
    again = ledger.send(
        OK_APPLY,
        OK_ACCEPT,
        event("d3", "C-1", "办结", "2024-12-30 10:00", decision="不予"),  # same id, another body
        event("d3", "C-1", "办结", "2024-12-30 10:00", decision="不予"),
    )
    assert (again.accepted, again.duplicates, again.rejected) == (0, 4, [])
    after = ledger.case("C-1")
    assert (after.closed_at, after.decision, after.on_time) == (before.closed_at, "准予", True)
    with ledger.engine.connect() as conn:
        assert conn.execute(select(Event.id)).scalars().all().count("d3") == 1


def test_a_duplicate_id_within_one_file_is_counted_once(ledger: Ledger) -> None:
    result = ledger.send(OK_APPLY, OK_ACCEPT, OK_ACCEPT)
    assert (result.accepted, result.duplicates) == (2, 1)


def test_the_answer_has_the_contract_shape(ledger: Ledger) -> None:
    answer = ledger.send(OK_APPLY, "x").to_json()
    assert answer == {
        "accepted": 1,
        "duplicates": 0,
        "rejected": [{"line": 2, "error": answer["rejected"][0]["error"]}],
    }
    assert json.loads(json.dumps(answer)) == answer


def test_lines_are_stored_verbatim_with_their_parsed_columns(ledger: Ledger) -> None:
    line = (
        '{"id":"v1","case":"V-1","item":"0000-XK-001","type":"受理","at":"2024-10-08T09:15:00+08:00",'
        '"note":"  带空格  "}'
    )
    ledger.send(line)
    with ledger.engine.connect() as conn:
        row = conn.execute(select(Event).where(Event.id == "v1")).one()
    assert row.raw == line
    assert row.item_id == "canyin-fuwu-xuke" and row.center == "city" and row.case_no == "V-1"
    assert row.at == dt.datetime(2024, 10, 8, 1, 15, tzinfo=dt.UTC) and row.note == "  带空格  "
    assert row.source == "命令行"


# -- city-wide trees ---------------------------------------------------------------------------------


@pytest.fixture
def city(ledger_content: Path, engine) -> Ledger:  # type: ignore[no-untyped-def]
    write_city(ledger_content)
    return Ledger(engine, ledger_index(read_content(ledger_content)))


def test_in_a_city_every_event_names_its_center_and_items_are_looked_up_within_it(city: Ledger) -> None:
    assert city.index.is_city and set(city.index.centers) == {"city", "xian"}
    result = city.send(
        event("c1", "X-1", "受理", "2024-10-08 09:00", center="xian", item="jiehun-dengji"),
        event("c2", "X-2", "受理", "2024-10-08 09:00", center="xian", item="XIAN-MZ-001"),
        event("c3", "X-3", "受理", "2024-10-08 09:00", item="jiehun-dengji"),  # no center
        event(
            "c4", "X-4", "受理", "2024-10-08 09:00", center="city", item="jiehun-dengji"
        ),  # the county's item
        event("c5", "X-5", "受理", "2024-10-08 09:00", center="shi", item="huji-zhengming"),  # unknown center
        event(
            "c6", "X-6", "受理", "2024-10-08 09:00", center="city", item="huji-zhengming"
        ),  # the root's own
        {**event("c7", "X-7", "受理", "2024-10-08 09:00", item="huji-zhengming"), "center": None},
    )
    errors = {r["line"]: r["error"] for r in result.rejected}
    assert sorted(errors) == [3, 4, 5, 7]
    assert "center: 市级目录中每个事件须写明中心" in errors[3] and "centers: city, xian" in errors[3]
    assert "中心 city 没有 id 或编码为“jiehun-dengji”的事项" in errors[4]
    assert "center: 未知中心“shi”" in errors[5]
    assert result.accepted == 3
    assert city.case("X-1", "xian").item_id == "jiehun-dengji"


def test_in_a_city_the_same_case_number_at_two_centers_is_two_cases(city: Ledger) -> None:
    result = city.send(
        event("t1", "N-1", "受理", "2024-10-08 09:00", center="xian", item="jiehun-dengji"),
        event("t2", "N-1", "受理", "2024-10-08 09:00", center="city", item="huji-zhengming"),
    )
    assert result.accepted == 2
    assert city.case("N-1", "xian").item_id == "jiehun-dengji"
    assert city.case("N-1", "city").item_id == "huji-zhengming"


def test_lines_from_many_batches_answer_like_one(ledger: Ledger, engine, index) -> None:  # type: ignore[no-untyped-def]
    events = [OK_APPLY, OK_ACCEPT, "bad", event("m3", "C-1", "补正告知", "2024-09-30 10:00"), "", OK_APPLY]
    small = Importer(engine, index, clock=lambda: NOW, batch_size=2).run(lines(*events))
    assert (small.accepted, small.duplicates) == (3, 1)
    assert [r["line"] for r in small.rejected] == [3]
