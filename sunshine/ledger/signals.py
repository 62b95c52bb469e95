"""电子监察: the signals of CASE-EXCHANGE.md for any moment ``at``.

:func:`case_signals` applies the contract's table to one derived case, in
three parts: :func:`fixed_signals` (nothing later changes them: computed when
the case is derived and kept in its row), :func:`timed_signals` (an open
case at the moment ``at``) and :func:`content_signals` (against the content
as loaded now).  :func:`signals` runs it over the ledger with filters
(center, department, window, item, level, rule).  The state as of ``at`` is
computed from the events whose ``at`` is not later than that moment: a case
whose events all came before ``at`` is read from its compact ``ledger_case``
row (only rows that can carry a signal are fetched); a case with events after
``at``, or charged a fee its guide does not list, is replayed from its events
up to ``at``.

Content-dependent rules (违规收费, 已取消事项受理) read the content as it is
loaded now; the promised limit and the step durations are the case's snapshot
(the item as it stood when its 受理 was stored).  Interpretations:

* 临近到期: open, accepted, unpaused, not overdue, due day = the day of ``at``
  or the next working day after it.
* 超期: closed after the end of its due day (kept once closed), or open,
  unpaused and past the end of its due day at ``at``.
* 环节超时: one per step, only on cases with at least one 环节完成.
* 重复补正: one per case, from the second 补正告知 on; the evidence lists the dates.
* 不予无理由: one per case, listing each 不予受理 / 办结(不予) without a reason.
* 违规收费: one per case, listing each 收费 whose trimmed name is not one of
  the item's published fee names (every fee, when it publishes none).
* 已取消事项受理: the item's status on the 受理 date (see
  :meth:`~sunshine.ledger.items.ItemInfo.stopped_on`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, false, or_, select, true

from .clock import local_day, next_workday, workdays_late
from .items import ItemInfo, LedgerIndex
from .models import (
    LEVELS,
    R_DUE_SOON,
    R_FEE,
    R_NO_REASON,
    R_OVERDUE,
    R_RECORRECT,
    R_STEP_LATE,
    R_WITHDRAWN,
    RULES,
    T_REFUSE,
    Case,
    Event,
)
from .state import FACT_COLUMNS, CaseState, Facts, Snapshot, StepState, derive

_RULE_ORDER = {rule: i for i, rule in enumerate(RULES)}


@dataclass
class Signal:
    """One signal: the contract's four keys, and where it belongs (center, item, department, step)."""

    case: str
    rule: str
    evidence: str
    center: str
    item: str | None
    department: str | None
    step: str | None = None
    due: dt.date | None = None
    #: The events the evidence rests on.
    events: list[str] = field(default_factory=list)
    _order: int = 0

    @property
    def level(self) -> str:
        return RULES[self.rule]

    def to_fact(self) -> list[Any]:
        """Compact form kept in a case's row: [rule, evidence, step, due, events, order]."""
        return [
            self.rule,
            self.evidence,
            self.step,
            self.due.isoformat() if self.due else None,
            self.events,
            self._order,
        ]

    @classmethod
    def from_fact(cls, fact: list[Any], case: str, center: str, item: str | None) -> Signal:
        rule, evidence, step, due, events, order = fact
        due_day = dt.date.fromisoformat(due) if due else None
        return cls(case, rule, evidence, center, item, None, step, due_day, events, order)

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "rule": self.rule,
            "level": self.level,
            "evidence": self.evidence,
            "center": self.center,
            "item": self.item,
            "department": self.department,
            "step": self.step,
            "due": self.due.isoformat() if self.due else None,
            "events": self.events,
        }


def _d(day: dt.date) -> str:
    return day.isoformat()


def _days(n: int) -> str:
    return f"{n} 个工作日"


