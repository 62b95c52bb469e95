"""What can happen to a case: submission (numbered, with a secret 查询码) and the staff workflow.

Every function here works inside the caller's transaction and writes its
audit entry into it, so an action and its record commit together or not at all.

Workflow: 待受理 → 已受理 → 办理中 → 已答复 → 已办结; 不予受理 (with a reason)
ends a case early; 转办 hands an open case to another department, where it
waits to be accepted again.  A reply is drafted (unseen), then published to
the citizen (``answered_at``); making it public on the site (``published_at``)
is a separate decision.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, security, workdays
from .models import (
    KIND_PREFIX,
    RATINGS,
    S_ACCEPTED,
    S_ANSWERED,
    S_CLOSED,
    S_IN_PROGRESS,
    S_NEW,
    S_REJECTED,
    Attachment,
    Case,
    Counter,
    User,
    local_date,
    utcnow,
)

#: 查询码 alphabet: no 0/O, 1/I/L, so a code read aloud or copied by hand survives.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12  # ≈ 59 bits

#: Fields recorded before/after in the audit log of a workflow action.
AUDITED = (
    "status",
    "department_id",
    "reject_reason",
    "reply",
    "public",
    "accepted_at",
    "answered_at",
    "closed_at",
    "published_at",
)


class WorkflowError(ValueError):
    """An action that is not allowed now, with the reason shown to the staff member."""


@dataclass
class Submission:
    """A citizen's validated message, ready to store."""

    kind: str
    title: str
    body: str
    name: str
    phone: str
    item_id: str | None = None
    window_id: str | None = None
    department_id: str | None = None
    staff_badge: str | None = None
    rating: int | None = None


# -- numbers and codes ------------------------------------------------------------


