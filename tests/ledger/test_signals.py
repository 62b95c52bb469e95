"""The signals of CASE-EXCHANGE.md, rule by rule, positive and negative, at chosen moments ``at``.

Dates around the 2024 National Day 调休 (see test_clock.py).  A case of
canyin-fuwu-xuke accepted on Friday 09-27 is due on Wednesday 10-16.
"""

from __future__ import annotations

import pytest
from ledger_helpers import Ledger, event

from sunshine.ledger.models import RULES


def accepted(case: str, at: str, item: str = "canyin-fuwu-xuke") -> list[dict]:
    return [event(f"{case}-a", case, "申请", at, item=item), event(f"{case}-b", case, "受理", at, item=item)]


def rules(ledger: Ledger, at: str, case: str) -> list[str]:
    return [s.rule for s in ledger.signals(at) if s.case == case]


# -- 临近到期 and 超期 ---------------------------------------------------------------------------------


def test_due_soon_the_day_before_and_the_due_day_then_overdue(ledger: Ledger) -> None:
    ledger.send(*accepted("A-1", "2024-09-27 09:10"))  # due Wed 10-16
    assert rules(ledger, "2024-10-14 17:00", "A-1") == []
    assert rules(ledger, "2024-10-15 09:00", "A-1") == ["临近到期"]  # the due day is the next working day
    assert rules(ledger, "2024-10-16 23:59", "A-1") == ["临近到期"]  # due by the end of its day
    assert rules(ledger, "2024-10-17 00:00", "A-1") == ["超期"]
    overdue = ledger.signals("2024-10-21 09:00")[0]
    assert overdue.level == "红牌" and overdue.due.isoformat() == "2024-10-16"
    assert "应于 2024-10-16 前办结" in overdue.evidence and "已超期 3 个工作日" in overdue.evidence


def test_due_soon_counts_working_days_across_a_weekend_and_a_working_saturday(ledger: Ledger) -> None:
    ledger.send(*accepted("M-1", "2024-10-11 10:00", "mingcheng-biangeng"))  # due Monday 10-14
    assert rules(ledger, "2024-10-11 17:00", "M-1") == []  # the next working day is Saturday 10-12
    assert rules(ledger, "2024-10-12 10:00", "M-1") == ["临近到期"]  # Saturday works; next is Monday
    assert rules(ledger, "2024-10-13 10:00", "M-1") == ["临近到期"]  # Sunday: the next working day is 10-14
    assert rules(ledger, "2024-10-15 08:00", "M-1") == ["超期"]


def test_no_due_signal_while_paused_and_the_due_day_moves_when_the_pause_ends(ledger: Ledger) -> None:
    ledger.send(*accepted("P-1", "2024-09-27 09:10"), event("P-1-c", "P-1", "补正告知", "2024-10-08 10:00"))
    assert rules(ledger, "2024-10-16 10:00", "P-1") == []
    assert rules(ledger, "2024-11-30 10:00", "P-1") == []  # paused for weeks: neither 临近到期 nor 超期
    ledger.send(event("P-1-d", "P-1", "补正完成", "2024-10-10 16:00"))  # 2 days: due 10-18
    assert rules(ledger, "2024-10-16 10:00", "P-1") == []
    assert rules(ledger, "2024-10-17 10:00", "P-1") == ["临近到期"]
    assert rules(ledger, "2024-10-21 10:00", "P-1") == ["超期"]


def test_a_case_closed_on_time_has_no_signal_and_one_closed_late_keeps_its_red_card(ledger: Ledger) -> None:
    ledger.send(
        *accepted("C-1", "2024-09-27 09:10"),
        event("C-1-z", "C-1", "办结", "2024-10-16 17:00", decision="准予"),
        *accepted("C-2", "2024-09-27 09:10"),
        event("C-2-z", "C-2", "办结", "2024-10-17 09:00", decision="准予"),
    )
    assert rules(ledger, "2024-12-31 10:00", "C-1") == []
    assert rules(ledger, "2024-10-16 12:00", "C-2") == ["临近到期"]  # open then
    assert rules(ledger, "2024-12-31 10:00", "C-2") == ["超期"]
    assert "2024-10-17 办结，超期 1 个工作日" in ledger.signals("2024-12-31 10:00")[0].evidence


