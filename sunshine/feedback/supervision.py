"""Supervision (效能监察): messages about to fall due, overdue, or unanswered for over three months; 催办.

Three lists, each message in the most serious one it qualifies for:

* 超过三个月未答复 — open for more than three calendar months.  The national
  checks of government websites fail a site that leaves a valid message
  unanswered that long, so these come first.
* 超期 — past the last working day to answer.
* 预警 — due today or on the next working day.

All of it is computed in working days on China's official calendar
(:mod:`.workdays`) from a ``now`` the caller passes, so the page, the cron
report (``build.py feedback overdue``) and the tests agree to the day.

监察员 and 管理员 see every department and may send a 催办 (recorded as an
:class:`~.models.Urge` row and an audit entry); a 部门办理员 sees only the
messages of their own department.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from werkzeug.wrappers import Response

from ..content.model import FeedbackSettings
from ..store import get_content
from . import audit, db
from .auth import current_user, roles_required
from .models import (
    OPEN_STATUSES,
    ROLE_ADMIN,
    ROLE_HANDLER,
    ROLE_SUPERVISOR,
    TIMEZONE,
    Message,
    Urge,
    local_date,
    utcnow,
)
from .publish import department_name
from .stats import due_date
from .workdays import workdays_between, workdays_left

bp = Blueprint("supervision", __name__, url_prefix="/admin/supervision")

#: A message open this many calendar months or more is listed as 超过三个月未答复.
STALE_MONTHS = 3
#: Messages due within this many working days are 预警.
WARNING_WORKDAYS = 1
#: Longest 催办 note kept.
NOTE_MAX = 500

STALE, OVERDUE, WARNING = "stale", "overdue", "warning"
BUCKET_LABELS = {STALE: "超过三个月未答复", OVERDUE: "超期", WARNING: "预警"}


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same wall-clock moment ``months`` calendar months earlier (31 May − 3 months → 28/29 Feb)."""
    local = moment.astimezone(TIMEZONE)
    index = local.year * 12 + local.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for day in (local.day, 30, 29, 28):
        try:
            return local.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")  # pragma: no cover


@dataclass(frozen=True)
class Row:
    """One message on the supervision lists."""

    message: Message
    bucket: str
    due_on: dt.date
    #: Working days until the due day: 1 tomorrow, 0 today, −3 three working days overdue.
    left: int
    #: Working days since the message was received.
    open_workdays: int
    urges: int
    last_urged_at: dt.datetime | None

    @property
    def overdue_workdays(self) -> int:
        return max(0, -self.left)

    def to_json(self) -> dict[str, Any]:
        message = self.message
        return {
            "number": message.number,
            "kind": message.kind,
            "status": message.status,
            "title": message.title,
            "department_id": message.department_id,
            "received_at": message.created_at.isoformat(),
            "due_on": self.due_on.isoformat(),
            "bucket": self.bucket,
            "workdays_left": self.left,
            "open_workdays": self.open_workdays,
            "urges": self.urges,
            "last_urged_at": self.last_urged_at.isoformat() if self.last_urged_at else None,
        }


@dataclass
class Report:
    """The three lists as of ``now``, most urgent first within each."""

    now: dt.datetime
    department_id: str | None = None
    stale: list[Row] = field(default_factory=list)
    overdue: list[Row] = field(default_factory=list)
    warning: list[Row] = field(default_factory=list)

    def buckets(self) -> list[tuple[str, str, list[Row]]]:
        return [(key, BUCKET_LABELS[key], getattr(self, key)) for key in (STALE, OVERDUE, WARNING)]

    def to_json(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "department_id": self.department_id,
            **{key: [row.to_json() for row in rows] for key, _label, rows in self.buckets()},
        }