def fixed_signals(state: CaseState) -> list[Signal]:
    """The signals that no later moment changes: 超期 of a closed case, 环节超时 of ended steps,
    重复补正, 不予无理由.  Computed when a case is derived and kept in its row (``signal_facts``)."""
    out: list[Signal] = []

    def add(rule: str, evidence: str, **extra: Any) -> None:
        out.append(Signal(state.case_no, rule, evidence, state.center, state.item_id, None, **extra))

    snapshot = state.snapshot
    if state.closed_at is not None and state.on_time is False and state.due_on is not None and snapshot:
        add(
            R_OVERDUE,
            f"{_promise(state)}，应于 {_d(state.due_on)} 前办结，{_d(local_day(state.closed_at))} "
            f"{state.closed_by}，超期 {_days(state.late_days)}",
            due=state.due_on,
            events=[e for e in (state.accept_id, state.close_id) if e],
        )
    if state.has_steps:
        for i, step in enumerate(state.steps):
            if step.end is not None and step.late_days > 0 and step.due is not None:
                add(
                    R_STEP_LATE,
                    f"环节“{step.step}”时限 {step.duration}，{_d(local_day(step.start))} 开始，"
                    f"应于 {_d(step.due)} 前完成，{_d(local_day(step.end))} 完成，"
                    f"超时 {_days(step.late_days)}",
                    step=step.step,
                    due=step.due,
                    events=[step.end_id] if step.end_id else [],
                    _order=i,
                )
    if len(state.corrections) >= 2:
        dates = "、".join(_d(local_day(e.at)) for e in state.corrections)
        add(
            R_RECORRECT,
            f"补正告知 {len(state.corrections)} 次（{dates}），未做到一次性告知",
            events=[e.id for e in state.corrections],
        )
    if state.refusals:
        what = "；".join(
            f"{_d(local_day(e.at))} {'不予受理' if e.type == T_REFUSE else '办结（决定：不予）'}"
            for e in state.refusals
        )
        add(R_NO_REASON, f"{what}，未说明理由", events=[e.id for e in state.refusals])
    return out


def _promise(state: CaseState) -> str:
    assert state.snapshot is not None and state.accept_day is not None
    text = f"{_d(state.accept_day)} 受理，承诺 {_days(state.snapshot.promised)}"
    if state.pause_days:
        text += f"（暂停 {_days(state.pause_days)}已顺延）"
    return text


def timed_signals(state: CaseState, at: dt.datetime) -> list[Signal]:
    """The signals of an open case that depend on the moment: 超期 and 临近到期, a running step's 环节超时."""
    if state.closed_at is not None or state.paused or state.accepted_at is None:
        return []
    out: list[Signal] = []
    at_day = local_day(at)
    events = [state.accept_id] if state.accept_id else []
    due = state.due_on
    if due is not None and state.snapshot is not None:
        if at_day > due:
            late = workdays_late(due, at_day)
            evidence = (
                f"{_promise(state)}，应于 {_d(due)} 前办结，至 {_d(at_day)} 仍未办结，已超期 {_days(late)}"
            )
            out.append(
                Signal(
                    state.case_no, R_OVERDUE, evidence, state.center, state.item_id, None, None, due, events
                )
            )
        elif due == at_day or due == next_workday(at_day):
            when = "今天" if due == at_day else "下一个工作日"
            evidence = f"{_promise(state)}，应于 {_d(due)}（{when}）前办结，尚未办结"
            out.append(
                Signal(
                    state.case_no, R_DUE_SOON, evidence, state.center, state.item_id, None, None, due, events
                )
            )
    step = state.running
    if state.has_steps and step is not None and step.due is not None and at_day > step.due:
        out.append(
            Signal(
                state.case_no,
                R_STEP_LATE,
                f"环节“{step.step}”时限 {step.duration}，{_d(local_day(step.start))} 开始，"
                f"应于 {_d(step.due)} 前完成，至 {_d(at_day)} 仍未完成，"
                f"已超时 {_days(workdays_late(step.due, at_day))}",
                state.center,
                state.item_id,
                None,
                step.step,
                step.due,
                [],
                state.running_step or 0,
            )
        )
    return out


def content_signals(state: CaseState, item: ItemInfo) -> list[Signal]:
    """违规收费 and 已取消事项受理: against the item as the content publishes it now."""
    out: list[Signal] = []
    if state.fees:
        bad = [e for e in state.fees if (e.fee_name or "").strip() not in item.fee_names]
        if bad:
            published = "、".join(sorted(item.fee_names)) if item.fee_names else "不收费"
            charged = "；".join(f"{_d(local_day(e.at))} 收取“{e.fee_name}”{e.fee_amount} 元" for e in bad)
            evidence = f"{charged}，本事项公布的收费：{published}"
            out.append(
                Signal(
                    state.case_no,
                    R_FEE,
                    evidence,
                    state.center,
                    state.item_id,
                    None,
                    events=[e.id for e in bad],
                )
            )
    accept_day = state.accept_day
    if accept_day is not None:
        status = item.stopped_on(accept_day)
        if status is not None:
            since = f"（{_d(item.withdrawn_since)} 起）" if item.withdrawn_since and status != "暂停" else ""
            out.append(
                Signal(
                    state.case_no,
                    R_WITHDRAWN,
                    f"{_d(accept_day)} 受理时，事项“{item.name}”的状态为{status}{since}",
                    state.center,
                    state.item_id,
                    None,
                    events=[state.accept_id] if state.accept_id else [],
                )
            )
    return out