def test_a_case_without_acceptance_has_no_clock(ledger: Ledger) -> None:
    ledger.send(event("N-1-a", "N-1", "申请", "2024-09-02 09:00", item="canyin-fuwu-xuke"))
    assert rules(ledger, "2024-12-31 10:00", "N-1") == []


# -- 环节超时 -----------------------------------------------------------------------------------------


def test_a_step_that_ended_late_and_one_that_runs_late(ledger: Ledger) -> None:
    ledger.send(
        *accepted("S-1", "2024-09-27 09:10"),
        event("S-1-1", "S-1", "环节完成", "2024-09-27 09:20", step="申请与受理"),
        event("S-1-2", "S-1", "环节完成", "2024-10-11 10:00", step="现场核查"),  # due 10-10: late
    )
    # 审核决定 (3 days) runs from 10-11: due 10-15 (10-12 Sat, 10-14, 10-15).
    late = [s for s in ledger.signals("2024-10-15 10:00") if s.case == "S-1"]
    assert [(s.rule, s.step) for s in late] == [("环节超时", "现场核查"), ("临近到期", None)]
    assert late[0].level == "黄牌" and late[0].events == ["S-1-2"]
    late = [(s.rule, s.step) for s in ledger.signals("2024-10-16 10:00") if s.case == "S-1"]
    assert late == [("环节超时", "现场核查"), ("环节超时", "审核决定"), ("临近到期", None)]


def test_a_step_on_time_and_steps_of_a_source_that_reports_none(ledger: Ledger) -> None:
    ledger.send(
        *accepted("S-2", "2024-09-27 09:10"),
        event("S-2-1", "S-2", "环节完成", "2024-09-27 09:20", step="申请与受理"),
        event("S-2-2", "S-2", "环节完成", "2024-10-10 17:00", step="现场核查"),
        *accepted("S-3", "2024-09-27 09:10"),  # no 环节完成 at all: steps are not supervised
        event("S-3-z", "S-3", "办结", "2024-10-16 10:00", decision="准予"),
    )
    assert rules(ledger, "2024-10-14 10:00", "S-2") == []
    assert rules(ledger, "2024-12-31 10:00", "S-3") == []


def test_one_step_signal_per_step_and_a_step_still_running_ends_at_the_close(ledger: Ledger) -> None:
    ledger.send(
        *accepted("S-4", "2024-09-27 09:10"),
        event("S-4-1", "S-4", "环节完成", "2024-09-27 09:20", step="申请与受理"),
        event("S-4-x", "S-4", "环节完成", "2024-09-27 09:25", step="申请与受理"),  # a repeat: one step
        event(
            "S-4-z", "S-4", "办结", "2024-10-14 10:00", decision="准予"
        ),  # 现场核查 still running: ends here
    )
    assert [(s.rule, s.step) for s in ledger.signals("2024-12-31 10:00") if s.case == "S-4"] == [
        ("环节超时", "现场核查")
    ]


def test_steps_in_other_words_are_not_checked(ledger: Ledger) -> None:
    ledger.send(
        *accepted("S-5", "2024-10-08 10:00", "mingcheng-biangeng"),
        event("S-5-1", "S-5", "环节完成", "2024-10-09 10:00", step="审核"),
    )
    # 发照 "约 10 分钟" has been running since 10-09: never a 环节超时 (the case itself is overdue).
    assert rules(ledger, "2024-11-30 10:00", "S-5") == ["超期"]


# -- 重复补正 -----------------------------------------------------------------------------------------


