"""A case's state derived from its events: the clock, pauses, steps, closing and what the signals need.

:func:`derive` is a pure function of the case's events (and the item snapshot
taken at its 受理), so the same events in any order give the same state.  The
importer stores its result in ``ledger_case``; the signals replay it over the
events up to a moment when they are asked about the past.

Interpretations of the contract (CASE-EXCHANGE.md "The clock"), documented in
docs/cases.md:

* Events are ordered by ``at``; ties by a fixed type order
  (:data:`~sunshine.ledger.models.TYPES`: 申请, 受理, 补正告知, 补正完成,
  特别程序开始, 特别程序结束, 环节完成, 收费, 不予受理, 办结, 撤回), then by id.
* The first 受理 starts the clock; the first 办结, 不予受理 or 撤回 closes the
  case.  Later closing events and any pause or step event after the close
  change nothing (they are kept and listed); a 收费, a 补正告知 or a 不予
  without reason after the close still counts for its rule.
* A pause is opened by its first event and ended by the next ending event of
  its kind (a second 补正告知 while one is open opens nothing, though it
  counts for 重复补正; an end with no open pause is ignored).  A pause still
  open when the case closes ends at the close.  Only working days after the
  受理 day count (the clock starts at 受理); days when a 补正 and a 特别程序
  overlap count once.
* Steps: a step with no 环节完成 of its own ends when a later step's first
  环节完成 arrives; a step whose end comes before its start took 0 days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .clock import LAST_DAY, DaySpan, due_day, local_day, paused_workdays, workdays_late
from .models import (
    CLOSED_STATUS,
    PAUSES,
    S_APPLIED,
    S_PAUSED,
    S_RUNNING,
    T_ACCEPT,
    T_APPLY,
    T_CORRECT,
    T_DONE,
    T_FEE,
    T_REFUSE,
    T_STEP,
    TYPE_ORDER,
)

_OPENS = {opening: kind for kind, (opening, _end) in PAUSES.items()}
_ENDS = {ending: kind for kind, (_open, ending) in PAUSES.items()}


class Facts(NamedTuple):
    """What the clock reads of one stored event (a row of ``ledger_event``)."""

    id: str
    type: str
    at: dt.datetime
    item_id: str | None
    channel: str | None
    applicant_name: str | None
    applicant_kind: str | None
    step: str | None
    decision: str | None
    reason: str | None
    fee_name: str | None
    fee_amount: str | None


#: The columns of ``ledger_event`` that make a :class:`Facts`, in its order.
FACT_COLUMNS: tuple[str, ...] = Facts._fields


@dataclass(frozen=True)
class Snapshot:
    """The item as it stood when the case's 受理 was stored: promised limit and (step, days, text)."""

    promised: int
    steps: tuple[tuple[str, int | None, str | None], ...]

    def to_json(self) -> list[list[Any]]:
        return [list(s) for s in self.steps]

    @classmethod
    def from_row(cls, promised: int | None, steps: list[Any] | None) -> Snapshot | None:
        if promised is None:
            return None
        return cls(promised, tuple(map(tuple, steps or ())))  # type: ignore[arg-type]


@dataclass
class StepState:
    """One step of the item's process as this case went through it."""

    step: str
    days: int | None
    duration: str | None
    start: dt.datetime
    end: dt.datetime | None
    #: How it ended: 受理, 环节完成, 后续环节完成 (a later step's completion) or 办结 (the case closed).
    ended_by: str | None
    #: The step's own due day (None while running and paused, or when its duration is not checked).
    due: dt.date | None
    late_days: int = 0
    #: The event that ended it (its 环节完成, a later step's, the 受理 or the closing event).
    end_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "days": self.days,
            "duration": self.duration,
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "ended_by": self.ended_by,
            "due": self.due.isoformat() if self.due else None,
            "late_days": self.late_days,
            "end_id": self.end_id,
        }