def case_signals(state: CaseState, at: dt.datetime, index: LedgerIndex) -> list[Signal]:
    """The signals of one case at ``at`` (its state derived from its events up to ``at``)."""
    item = index.item(state.center, state.item_id)
    fixed = state.fixed if state.fixed is not None else fixed_signals(state)
    out = [*fixed, *timed_signals(state, at), *(content_signals(state, item) if item is not None else ())]
    department = item.department if item is not None else state.department
    for signal in out:
        signal.department = department
    out.sort(key=lambda s: (_RULE_ORDER[s.rule], s._order))
    return out


def signal_facts(state: CaseState) -> dict[str, Any]:
    """What a case's row keeps for the signals: its fixed signals, its 受理 and its running step."""
    running = state.running
    return {
        "fixed": [s.to_fact() for s in fixed_signals(state)],
        "accept_id": state.accept_id,
        "running": [running.step, running.duration, running.start.isoformat()] if running else None,
    }


# -- from the database -----------------------------------------------------------------------------

#: The ``ledger_case`` columns a light state is rebuilt from (:func:`state_from_row`).
STATE_COLUMNS = (
    Case.center,
    Case.case_no,
    Case.item_id,
    Case.department_id,
    Case.status,
    Case.applicant_name,
    Case.applicant_kind,
    Case.channel,
    Case.applied_at,
    Case.accepted_at,
    Case.promised,
    Case.due_on,
    Case.paused,
    Case.pause_days,
    Case.closed_at,
    Case.closed_by,
    Case.decision,
    Case.on_time,
    Case.late_days,
    Case.running_step,
    Case.running_due,
    Case.has_steps,
    Case.event_count,
    Case.first_at,
    Case.last_at,
    Case.signal_facts,
)


def state_from_row(row: Any) -> CaseState:
    """A stored case's state, light: its columns, fixed signals and running step, not its lists of events.

    Enough for lists and for the signals; a case's page derives the whole
    state from its events (:func:`sunshine.ledger.queries.get_case`).
    """
    facts = row.signal_facts or {}
    state = CaseState(
        center=row.center,
        case_no=row.case_no,
        item_id=row.item_id,
        department=row.department_id,
        status=row.status,
        applicant_name=row.applicant_name,
        applicant_kind=row.applicant_kind,
        channel=row.channel,
        applied_at=row.applied_at,
        accepted_at=row.accepted_at,
        snapshot=Snapshot(row.promised, ()) if row.promised is not None else None,
        due_on=row.due_on,
        paused=bool(row.paused),
        pause_days=row.pause_days or 0,
        closed_at=row.closed_at,
        closed_by=row.closed_by,
        decision=row.decision,
        on_time=row.on_time,
        late_days=row.late_days or 0,
        running_step=row.running_step,
        running_due=row.running_due,
        has_steps=bool(row.has_steps),
        event_count=row.event_count or 0,
        first_at=row.first_at,
        last_at=row.last_at,
        accept_id=facts.get("accept_id"),
    )
    state.fixed = [Signal.from_fact(f, row.case_no, row.center, row.item_id) for f in facts.get("fixed", [])]
    running = facts.get("running")
    if running:
        step, duration, start = running
        start_at = dt.datetime.fromisoformat(start)
        state.running = StepState(step, None, duration, start_at, None, None, row.running_due)
    return state