def test_a_second_correction_notice_breaks_the_one_time_notice(ledger: Ledger) -> None:
    ledger.send(
        *accepted("R-1", "2024-09-27 09:10"),
        event("R-1-c", "R-1", "补正告知", "2024-09-30 10:00"),
        event("R-1-d", "R-1", "补正完成", "2024-10-08 10:00"),
        *accepted("R-2", "2024-09-27 09:10"),
        event("R-2-c", "R-2", "补正告知", "2024-09-30 10:00"),
        event("R-2-d", "R-2", "补正完成", "2024-10-08 10:00"),
        event("R-2-e", "R-2", "补正告知", "2024-10-09 10:00"),
        event("R-2-f", "R-2", "补正告知", "2024-10-10 10:00"),
    )
    assert "重复补正" not in rules(ledger, "2024-10-14 10:00", "R-1")
    assert "重复补正" not in rules(ledger, "2024-10-08 12:00", "R-2")  # only one notice by then
    found = [s for s in ledger.signals("2024-10-14 10:00") if s.case == "R-2" and s.rule == "重复补正"]
    assert len(found) == 1 and found[0].level == "黄牌"
    assert "补正告知 3 次（2024-09-30、2024-10-09、2024-10-10）" in found[0].evidence


# -- 不予无理由 ---------------------------------------------------------------------------------------


def test_a_refusal_without_a_reason(ledger: Ledger) -> None:
    ledger.send(
        event("F-1-a", "F-1", "申请", "2024-10-08 09:00", item="canyin-fuwu-xuke"),
        event("F-1-r", "F-1", "不予受理", "2024-10-08 10:00"),
        event("F-2-a", "F-2", "申请", "2024-10-08 09:00", item="canyin-fuwu-xuke"),
        event("F-2-r", "F-2", "不予受理", "2024-10-08 10:00", reason="   "),
        event("F-3-a", "F-3", "申请", "2024-10-08 09:00", item="canyin-fuwu-xuke"),
        event("F-3-r", "F-3", "不予受理", "2024-10-08 10:00", reason="不属于本机关职权范围"),
        *accepted("F-4", "2024-10-08 09:00"),
        event("F-4-z", "F-4", "办结", "2024-10-09 10:00", decision="不予"),
        *accepted("F-5", "2024-10-08 09:00"),
        event("F-5-z", "F-5", "办结", "2024-10-09 10:00", decision="不予", reason="现场核查不符合条件"),
        *accepted("F-6", "2024-10-08 09:00"),
        event("F-6-z", "F-6", "办结", "2024-10-09 10:00", decision="准予"),
    )
    found = ledger.pairs("2024-10-09 12:00")
    assert {c for c, r in found if r == "不予无理由"} == {"F-1", "F-2", "F-4"}
    assert ledger.pairs("2024-10-08 09:30") == set()  # before the refusals


# -- 违规收费 -----------------------------------------------------------------------------------------


def test_a_fee_not_in_the_guide_or_on_an_item_that_publishes_none(ledger: Ledger) -> None:
    ledger.send(
        *accepted("V-1", "2024-10-08 09:00"),
        event("V-1-f", "V-1", "收费", "2024-10-09 10:00", fee={"name": " 工本费 ", "amount": "10.00"}),
        *accepted("V-2", "2024-10-08 09:00"),
        event("V-2-f", "V-2", "收费", "2024-10-09 10:00", fee={"name": "工本费", "amount": "10.00"}),
        event("V-2-g", "V-2", "收费", "2024-10-09 10:05", fee={"name": "加急费", "amount": "50.00"}),
        *accepted("V-3", "2024-10-08 09:00", "huji-zhengming"),  # fees: []
        event("V-3-f", "V-3", "收费", "2024-10-09 10:00", fee={"name": "工本费", "amount": "5.00"}),
    )
    found = {s.case: s for s in ledger.signals("2024-10-09 12:00") if s.rule == "违规收费"}
    assert set(found) == {"V-2", "V-3"}
    assert found["V-2"].events == ["V-2-g"] and "收取“加急费”50.00 元" in found["V-2"].evidence
    assert "本事项公布的收费：工本费" in found["V-2"].evidence and "不收费" in found["V-3"].evidence
    assert found["V-2"].level == "红牌"
    assert {s.case for s in ledger.signals("2024-10-09 10:02") if s.rule == "违规收费"} == {"V-3"}