@dataclass
class CaseState:
    """Everything derived about one case: the columns of ``ledger_case``, and the lists behind them."""

    center: str
    case_no: str
    item_id: str | None = None
    status: str = S_APPLIED
    applicant_name: str | None = None
    applicant_kind: str | None = None
    channel: str | None = None
    applied_at: dt.datetime | None = None
    accepted_at: dt.datetime | None = None
    snapshot: Snapshot | None = None
    due_on: dt.date | None = None
    paused: bool = False
    pause_days: int = 0
    closed_at: dt.datetime | None = None
    closed_by: str | None = None
    decision: str | None = None
    on_time: bool | None = None
    late_days: int = 0
    corrections: list[Facts] = field(default_factory=list)
    fees: list[Facts] = field(default_factory=list)
    refusals: list[Facts] = field(default_factory=list)
    pauses: list[dict[str, Any]] = field(default_factory=list)
    steps: list[StepState] = field(default_factory=list)
    running_step: int | None = None
    running_due: dt.date | None = None
    #: The step running now (None when closed, or every step ended).
    running: StepState | None = None
    #: The item's department as last derived (from the row; derive() leaves it to the caller).
    department: str | None = None
    #: The fixed signals as stored in the row (None: compute them from this state's lists).
    fixed: list[Any] | None = None
    has_steps: bool = False
    event_count: int = 0
    first_at: dt.datetime | None = None
    last_at: dt.datetime | None = None
    accept_id: str | None = None
    close_id: str | None = None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def accept_day(self) -> dt.date | None:
        return local_day(self.accepted_at) if self.accepted_at else None

    @property
    def fee_names(self) -> str | None:
        """The distinct fee names charged, trimmed and sorted, one a line (None: no fee)."""
        if not self.fees:
            return None
        return "\n".join(sorted({(f.fee_name or "").strip() for f in self.fees}))

    @property
    def late_steps(self) -> list[StepState]:
        """Steps that ended after their due day (checked only when the case reported a 环节完成)."""
        if not self.has_steps:
            return []
        return [s for s in self.steps if s.end is not None and s.late_days > 0]


def order_key(event: Facts) -> tuple[dt.datetime, int, str]:
    """Events in time order; ties by the fixed type order, then by id."""
    return (event.at, TYPE_ORDER[event.type], event.id)


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def derive(center: str, case_no: str, events: list[Facts], snapshot: Snapshot | None) -> CaseState:
    """The state of a case from all its events (in any order) and the item snapshot of its 受理."""
    state = CaseState(center=center, case_no=case_no, snapshot=snapshot)
    ordered = sorted(events, key=order_key)
    state.event_count = len(ordered)
    if not ordered:
        return state
    state.first_at, state.last_at = ordered[0].at, ordered[-1].at

    accepted: Facts | None = None
    closing: Facts | None = None
    open_pauses: dict[str, Facts] = {}
    spans: list[tuple[str, Facts, Facts | None]] = []
    completions: dict[str, tuple[dt.datetime, str]] = {}
    for event in ordered:
        kind = event.type
        if state.item_id is None and event.item_id:
            state.item_id = event.item_id
        if kind in (T_APPLY, T_ACCEPT):
            if kind == T_APPLY and state.applied_at is None:
                state.applied_at = event.at
            state.channel = state.channel or event.channel
            if state.applicant_name is None and event.applicant_name is not None:
                state.applicant_name, state.applicant_kind = event.applicant_name, event.applicant_kind
        if kind == T_CORRECT:
            state.corrections.append(event)
        elif kind == T_FEE:
            state.fees.append(event)
        elif kind == T_REFUSE or (kind == T_DONE and event.decision == "不予"):
            if _blank(event.reason):
                state.refusals.append(event)
        elif kind == T_STEP:
            state.has_steps = True
        if closing is not None:
            continue  # nothing after the close moves the clock
        if kind == T_ACCEPT and accepted is None:
            accepted = event
        elif kind in _OPENS:
            pause = _OPENS[kind]
            if pause not in open_pauses:
                open_pauses[pause] = event
        elif kind in _ENDS:
            pause = _ENDS[kind]
            if pause in open_pauses:
                spans.append((pause, open_pauses.pop(pause), event))
        elif kind == T_STEP and event.step is not None and event.step not in completions:
            completions[event.step] = (event.at, event.id)
        elif kind in CLOSED_STATUS:
            closing = event
    if state.channel is None:
        state.channel = next((e.channel for e in ordered if e.channel), None)
    for pause, opened in open_pauses.items():
        spans.append((pause, opened, closing))  # still open: ends at the close, if any
    spans.sort(key=lambda s: order_key(s[1]))

    if closing is not None:
        state.closed_at, state.closed_by, state.close_id = closing.at, closing.type, closing.id
        state.decision = closing.decision if closing.type == T_DONE else None
    if accepted is not None:
        state.accepted_at, state.accept_id = accepted.at, accepted.id
    state.paused = closing is None and bool(open_pauses)

    day_spans = _pause_spans(state, spans)
    if accepted is not None and snapshot is not None:
        _clock(state, snapshot, day_spans)
        # A step that ended while a pause is still open had that pause up to its end.
        still_open = [(local_day(opened.at), LAST_DAY) for opened in open_pauses.values() if closing is None]
        _steps(state, snapshot, completions, day_spans + still_open)
    if closing is not None:
        state.status = CLOSED_STATUS[closing.type]
    elif accepted is not None:
        state.status = S_PAUSED if state.paused else S_RUNNING
    return state


