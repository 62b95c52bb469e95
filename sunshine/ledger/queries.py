"""Reading the ledger: one case with its events, lists of cases, and per-item / per-center figures.

These are the reads the staff and public pages build on (supervision board,
办件公示, 效能考核, the portal's 按时办结率); each takes a SQLAlchemy
connection or session and returns plain objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Connection, case, func, select
from sqlalchemy.orm import Session

from .models import Case, Event
from .signals import STATE_COLUMNS, state_from_row
from .state import FACT_COLUMNS, CaseState, Facts, Snapshot, derive

Reader = Connection | Session


@dataclass
class CaseRecord:
    """A stored case: its derived state and every event of it in time order (as stored, ``raw`` included)."""

    state: CaseState
    department: str | None
    events: list[Event]


def get_case(session: Session, center: str, case_no: str) -> CaseRecord | None:
    """One case, its whole state derived from its events (steps, pauses, fees …), or None."""
    row = session.execute(
        select(Case.department_id, Case.promised, Case.steps).where(
            Case.center == center, Case.case_no == case_no
        )
    ).first()
    if row is None:
        return None
    events = list(
        session.scalars(
            select(Event)
            .where(Event.case_no == case_no, Event.center == center)
            .order_by(Event.at, Event.seq)
        )
    )
    facts = [Facts(*(getattr(e, c) for c in FACT_COLUMNS)) for e in events]
    state = derive(center, case_no, facts, Snapshot.from_row(row.promised, row.steps))
    state.department = row.department_id
    return CaseRecord(state, row.department_id, events)


def list_cases(
    reader: Reader,
    *,
    center: str | None = None,
    department: str | None = None,
    item: str | None = None,
    status: str | None = None,
    open_only: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> list[CaseState]:
    """Cases, newest 受理 (else first event) first, filtered."""
    query = select(*STATE_COLUMNS)
    if center is not None:
        query = query.where(Case.center == center)
    if department is not None:
        query = query.where(Case.department_id == department)
    if item is not None:
        query = query.where(Case.item_id == item)
    if status is not None:
        query = query.where(Case.status == status)
    if open_only:
        query = query.where(Case.closed_at.is_(None))
    order = func.coalesce(Case.accepted_at, Case.first_at)
    query = query.order_by(order.desc(), Case.case_no).limit(limit).offset(offset)
    return [state_from_row(row) for row in reader.execute(query)]


@dataclass
class Figures:
    """Counts of one group of cases: received (受理), closed with a clock, on time, open, overdue closed."""

    accepted: int = 0
    closed: int = 0
    on_time: int = 0
    open: int = 0
    refused: int = 0
    withdrawn: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        """按时办结率: closed on time / closed with a clock, as a percentage with one decimal."""
        if not self.closed:
            return None
        return (Decimal(self.on_time) * 100 / self.closed).quantize(Decimal("0.1"), ROUND_HALF_UP)


def figures(
    reader: Reader,
    group_by: str,
    *,
    center: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> dict[Any, Figures]:
    """Figures per ``center``, ``department_id`` or ``item_id`` (keys: the value, or (center, value)).

    ``since``/``until`` bound the 受理 moment of the cases counted.
    """
    if group_by not in ("center", "department_id", "item_id"):
        raise ValueError(f"cannot group cases by {group_by!r}")
    column = getattr(Case, group_by)
    keys = [Case.center] if group_by == "center" else [Case.center, column]
    query = select(
        *keys,
        func.count(Case.accepted_at),
        func.count(Case.on_time),
        func.sum(case((Case.on_time.is_(True), 1), else_=0)),
        func.sum(case((Case.closed_at.is_(None), 1), else_=0)),
        func.sum(case((Case.closed_by == "不予受理", 1), else_=0)),
        func.sum(case((Case.closed_by == "撤回", 1), else_=0)),
    ).group_by(*keys)
    if center is not None:
        query = query.where(Case.center == center)
    if since is not None:
        query = query.where(Case.accepted_at >= since)
    if until is not None:
        query = query.where(Case.accepted_at < until)
    out: dict[Any, Figures] = {}
    for row in reader.execute(query):
        key = row[0] if group_by == "center" else (row[0], row[1])
        accepted, closed, on_time, still_open, refused, withdrawn = (int(v or 0) for v in row[len(keys) :])
        out[key] = Figures(accepted, closed, on_time, still_open, refused, withdrawn)
    return out