def test_fees_are_judged_against_the_guide_as_published_now(ledger: Ledger, ledger_content) -> None:  # type: ignore[no-untyped-def]
    from sunshine.content import read_content
    from sunshine.ledger.items import ledger_index

    ledger.send(
        *accepted("V-4", "2024-10-08 09:00"),
        event("V-4-g", "V-4", "收费", "2024-10-09 10:05", fee={"name": "加急费", "amount": "50.00"}),
    )
    assert "违规收费" in rules(ledger, "2024-10-09 12:00", "V-4")
    path = ledger_content / "items" / "canyin-fuwu-xuke.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "fees:\n", "fees:\n  - {name: 加急费, standard: 每件 50 元}\n"
    )
    path.write_text(text, encoding="utf-8")
    now = Ledger(ledger.engine, ledger_index(read_content(ledger_content)))
    assert "违规收费" not in rules(now, "2024-10-09 12:00", "V-4")


# -- 已取消事项受理 -----------------------------------------------------------------------------------


def test_acceptance_of_an_item_withdrawn_or_suspended_on_the_acceptance_date(ledger: Ledger) -> None:
    ledger.send(
        *accepted("W-1", "2024-10-09 17:00", "quxiao-shixiang"),  # 取消 dated 10-10: before it, fine
        *accepted("W-2", "2024-10-10 09:00", "quxiao-shixiang"),  # on the date: signals
        *accepted("W-3", "2024-05-31 09:00", "hebing-shixiang"),  # 合并 dated 06-01: before it
        *accepted("W-4", "2024-06-01 09:00", "hebing-shixiang"),
        *accepted("W-5", "2024-01-02 09:00", "zanting-shixiang"),  # 暂停 counts on every date
        *accepted("W-6", "2024-01-02 09:00", "xiafang-shixiang"),  # 已下放 with no dated change: always
        *accepted("W-7", "2024-10-08 09:00", "yanhua-pifa-xuke"),  # 取消 in 2011
        event("W-8-a", "W-8", "申请", "2024-10-10 09:00", item="quxiao-shixiang"),  # applied, never accepted
    )
    found = {c for c, r in ledger.pairs("2024-12-31 10:00") if r == "已取消事项受理"}
    assert found == {"W-2", "W-4", "W-5", "W-6", "W-7"}
    signal = next(
        s for s in ledger.signals("2024-12-31 10:00") if s.case == "W-2" and s.rule == "已取消事项受理"
    )
    assert "状态为已取消（2024-10-10 起）" in signal.evidence and signal.level == "红牌"


# -- moments, filters, shape ----------------------------------------------------------------------------


def test_the_state_at_a_moment_uses_only_the_events_up_to_it(ledger: Ledger) -> None:
    ledger.send(
        *accepted("H-1", "2024-09-27 09:10"),
        event("H-1-z", "H-1", "办结", "2024-10-21 10:00", decision="准予"),  # closed late
    )
    assert rules(ledger, "2024-09-26 10:00", "H-1") == []  # before any event
    assert rules(ledger, "2024-10-16 10:00", "H-1") == ["临近到期"]
    assert rules(ledger, "2024-10-18 10:00", "H-1") == ["超期"]  # open and overdue then
    assert rules(ledger, "2024-10-21 09:59", "H-1") == ["超期"]
    assert rules(ledger, "2024-10-21 10:00", "H-1") == ["超期"]  # closed late from then on