def classify(message: Message, settings: FeedbackSettings, now: dt.datetime) -> Row | None:
    """The supervision row of an open message, or None when it is neither stale, overdue nor nearly due."""
    due = due_date(message, settings)
    left = workdays_left(now, due)
    if message.created_at <= months_before(now, STALE_MONTHS):
        bucket = STALE
    elif left < 0:
        bucket = OVERDUE
    elif left <= WARNING_WORKDAYS:
        bucket = WARNING
    else:
        return None
    urged = [u.created_at for u in message.urges]
    return Row(
        message=message,
        bucket=bucket,
        due_on=due,
        left=left,
        open_workdays=max(0, workdays_between(message.created_at, now)),
        urges=len(urged),
        last_urged_at=max(urged) if urged else None,
    )


def report(
    session: Session, settings: FeedbackSettings, now: dt.datetime, department_id: str | None = None
) -> Report:
    """Every open message that needs watching; only ``department_id``'s when given."""
    query = select(Message).where(Message.status.in_(OPEN_STATUSES)).options(selectinload(Message.urges))
    if department_id is not None:
        query = query.where(Message.department_id == department_id)
    out = Report(now=now, department_id=department_id)
    for message in session.scalars(query.order_by(Message.created_at, Message.id)):
        if not message.needs_handling:
            continue
        row = classify(message, settings, now)
        if row is not None:
            getattr(out, row.bucket).append(row)
    for rows in (out.stale, out.overdue, out.warning):
        rows.sort(key=lambda r: (r.left, r.message.created_at))
    return out


def urge(session: Session, message: Message, user: Any, note: str, now: dt.datetime | None = None) -> Urge:
    """A 催办 of ``message`` by ``user``: an Urge row and an audit entry, in the caller's transaction."""
    entry = Urge(
        message=message,
        user=user,
        department_id=message.department_id,
        note=note.strip()[:NOTE_MAX],
        created_at=now or utcnow(),
    )
    session.add(entry)
    audit.record(
        session,
        "urge",
        user,
        message=message,
        target=f"department:{message.department_id or ''}",
        after={"department_id": message.department_id, "note": entry.note},
        note=entry.note or None,
    )
    return entry


# -- pages ---------------------------------------------------------------------

CAN_URGE = (ROLE_SUPERVISOR, ROLE_ADMIN)


def _scope() -> str | None:
    """The department a signed-in 部门办理员 is limited to (None: all)."""
    user = current_user()
    if user is None:  # the /admin/ guard signs people in first; never reached anonymously
        abort(401)
    return user.department_id if user.role == ROLE_HANDLER else None


def _message_in_scope(number: str) -> Message:
    message = db.get_session().scalar(
        select(Message).where(Message.number == number).options(selectinload(Message.urges))
    )
    user = current_user()
    if message is None or user is None or not user.can_see(message):
        abort(404)
    return message


@bp.get("/")
def index() -> str:
    content = get_content()
    result = report(db.get_session(), content.site.feedback, utcnow(), _scope())
    return render_template(
        "admin/supervision.html",
        report=result,
        can_urge=current_user().role in CAN_URGE,  # type: ignore[union-attr]
        department_label=lambda dep: department_name(content, dep),
        tz=TIMEZONE,
    )


@bp.post("/<number>/urge")
@roles_required(*CAN_URGE)
def send_urge(number: str) -> Response:
    session = db.get_session()
    message = _message_in_scope(number)
    if message.status not in OPEN_STATUSES:
        flash(f"{message.number} 已{message.status}，无需催办。", "error")
        return redirect(url_for("supervision.index"))
    urge(session, message, current_user(), request.form.get("note", ""))
    session.commit()
    flash(f"已向承办单位发出 {message.number} 的催办。", "success")
    return redirect(url_for("supervision.index") + f"#message-{message.number}")


@bp.get("/<number>/notice")
def notice(number: str) -> str:
    content = get_content()
    message = _message_in_scope(number)
    now = utcnow()
    row = classify(message, content.site.feedback, now) if message.status in OPEN_STATUSES else None
    if row is None or row.bucket == WARNING:
        abort(404)
    return render_template(
        "admin/supervision_notice.html",
        row=row,
        message=message,
        department=department_name(content, message.department_id),
        today=local_date(now),
        tz=TIMEZONE,
    )


def init_app(app: Flask) -> None:
    """Register the supervision pages (under /admin/, so the staff sign-in guard covers them)."""
    app.register_blueprint(bp)