def _pause_spans(state: CaseState, spans: list[tuple[str, Facts, Facts | None]]) -> list[DaySpan]:
    """Record the pauses on the state; return the ended ones as local (first, last) days."""
    accept_day = state.accept_day
    out: list[DaySpan] = []
    for pause, opened, ended in spans:
        first = local_day(opened.at)
        last = local_day(ended.at) if ended is not None else None
        days = 0
        if last is not None:
            out.append((first, last))
            if accept_day is not None:
                days = paused_workdays([(first, last)], accept_day)
        state.pauses.append(
            {
                "kind": pause,
                "from": opened.at.isoformat(),
                "to": ended.at.isoformat() if ended is not None else None,
                "from_id": opened.id,
                "to_id": ended.id if ended is not None else None,
                "days": days,
            }
        )
    return out


def _clock(state: CaseState, snapshot: Snapshot, spans: list[DaySpan]) -> None:
    """Due day, pause days and on-time of a case with a 受理 and a snapshot."""
    start = state.accept_day
    assert start is not None
    state.pause_days = paused_workdays(spans, start)
    if state.paused:
        return
    state.due_on = due_day(start, snapshot.promised + state.pause_days)
    if state.closed_at is not None:
        late = workdays_late(state.due_on, local_day(state.closed_at))
        state.on_time = late == 0
        state.late_days = late


def _steps(
    state: CaseState,
    snapshot: Snapshot,
    completions: dict[str, tuple[dt.datetime, str]],
    spans: list[DaySpan],
) -> None:
    """Each step's start, end and due day; the step running now and its due day."""
    assert state.accepted_at is not None
    names = [s[0] for s in snapshot.steps]
    previous_end = state.accepted_at
    for i, (name, days, duration) in enumerate(snapshot.steps):
        start = previous_end
        end: dt.datetime | None
        ended_by: str | None
        end_id: str | None
        if i == 0 and name == T_ACCEPT:
            end, ended_by, end_id = state.accepted_at, T_ACCEPT, state.accept_id
        elif name in completions:
            (end, end_id), ended_by = completions[name], T_STEP
        else:
            later = [completions[n] for n in names[i + 1 :] if n in completions]
            if later:
                (end, end_id), ended_by = min(later), "后续环节完成"
            elif state.closed_at is not None:
                end, ended_by, end_id = state.closed_at, "办结", state.close_id
            else:
                end, ended_by, end_id = None, None, None
        if end is not None and end < start:
            end = start
        step = StepState(name, days, duration, start, end, ended_by, None, end_id=end_id)
        state.steps.append(step)
        start_day = local_day(start)
        if end is None:
            state.running_step, state.running = i, step
            if days is not None and not state.paused:
                step.due = due_day(start_day, days + paused_workdays(spans, start_day))
                state.running_due = step.due
            return
        if days is not None:
            end_day = local_day(end)
            step.due = due_day(start_day, days + paused_workdays(spans, start_day, end_day))
            step.late_days = workdays_late(step.due, end_day)
        if ended_by == "办结":
            return
        previous_end = end
