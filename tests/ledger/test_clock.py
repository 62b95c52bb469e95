"""The clock of CASE-EXCHANGE.md, worked by hand across the 2024 National Day 调休.

2024-09-27 Fri, 09-28 Sat (off), **09-29 Sun (working)**, 09-30 Mon, 10-01…10-07
holiday, 10-08 Tue … 10-11 Fri, **10-12 Sat (working)**, 10-13 Sun (off),
10-14 Mon … 10-18 Fri, 10-21 Mon.  The items (ledger_helpers.py):
canyin-fuwu-xuke promised 10 (申请与受理 当场, 现场核查 5, 审核决定 3),
huji-zhengming promised 0, mingcheng-biangeng promised 2 (受理 当场, 审核 1,
发照 "约 10 分钟" — not checked).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from ledger_helpers import Ledger, event, moment

from sunshine.content import read_content
from sunshine.feedback.workdays import is_workday, workday_of_ordinal, workday_ordinal
from sunshine.ledger.items import ledger_index

D = dt.date


def accepted(case: str, at: str, item: str = "canyin-fuwu-xuke", prefix: str = "") -> list[dict]:
    return [
        event(f"{prefix}{case}-a", case, "申请", at, item=item),
        event(f"{prefix}{case}-b", case, "受理", at, item=item),
    ]


def test_the_working_day_ordinals_agree_with_the_calendar() -> None:
    day, count = D(1990, 1, 1), workday_ordinal(D(1990, 1, 1)) - is_workday(D(1990, 1, 1))
    while day < D(2031, 1, 1):
        count += is_workday(day)
        assert workday_ordinal(day) == count
        if is_workday(day):
            assert workday_of_ordinal(count) == day
        day += dt.timedelta(days=1)
    assert workday_ordinal(D(2024, 9, 29)) - workday_ordinal(D(2024, 9, 27)) == 1  # Sunday 09-29 works
    assert workday_ordinal(D(2024, 10, 7)) == workday_ordinal(D(2024, 9, 30))  # the golden week is off


def test_due_by_the_end_of_working_day_n_after_the_acceptance_day(ledger: Ledger) -> None:
    ledger.send(*accepted("A-1", "2024-09-27 09:10"))
    state = ledger.case("A-1")
    # 09-29 (Sun, 调休), 09-30, 10-08, 10-09, 10-10, 10-11, 10-12 (Sat, 调休), 10-14, 10-15, 10-16.
    assert state.due_on == D(2024, 10, 16)
    assert state.status == "办理中" and not state.paused and state.closed_at is None


def test_the_acceptance_day_is_day_0_whatever_the_hour_even_a_weekend(ledger: Ledger) -> None:
    # Unlike a citizen's message, a case accepted after hours does not move to the next working day.
    ledger.send(*accepted("A-2", "2024-09-27 23:30"), *accepted("A-3", "2024-09-28 10:00"))
    assert ledger.case("A-2").due_on == D(2024, 10, 16)
    assert ledger.case("A-3").due_on == D(2024, 10, 16)  # Saturday 09-28: the next working day is day 1


def test_promised_0_is_due_the_acceptance_day_itself(ledger: Ledger) -> None:
    ledger.send(
        *accepted("J-1", "2024-10-05 10:00", "huji-zhengming"),
        event("J-1-c", "J-1", "办结", "2024-10-05 23:59", decision="准予"),
        *accepted("J-2", "2024-10-05 10:00", "huji-zhengming"),
        event("J-2-c", "J-2", "办结", "2024-10-08 09:00", decision="准予"),
    )
    on_time, late = ledger.case("J-1"), ledger.case("J-2")
    assert on_time.due_on == D(2024, 10, 5) and on_time.on_time is True and on_time.status == "已办结"
    assert late.due_on == D(2024, 10, 5) and late.on_time is False and late.late_days == 1


def test_a_short_promise_across_a_working_saturday(ledger: Ledger) -> None:
    ledger.send(*accepted("M-1", "2024-10-11 10:00", "mingcheng-biangeng"))
    assert ledger.case("M-1").due_on == D(2024, 10, 14)  # 10-12 (Sat, 调休) is day 1


def test_a_pause_moves_the_due_day_by_the_working_days_after_its_first_day(ledger: Ledger) -> None:
    ledger.send(
        *accepted("P-1", "2024-09-27 09:10"),
        event("P-1-c", "P-1", "补正告知", "2024-10-08 10:00"),  # Tuesday
        event("P-1-d", "P-1", "补正完成", "2024-10-10 16:00"),  # Thursday: 2
    )
    state = ledger.case("P-1")
    assert state.pause_days == 2 and state.due_on == D(2024, 10, 18)


def test_a_pause_across_the_holiday_counts_its_working_days_only(ledger: Ledger) -> None:
    ledger.send(
        *accepted("P-2", "2024-09-27 09:10"),
        event("P-2-c", "P-2", "补正告知", "2024-09-30 10:00"),
        event("P-2-d", "P-2", "补正完成", "2024-10-08 10:00"),  # after 09-30 up to 10-08: only 10-08
    )
    assert ledger.case("P-2").pause_days == 1 and ledger.case("P-2").due_on == D(2024, 10, 17)


def test_overlapping_pauses_count_each_day_once(ledger: Ledger) -> None:
    ledger.send(
        *accepted("P-3", "2024-09-27 09:10"),
        event("P-3-c", "P-3", "补正告知", "2024-10-08 10:00"),
        event("P-3-s", "P-3", "特别程序开始", "2024-10-09 10:00"),
        event("P-3-d", "P-3", "补正完成", "2024-10-10 10:00"),
        event("P-3-e", "P-3", "特别程序结束", "2024-10-11 10:00"),
    )
    state = ledger.case("P-3")
    assert state.pause_days == 3  # 10-09, 10-10, 10-11
    assert state.due_on == D(2024, 10, 21)


def test_a_pause_within_one_day_moves_nothing(ledger: Ledger) -> None:
    ledger.send(
        *accepted("P-4", "2024-09-27 09:10"),
        event("P-4-c", "P-4", "补正告知", "2024-10-08 09:00"),
        event("P-4-d", "P-4", "补正完成", "2024-10-08 15:00"),
    )
    assert ledger.case("P-4").due_on == D(2024, 10, 16)


def test_while_paused_a_case_has_no_due_day(ledger: Ledger) -> None:
    ledger.send(
        *accepted("P-5", "2024-09-27 09:10"), event("P-5-s", "P-5", "特别程序开始", "2024-10-08 10:00")
    )
    state = ledger.case("P-5")
    assert state.paused and state.due_on is None and state.status == "暂停计时"


def test_a_pause_still_open_at_the_close_ends_at_the_close(ledger: Ledger) -> None:
    ledger.send(
        *accepted("P-6", "2024-09-27 09:10"),
        event("P-6-c", "P-6", "补正告知", "2024-10-14 10:00"),
        event("P-6-z", "P-6", "办结", "2024-10-17 10:00", decision="准予"),
    )
    state = ledger.case("P-6")
    assert not state.paused and state.pause_days == 3  # 10-15, 10-16, 10-17
    assert state.due_on == D(2024, 10, 21) and state.on_time is True


def test_a_second_notice_while_paused_opens_nothing_and_an_unmatched_end_is_ignored(ledger: Ledger) -> None:
    ledger.send(
        *accepted("P-7", "2024-09-27 09:10"),
        event("P-7-x", "P-7", "补正完成", "2024-09-30 10:00"),  # no pause open: ignored
        event("P-7-c", "P-7", "补正告知", "2024-10-08 10:00"),
        event("P-7-c2", "P-7", "补正告知", "2024-10-09 10:00"),
        event("P-7-d", "P-7", "补正完成", "2024-10-10 10:00"),
    )
    state = ledger.case("P-7")
    assert state.pause_days == 2 and state.due_on == D(2024, 10, 18)
    assert [p["from_id"] for p in state.pauses] == ["P-7-c"]


def test_a_pause_before_the_acceptance_does_not_move_the_clock(ledger: Ledger) -> None:
    ledger.send(
        event("P-8-a", "P-8", "申请", "2024-09-23 09:00", item="canyin-fuwu-xuke"),
        event("P-8-c", "P-8", "补正告知", "2024-09-23 09:30"),
        event("P-8-d", "P-8", "补正完成", "2024-09-26 09:00"),
        event("P-8-b", "P-8", "受理", "2024-09-27 09:10", item="canyin-fuwu-xuke"),
    )
    state = ledger.case("P-8")
    assert state.pause_days == 0 and state.due_on == D(2024, 10, 16)


def test_closing_events_and_what_comes_after_the_close(ledger: Ledger) -> None:
    ledger.send(
        *accepted("Z-1", "2024-09-27 09:10"),
        event("Z-1-w", "Z-1", "撤回", "2024-10-09 10:00"),
        event("Z-1-c", "Z-1", "补正告知", "2024-10-10 10:00"),  # after the close: no pause
        event("Z-1-z", "Z-1", "办结", "2024-10-30 10:00", decision="准予"),  # a second close: ignored
        event("Z-2-a", "Z-2", "申请", "2024-09-27 09:00", item="canyin-fuwu-xuke"),
        event("Z-2-r", "Z-2", "不予受理", "2024-09-27 09:30", reason="材料不齐"),
    )
    withdrawn, refused = ledger.case("Z-1"), ledger.case("Z-2")
    assert withdrawn.status == "已撤回" and withdrawn.closed_by == "撤回" and withdrawn.on_time is True
    assert not withdrawn.paused and withdrawn.closed_at == moment("2024-10-09 10:00")
    assert refused.status == "不予受理" and refused.accepted_at is None and refused.on_time is None
    assert refused.due_on is None


def test_ties_of_at_follow_the_fixed_type_order(ledger: Ledger) -> None:
    # 受理 and 补正告知 at one moment: the clock starts, then the pause; 环节完成 and 办结 at one moment:
    # the step is completed before the case closes.
    ledger.send(
        event("T-1-c", "T-1", "补正告知", "2024-09-27 09:10"),
        event("T-1-b", "T-1", "受理", "2024-09-27 09:10", item="canyin-fuwu-xuke"),
        event("T-1-d", "T-1", "补正完成", "2024-10-08 09:00"),
        event("T-1-z", "T-1", "办结", "2024-10-09 09:00", decision="准予"),
        event("T-1-s", "T-1", "环节完成", "2024-10-09 09:00", step="申请与受理"),
    )
    state = ledger.case("T-1")
    assert state.pause_days == 3  # 09-29, 09-30, 10-08
    assert [s.ended_by for s in state.steps] == ["环节完成", "办结"]


def test_steps_in_process_order_each_against_its_own_duration(ledger: Ledger) -> None:
    ledger.send(
        *accepted("S-1", "2024-09-27 09:10"),
        event("S-1-1", "S-1", "环节完成", "2024-09-27 09:20", step="申请与受理"),
        event("S-1-2", "S-1", "环节完成", "2024-10-11 10:00", step="现场核查"),
        event("S-1-3", "S-1", "环节完成", "2024-10-15 10:00", step="审核决定"),
        event("S-1-z", "S-1", "办结", "2024-10-15 11:00", decision="准予"),
    )
    steps = ledger.case("S-1").steps
    assert [(s.step, s.due, s.late_days) for s in steps] == [
        ("申请与受理", D(2024, 9, 27), 0),
        ("现场核查", D(2024, 10, 10), 1),  # 5 working days from 09-27
        ("审核决定", D(2024, 10, 15), 0),  # 3 from 10-11: 10-12 (Sat), 10-14, 10-15
    ]


def test_a_first_step_named_accept_is_completed_by_the_acceptance(ledger: Ledger) -> None:
    ledger.send(
        *accepted("S-2", "2024-10-11 10:00", "mingcheng-biangeng"),
        event("S-2-1", "S-2", "环节完成", "2024-10-14 09:00", step="审核"),
    )
    state = ledger.case("S-2")
    assert [(s.step, s.ended_by) for s in state.steps] == [
        ("受理", "受理"),
        ("审核", "环节完成"),
        ("发照", None),
    ]
    assert state.steps[1].due == D(2024, 10, 12) and state.steps[1].late_days == 1
    assert state.running_step == 2 and state.running_due is None  # "约 10 分钟": not checked


def test_a_step_with_no_completion_ends_when_a_later_step_completes(ledger: Ledger) -> None:
    ledger.send(
        *accepted("S-3", "2024-09-27 09:10"),
        event("S-3-1", "S-3", "环节完成", "2024-09-27 09:20", step="申请与受理"),
        event("S-3-3", "S-3", "环节完成", "2024-10-15 10:00", step="审核决定"),
    )
    steps = ledger.case("S-3").steps
    assert [(s.step, s.ended_by, s.late_days) for s in steps] == [
        ("申请与受理", "环节完成", 0),
        ("现场核查", "后续环节完成", 4),  # due 10-10; ended 10-15: 10-11, 10-12, 10-14, 10-15
        ("审核决定", "环节完成", 0),
    ]


def test_a_step_counts_like_the_case_with_its_pauses_moved_out(ledger: Ledger) -> None:
    ledger.send(
        *accepted("S-4", "2024-09-27 09:10"),
        event("S-4-1", "S-4", "环节完成", "2024-09-27 09:20", step="申请与受理"),
        event("S-4-c", "S-4", "补正告知", "2024-10-08 10:00"),
        event("S-4-d", "S-4", "补正完成", "2024-10-10 10:00"),
        event("S-4-2", "S-4", "环节完成", "2024-10-14 10:00", step="现场核查"),
    )
    step = ledger.case("S-4").steps[1]
    assert step.due == D(2024, 10, 12) and step.late_days == 1


def test_the_running_step_and_its_due_day(ledger: Ledger) -> None:
    ledger.send(
        *accepted("S-5", "2024-09-27 09:10"),
        event("S-5-1", "S-5", "环节完成", "2024-09-27 09:20", step="申请与受理"),
    )
    state = ledger.case("S-5")
    assert state.running_step == 1 and state.running_due == D(2024, 10, 10) and state.has_steps


def test_a_later_edit_of_the_guide_never_moves_an_existing_deadline(
    ledger: Ledger, ledger_content: Path
) -> None:
    ledger.send(*accepted("G-1", "2024-09-27 09:10"))
    path = ledger_content / "items" / "canyin-fuwu-xuke.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("promised: 10", "promised: 5"), encoding="utf-8")
    edited = Ledger(ledger.engine, ledger_index(read_content(ledger_content)))
    assert edited.index.item("city", "canyin-fuwu-xuke").promised == 5
    edited.send(
        event("G-1-c", "G-1", "补正告知", "2024-10-08 10:00"),
        event("G-1-d", "G-1", "补正完成", "2024-10-10 10:00"),
    )
    assert edited.case("G-1").due_on == D(2024, 10, 18)  # still 10 + 2
    edited.send(*accepted("G-2", "2024-09-27 09:10"))  # accepted after the edit: the new promise
    assert edited.case("G-2").due_on == D(2024, 10, 10)  # 09-29, 09-30, 10-08, 10-09, 10-10


def test_events_in_any_order_and_any_batches_give_the_same_state(ledger: Ledger, engine, index) -> None:  # type: ignore[no-untyped-def]
    events = [
        *accepted("O-1", "2024-09-27 09:10"),
        event("O-1-1", "O-1", "环节完成", "2024-09-27 09:20", step="申请与受理"),
        event("O-1-c", "O-1", "补正告知", "2024-10-08 10:00"),
        event("O-1-c2", "O-1", "补正告知", "2024-10-09 10:00"),
        event("O-1-d", "O-1", "补正完成", "2024-10-10 10:00"),
        event("O-1-s", "O-1", "特别程序开始", "2024-10-10 10:00"),
        event("O-1-e", "O-1", "特别程序结束", "2024-10-14 10:00"),
        event("O-1-2", "O-1", "环节完成", "2024-10-15 10:00", step="现场核查"),
        event("O-1-f", "O-1", "收费", "2024-10-16 10:00", fee={"name": "工本费", "amount": "10.00"}),
        event("O-1-z", "O-1", "办结", "2024-10-16 10:00", decision="准予"),
    ]
    ledger.send(*events)
    expected = ledger.case("O-1")
    expected_signals = ledger.signals("2024-12-01 10:00")
    for seed in range(5):
        shuffled = events[:]
        random.Random(seed).shuffle(shuffled)
        other = Ledger(engine, index)
        renamed = [{**e, "id": f"{seed}{e['id']}", "case": f"R{seed}"} for e in shuffled]
        for part in (renamed[:3], renamed[3:7], renamed[7:]):
            other.send(*part)
        state = other.case(f"R{seed}")
        for field in ("due_on", "pause_days", "closed_at", "on_time", "late_days", "status", "steps"):
            got, want = getattr(state, field), getattr(expected, field)
            if field == "steps":
                got = [json.dumps(s.to_json() | {"end_id": None}) for s in got]
                want = [json.dumps(s.to_json() | {"end_id": None}) for s in want]
            assert got == want, (seed, field)
        assert [(s.rule, s.step) for s in other.signals("2024-12-01 10:00") if s.case == f"R{seed}"] == [
            (s.rule, s.step) for s in expected_signals
        ]
    assert ledger.consistent() == []
