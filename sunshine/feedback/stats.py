"""Public statistics of the center's answers (互动数据统计): /feedback/stats/, server and static.

Definitions, printed on the page too so a reader can check them:

* 收件 — every message received; 需答复 — those needing an answer (all but a
  good evaluation, 好评); 已答复 — those whose reply was sent to the citizen.
* 按时答复率 — replies within the deadline (working days, China's calendar with
  调休) over the messages whose timeliness is known: answered ones plus unanswered
  ones already past their deadline.  A message still within its deadline does not
  count yet, either way.  不予受理 messages are left out.
* 平均答复用时 — working days from receipt to reply (see :mod:`.workdays`).
* 满意率 — satisfied verdicts over all verdicts: 评价 ratings (基本满意 and
  better are satisfied) and citizens' ratings of replies.
* Messages are grouped by the month they were received in, and by the department
  handling them now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import Blueprint, Flask, render_template
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..content.model import FeedbackSettings
from ..store import get_content
from .models import BAD_RATING_MAX, KINDS, S_REJECTED, Message, local_date, utcnow
from .publish import read_session
from .svgchart import Series, bar_chart
from .workdays import add_workdays, deadline_days, workdays_between

bp = Blueprint("feedback_stats", __name__)

#: Months shown in the monthly table and chart, ending with the current one.
MONTHS = 12


@dataclass
class Tally:
    """Counts for one group of messages (a kind, a department, a month, or all)."""

    label: str
    received: int = 0
    to_answer: int = 0
    answered: int = 0
    on_time: int = 0
    late: int = 0
    answer_workdays: int = 0
    rated: int = 0
    satisfied: int = 0

    @property
    def on_time_rate(self) -> float | None:
        judged = self.on_time + self.late
        return self.on_time / judged if judged else None

    @property
    def average_workdays(self) -> float | None:
        return self.answer_workdays / self.answered if self.answered else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None


@dataclass
class Stats:
    """All the tallies of one moment; ``by_month`` holds the last :data:`MONTHS` months, oldest first."""

    as_of: dt.date
    total: Tally
    by_kind: list[Tally]
    by_department: list[Tally]
    by_month: list[Tally] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    """The columns statistics read: loaded without the personal fields."""

    kind: str
    rating: int | None
    status: str
    department_id: str | None
    created_at: dt.datetime
    answered_at: dt.datetime | None
    due_on: dt.date | None
    citizen_satisfied: bool | None


def _month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def last_months(today: dt.date, count: int = MONTHS) -> list[str]:
    """``count`` month keys (YYYY-MM) ending with ``today``'s month, oldest first."""
    year, month = today.year, today.month
    keys = []
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def due_date(row: _Row | Message, settings: FeedbackSettings) -> dt.date:
    """The last working day to answer: as stored at submission, else computed from today's settings."""
    if row.due_on is not None:
        return row.due_on
    return add_workdays(row.created_at, deadline_days(settings, row.kind, row.rating)).date()


def _count(tally: Tally, row: _Row, settings: FeedbackSettings, today: dt.date) -> None:
    tally.received += 1
    if row.kind == "评价" and row.rating is not None:
        tally.rated += 1
        tally.satisfied += row.rating > BAD_RATING_MAX
    if row.citizen_satisfied is not None:
        tally.rated += 1
        tally.satisfied += bool(row.citizen_satisfied)
    needs_answer = row.kind != "评价" or (row.rating is not None and row.rating <= BAD_RATING_MAX)
    if not needs_answer or row.status == S_REJECTED:
        return
    tally.to_answer += 1
    due = due_date(row, settings)
    if row.answered_at is not None:
        tally.answered += 1
        tally.answer_workdays += max(0, workdays_between(row.created_at, row.answered_at))
        if local_date(row.answered_at) <= due:
            tally.on_time += 1
        else:
            tally.late += 1
    elif today > due:
        tally.late += 1


def compute(
    rows: Iterable[_Row | Message],
    settings: FeedbackSettings,
    now: dt.datetime,
    department_names: dict[str | None, str] | None = None,
    months: int = MONTHS,
) -> Stats:
    """Tally ``rows`` as of ``now`` (aware); departments are labelled with ``department_names``."""
    names = department_names or {}
    today = local_date(now)
    total = Tally("合计")
    kinds = {kind: Tally(kind) for kind in KINDS}
    departments: dict[str | None, Tally] = {}
    month_keys = last_months(today, months)
    by_month = {key: Tally(key) for key in month_keys}
    for row in rows:
        groups = [total, kinds.setdefault(row.kind, Tally(row.kind))]
        department = departments.get(row.department_id)
        if department is None:
            label = names.get(row.department_id, row.department_id or "中心")
            department = departments[row.department_id] = Tally(label)
        groups.append(department)
        month = by_month.get(_month_key(local_date(row.created_at)))
        if month is not None:
            groups.append(month)
        for tally in groups:
            _count(tally, row, settings, today)
    return Stats(
        as_of=today,
        total=total,
        by_kind=list(kinds.values()),
        by_department=sorted(departments.values(), key=lambda t: (-t.received, t.label)),
        by_month=[by_month[key] for key in month_keys],
    )


def load_rows(session: Session) -> list[_Row]:
    """Every message's statistical columns (no names, phones or text)."""
    query = select(
        Message.kind,
        Message.rating,
        Message.status,
        Message.department_id,
        Message.created_at,
        Message.answered_at,
        Message.due_on,
        Message.citizen_satisfied,
    )
    return [_Row(*values) for values in session.execute(query)]


def monthly_chart(stats: Stats) -> Markup:
    """Bar chart of messages needing an answer vs. answered, per month of receipt."""
    months = stats.by_month
    received = sum(m.to_answer for m in months)
    answered = sum(m.answered for m in months)
    return bar_chart(
        "feedback-monthly",
        f"近{len(months)}个月收件与答复情况",
        f"{months[0].label} 至 {months[-1].label}，需答复 {received} 件，已答复 {answered} 件；"
        "逐月数字见下方表格。",
        [m.label[2:] for m in months],
        [Series("需答复", [m.to_answer for m in months]), Series("已答复", [m.answered for m in months])],
    )


def percent(value: float | None) -> str:
    """A rate as printed in the tables: 96.5%, or — when nothing was counted."""
    return "—" if value is None else f"{value * 100:.1f}%"


def one_decimal(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


@bp.route("/feedback/stats/")
def stats() -> str:
    content = get_content()
    names: dict[str | None, str] = {key: d.name for key, d in content.departments.items()}
    names[None] = content.site.short_name or content.site.name
    with read_session() as session:
        rows = load_rows(session)
    result = compute(rows, content.site.feedback, utcnow(), names)
    return render_template("feedback/stats.html", stats=result, chart=monthly_chart(result))


def init_app(app: Flask) -> None:
    """Register the statistics page and the filters its template uses."""
    app.register_blueprint(bp)
    app.add_template_filter(percent, "percent")
    app.add_template_filter(one_decimal, "one_decimal")