def test_replaying_the_events_agrees_with_the_stored_rows(ledger: Ledger, engine, index) -> None:  # type: ignore[no-untyped-def]
    """Each signal from a stored row equals the one from replaying its events (every rule)."""
    from sunshine.ledger.signals import _replay, case_signals, signals
    from sunshine.ledger.state import Snapshot
    from sunshine.ledger.store import snapshot_of

    ledger.send(
        *accepted("Q-1", "2024-09-27 09:10"),
        event("Q-1-1", "Q-1", "环节完成", "2024-09-27 09:20", step="申请与受理"),
        event("Q-1-c", "Q-1", "补正告知", "2024-09-30 10:00"),
        event("Q-1-d", "Q-1", "补正完成", "2024-10-08 10:00"),
        event("Q-1-e", "Q-1", "补正告知", "2024-10-09 10:00"),
        event("Q-1-f", "Q-1", "补正完成", "2024-10-09 11:00"),
        event("Q-1-g", "Q-1", "收费", "2024-10-21 10:00", fee={"name": "加急费", "amount": "9"}),
        event("Q-1-z", "Q-1", "办结", "2024-10-21 11:00", decision="不予"),
        *accepted("Q-2", "2024-10-10 09:00", "quxiao-shixiang"),
        *accepted("Q-3", "2024-10-11 10:00", "mingcheng-biangeng"),
        event("Q-3-1", "Q-3", "环节完成", "2024-10-11 10:30", step="审核"),
    )
    from ledger_helpers import moment

    at = moment("2024-12-31 10:00")
    with engine.connect() as conn:
        from_rows = [s.to_json() for s in signals(conn, index, at)]
        snapshot = Snapshot.from_row(
            10, [list(s) for s in snapshot_of(index.item("city", "canyin-fuwu-xuke")).steps]
        )
        snaps = {("city", "Q-1"): snapshot}
        for case, item in (("Q-2", "quxiao-shixiang"), ("Q-3", "mingcheng-biangeng")):
            snaps[("city", case)] = snapshot_of(index.item("city", item))
        replayed = [s.to_json() for st in _replay(conn, snaps, at) for s in case_signals(st, at, index)]
    assert sorted(from_rows, key=str) == sorted(replayed, key=str)
    assert {s["rule"] for s in from_rows} == set(RULES) - {"临近到期"}


def test_filters_by_center_department_window_item_level_and_rule(ledger: Ledger) -> None:
    ledger.send(
        *accepted("X-1", "2024-09-27 09:10"),  # shiyaojian, window a12
        *accepted("X-2", "2024-09-27 09:10", "huji-zhengming"),  # zwzx, no window
        *accepted("X-3", "2024-09-27 09:10", "daoluyunshu-xuke"),  # jiaotong
        event("X-3-f", "X-3", "收费", "2024-09-27 10:00", fee={"name": "工本费", "amount": "1"}),
    )
    at = "2024-12-31 10:00"
    assert {s.case for s in ledger.signals(at)} == {"X-1", "X-2", "X-3"}
    assert {s.case for s in ledger.signals(at, department="shiyaojian")} == {"X-1"}
    assert {s.case for s in ledger.signals(at, window="a12")} == {"X-1"}
    assert {s.case for s in ledger.signals(at, item="huji-zhengming")} == {"X-2"}
    assert {s.case for s in ledger.signals(at, center="city")} == {"X-1", "X-2", "X-3"}
    assert {(s.case, s.rule) for s in ledger.signals(at, rule="违规收费")} == {("X-3", "违规收费")}
    assert all(s.level == "红牌" for s in ledger.signals(at, level="红牌"))
    assert ledger.signals(at, level="预警") == []
    with pytest.raises(ValueError):
        ledger.signals(at, level="橙牌")


def test_the_json_shape_of_a_signal(ledger: Ledger) -> None:
    ledger.send(*accepted("J-1", "2024-09-27 09:10"))
    data = ledger.signals("2024-10-17 10:00")[0].to_json()
    assert list(data)[:4] == ["case", "rule", "level", "evidence"]
    assert data["case"] == "J-1" and data["rule"] == "超期" and data["level"] == RULES["超期"] == "红牌"
    assert isinstance(data["evidence"], str) and data["evidence"]
    assert (
        data["center"] == "city" and data["item"] == "canyin-fuwu-xuke" and data["department"] == "shiyaojian"
    )