def signals(
    conn: Connection,
    index: LedgerIndex,
    at: dt.datetime,
    *,
    center: str | None = None,
    department: str | None = None,
    window: str | None = None,
    item: str | None = None,
    level: str | None = None,
    rule: str | None = None,
) -> list[Signal]:
    """Every signal at ``at``, filtered; ordered by center, case, then rule (most severe first) and step.

    ``department``, ``window`` and ``item`` are ids within ``center`` (the
    root's when not given); ``level`` is 红牌, 黄牌 or 预警; ``rule`` a rule name.
    """
    if level is not None and level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose from {', '.join(LEVELS)}")
    if rule is not None and rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; choose from {', '.join(RULES)}")
    scope = _scope(index, center, department, window, item)
    at_day = local_day(at)
    states: list[CaseState] = []

    # Cases whose every event came by `at`: read from their rows, only those that can carry a signal.
    stopped = sorted({i.id for c in index.centers.values() for i in c.items.values() if _ever_stopped(i)})
    could_signal = or_(
        and_(
            Case.closed_at.is_(None),
            Case.accepted_at.is_not(None),
            Case.paused == false(),
            Case.due_on <= next_workday(at_day),
        ),
        Case.on_time == false(),
        and_(
            Case.has_steps == true(),
            or_(Case.late_steps > 0, and_(Case.closed_at.is_(None), Case.running_due < at_day)),
        ),
        Case.corrections >= 2,
        Case.no_reason == true(),
        and_(Case.accepted_at.is_not(None), Case.item_id.in_(stopped)) if stopped else false(),
    )
    query = select(*STATE_COLUMNS).where(Case.last_at <= at, could_signal, *scope)
    states.extend(state_from_row(row) for row in conn.execute(query))

    # Cases to replay from their events up to `at`: those with events after it, and those charged a fee
    # the guide does not list (违规收费 depends on the content as loaded now; checked per item and names).
    replay = select(Case.center, Case.case_no, Case.promised, Case.steps).where(
        Case.first_at <= at, Case.last_at > at, *scope
    )
    snapshots = {(r.center, r.case_no): Snapshot.from_row(r.promised, r.steps) for r in conn.execute(replay)}
    charged = select(Case.center, Case.item_id, Case.fee_names).distinct()
    charged = charged.where(Case.fee_count > 0, Case.last_at <= at, *scope)
    bad = {
        (row.center, row.item_id, row.fee_names)
        for row in conn.execute(charged)
        if _unlisted_fee(index.item(row.center, row.item_id), row.fee_names)
    }
    if bad:
        query = select(Case.center, Case.case_no, Case.item_id, Case.fee_names, Case.promised, Case.steps)
        query = query.where(
            Case.fee_count > 0, Case.item_id.in_(sorted({b[1] for b in bad})), Case.last_at <= at
        )
        for r in conn.execute(query.where(*scope)):
            if (r.center, r.item_id, r.fee_names) in bad:
                snapshots[(r.center, r.case_no)] = Snapshot.from_row(r.promised, r.steps)
    if snapshots:
        states = [s for s in states if (s.center, s.case_no) not in snapshots]
        states.extend(_replay(conn, snapshots, at))

    out: list[Signal] = []
    for state in states:
        for signal in case_signals(state, at, index):
            if (level is None or signal.level == level) and (rule is None or signal.rule == rule):
                out.append(signal)
    out.sort(key=lambda s: (s.center, s.case, _RULE_ORDER[s.rule], s._order))
    return out


def _unlisted_fee(item: ItemInfo | None, names: str | None) -> bool:
    """Whether a case charging ``names`` (one a line) on ``item`` charged a fee the guide does not list."""
    if item is None or names is None:
        return False
    return any(name not in item.fee_names for name in names.split("\n"))


def _ever_stopped(item: ItemInfo) -> bool:
    return item.status == "暂停" or item.stopped_on(dt.date.max) is not None


def _scope(
    index: LedgerIndex, center: str | None, department: str | None, window: str | None, item: str | None
) -> list[Any]:
    """SQL conditions for the filters (window: the items handled at that window)."""
    conditions: list[Any] = []
    if center is not None:
        conditions.append(Case.center == center)
    if department is not None:
        conditions.append(Case.department_id == department)
    if item is not None:
        conditions.append(Case.item_id == item)
    if window is not None:
        target = index.centers.get(center or index.root_id)
        items = sorted(i.id for i in target.items.values() if window in i.windows) if target else []
        conditions.append(Case.center == (center or index.root_id))
        conditions.append(Case.item_id.in_(items) if items else false())
    return conditions


def _replay(
    conn: Connection, snapshots: dict[tuple[str, str], Snapshot | None], at: dt.datetime
) -> list[CaseState]:
    columns = [getattr(Event, c) for c in FACT_COLUMNS]
    by_case: dict[tuple[str, str], list[Facts]] = defaultdict(list)
    keys = list(snapshots)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        query = select(Event.center, Event.case_no, *columns).where(
            Event.case_no.in_(sorted({k[1] for k in chunk})), Event.at <= at
        )
        wanted = set(chunk)
        for row in conn.execute(query):
            key = (row[0], row[1])
            if key in wanted:
                by_case[key].append(Facts(*row[2:]))
    return [derive(key[0], key[1], by_case[key], snapshots[key]) for key in keys if by_case[key]]