def allocate_number(db: Session, kind: str, moment: dt.datetime) -> str:
    """The next ``TS-20261124-0007`` number: a counter row bumped atomically in this transaction."""
    key = f"{KIND_PREFIX[kind]}-{local_date(moment):%Y%m%d}"
    dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - only the two supported databases
        raise RuntimeError(f"unsupported database {dialect}")
    stmt = (
        insert(Counter)
        .values(key=key, value=1)
        .on_conflict_do_update(index_elements=[Counter.key], set_={"value": Counter.value + 1})
        .returning(Counter.value)
    )
    sequence = db.execute(stmt).scalar_one()
    return f"{key}-{sequence:04d}"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """``ABCD-EFGH-JKMN``: easier to read out and copy."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalize_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def hash_code(number: str, code: str) -> str:
    """Salted by the case number, so equal codes of two cases never hash alike."""
    return hashlib.sha256(f"{number}:{normalize_code(code)}".encode()).hexdigest()


def find_case(db: Session, number: str, code: str) -> Case | None:
    """The case with this number if the 查询码 matches, else None (no hint which was wrong)."""
    case = db.scalar(select(Case).where(Case.number == number.strip().upper()))
    expected = case.code_hash if case is not None else "0" * 64
    ok = hmac.compare_digest(expected, hash_code(number.strip().upper(), code))
    return case if ok and case is not None else None


# -- submission ------------------------------------------------------------------


def submit(db: Session, data: Submission, settings: Any) -> tuple[Case, str]:
    """Store a citizen's message; returns the case and its 查询码 in clear (shown once, never stored).

    ``settings`` is site.yaml's ``feedback`` (deadlines).  A good evaluation is
    stored closed: it needs no answer.
    """
    now = utcnow()
    code = new_code()
    case = Case(
        kind=data.kind,
        title=data.title,
        body=data.body,
        item_id=data.item_id,
        window_id=data.window_id,
        about_department_id=data.department_id,
        department_id=data.department_id,
        staff_badge=data.staff_badge,
        rating=data.rating,
        name=data.name,
        phone=data.phone,
        created_at=now,
        status=S_NEW,
        public=False,
    )
    if case.needs_handling:
        days = workdays.deadline_days(settings, data.kind, data.rating)
        case.due_on = workdays.add_workdays(now, days).date()
    else:
        case.status = S_CLOSED
        case.closed_at = now
    # Everything above needs no database.  From here on the transaction holds SQLite's write lock
    # (BEGIN IMMEDIATE), which every other submission waits for, so it is kept to the statements.
    case.number = allocate_number(db, data.kind, now)
    case.code_hash = hash_code(case.number, code)
    db.add(case)
    db.flush()
    audit.record(
        db, "submit", audit.CITIZEN, case=case, after=audit.snapshot(case, ("number", "kind", "status"))
    )
    return case, code


def save_attachment(db: Session, case: Case, stream: IO[bytes], filename: str, folder: Path) -> Attachment:
    """Write an upload under ``folder`` with a random name (fsynced before the row commits).

    The caller has checked type and size with :func:`check_upload`.
    """
    data = stream.read()
    kind = security.sniff(data[:16])
    if kind is None:  # checked by the form; a second check costs nothing
        raise ValueError("unsupported attachment type")
    mimetype, ext = kind
    folder.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16) + ext
    fd = os.open(folder / stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    attachment = Attachment(
        stored_name=stored,
        original_name=Path(filename or "附件").name[:255],
        mimetype=mimetype,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    case.attachments.append(attachment)
    return attachment


# -- staff workflow -------------------------------------------------------------

#: action → (statuses it may start from, status it leads to or None to keep).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "accept": ((S_NEW,), S_ACCEPTED),
    "start": ((S_ACCEPTED,), S_IN_PROGRESS),
    "reject": ((S_NEW, S_ACCEPTED), S_REJECTED),
    "transfer": ((S_NEW, S_ACCEPTED, S_IN_PROGRESS), S_NEW),
    "draft_reply": ((S_ACCEPTED, S_IN_PROGRESS), None),
    "publish_reply": ((S_ACCEPTED, S_IN_PROGRESS), S_ANSWERED),
    "close": ((S_ANSWERED,), S_CLOSED),
    "set_public": ((S_ANSWERED, S_CLOSED), None),
}


def available_actions(case: Case, user: User) -> list[str]:
    """The workflow actions ``user`` may take on ``case`` now (the forms the detail page shows)."""
    if not user.can_handle(case):
        return []
    return [name for name, (sources, _) in TRANSITIONS.items() if case.status in sources]


def act(
    db: Session,
    case: Case,
    user: User,
    action: str,
    *,
    reason: str = "",
    department: str = "",
    reply: str = "",
    public: bool = False,
) -> None:
    """Apply one workflow action, or raise :class:`WorkflowError` saying why it is refused."""
    if action not in TRANSITIONS:
        raise WorkflowError("未知操作")
    if not user.can_handle(case):
        raise WorkflowError("您无权办理此件")
    sources, target = TRANSITIONS[action]
    if case.status not in sources:
        raise WorkflowError(f"当前状态为「{case.status}」，不能{_label(action)}")
    before = audit.snapshot(case, AUDITED)
    now = utcnow()
    note: str | None = None
    if action == "reject":
        if not reason.strip():
            raise WorkflowError("不予受理须说明理由")
        case.reject_reason = note = reason.strip()
        case.closed_at = now
    elif action == "transfer":
        if not department or department == case.department_id:
            raise WorkflowError("请选择另一个承办单位")
        case.department_id = department
        case.accepted_at = None
        note = reason.strip() or None
    elif action == "accept":
        case.accepted_at = now
    elif action == "draft_reply":
        if not reply.strip():
            raise WorkflowError("答复内容不能为空")
        case.reply = reply.strip()
        case.reply_drafted_at = now
        case.reply_by = user
    elif action == "publish_reply":
        if not (case.reply or "").strip():
            raise WorkflowError("请先起草答复")
        case.answered_at = now
    elif action == "close":
        case.closed_at = now
    elif action == "set_public":
        case.public = public
        case.published_at = now if public else None
    if target is not None:
        case.status = target
    audit.record(
        db,
        action,
        user,
        case=case,
        before=before,
        after=audit.snapshot(case, AUDITED),
        note=note,
    )


def _label(action: str) -> str:
    from .models import ACTIONS

    return ACTIONS.get(action, action)


def rate_reply(db: Session, case: Case, satisfied: bool, comment: str) -> None:
    """The citizen's verdict on a published reply, once."""
    if case.status not in (S_ANSWERED, S_CLOSED) or case.answered_at is None:
        raise WorkflowError("答复发布后才能评价")
    if case.citizen_rated_at is not None:
        raise WorkflowError("您已评价过此答复")
    before = audit.snapshot(case, ("citizen_satisfied",))
    case.citizen_satisfied = satisfied
    case.citizen_comment = comment.strip() or None
    case.citizen_rated_at = utcnow()
    audit.record(
        db,
        "citizen_rating",
        audit.CITIZEN,
        case=case,
        before=before,
        after=audit.snapshot(case, ("citizen_satisfied", "citizen_comment")),
        note="满意" if satisfied else "不满意",
    )


def rating_choices() -> list[tuple[int, str]]:
    return list(RATINGS.items())
