"""What can happen to a message: submission (numbered, with a secret 查询码) and the staff workflow.

Every function here works inside the caller's transaction and writes its
audit entry into it, so an action and its record commit together or not at all.

Workflow: 待受理 → 已受理 → 办理中 → 已答复 → 已办结; 不予受理 (with a reason)
closes a message early; 转办 hands an open one to another department, where it
waits to be accepted again.  A reply is drafted (unseen), then published to
the citizen (``answered_at``); making it public on the site (``published_at``)
is a separate decision.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, bindparam, insert, select
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
    AuditEntry,
    Counter,
    Message,
    User,
    local_date,
    needs_handling,
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


@functools.cache
def _counter_bump(dialect: str) -> Any:
    """``INSERT … ON CONFLICT DO UPDATE … RETURNING value`` on the counter row, built once per dialect."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - only the two supported databases
        raise RuntimeError(f"unsupported database {dialect}")
    table = Counter.__table__
    return (
        insert(table)
        .values(key=bindparam("key"), value=1)
        .on_conflict_do_update(index_elements=[table.c.key], set_={"value": table.c.value + 1})
        .returning(table.c.value)
    )


def allocate_number(conn: Connection, kind: str, moment: dt.datetime) -> str:
    """The next ``TS-20261124-0007`` number: a counter row bumped atomically in this transaction."""
    key = f"{KIND_PREFIX[kind]}-{local_date(moment):%Y%m%d}"
    sequence = conn.execute(_counter_bump(conn.dialect.name), {"key": key}).scalar_one()
    return f"{key}-{sequence:04d}"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """``ABCD-EFGH-JKMN``: easier to read out and copy."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalize_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def hash_code(number: str, code: str) -> str:
    """Salted by the message number, so equal codes of two messages never hash alike."""
    return hashlib.sha256(f"{number}:{normalize_code(code)}".encode()).hexdigest()


def find_message(db: Session, number: str, code: str) -> Message | None:
    """The message with this number if the 查询码 matches, else None (no hint which was wrong)."""
    message = db.scalar(select(Message).where(Message.number == number.strip().upper()))
    expected = message.code_hash if message is not None else "0" * 64
    ok = hmac.compare_digest(expected, hash_code(number.strip().upper(), code))
    return message if ok and message is not None else None


# -- submission ------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """What the citizen is told once their message is committed: its number and 查询码 (in clear)."""

    number: str
    code: str


@dataclass(frozen=True)
class StoredFile:
    """An attachment already on disk (fsynced), waiting for its row in the submission's transaction."""

    path: Path
    original_name: str
    mimetype: str
    size: int
    sha256: str


_INSERT_MESSAGE = insert(Message.__table__).returning(Message.__table__.c.id)
_INSERT_AUDIT = insert(AuditEntry.__table__)
_INSERT_ATTACHMENT = insert(Attachment.__table__)


def submit(db: Session, data: Submission, settings: Any, files: Sequence[StoredFile] = ()) -> Receipt:
    """Store a citizen's message with its audit entry and attachments, in the caller's transaction.

    ``settings`` is site.yaml's ``feedback`` (deadlines).  A good evaluation is
    stored closed: it needs no answer.  Returns the receipt with the 查询码 in
    clear (shown once, never stored).

    On SQLite every submission of every worker waits for one write lock, which
    the transaction takes at its first statement (``BEGIN IMMEDIATE``).  So
    everything that needs no database is worked out first, and the transaction
    is a few prepared statements: bump the counter, insert the message, its audit
    entry and its attachments.  Building ORM objects and flushing them inside
    the lock had made it several times longer, and every other citizen waited.
    """
    now = utcnow()
    code = new_code()
    row: dict[str, Any] = {
        "kind": data.kind,
        "status": S_NEW,
        "title": data.title,
        "body": data.body,
        "item_id": data.item_id,
        "window_id": data.window_id,
        "about_department_id": data.department_id,
        "department_id": data.department_id,
        "staff_badge": data.staff_badge,
        "rating": data.rating,
        "name": data.name,
        "phone": data.phone,
        "created_at": now,
        "due_on": None,
        "closed_at": None,
        "public": False,
    }
    if needs_handling(data.kind, data.rating):
        days = workdays.deadline_days(settings, data.kind, data.rating)
        row["due_on"] = workdays.add_workdays(now, days).date()
    else:
        row["status"] = S_CLOSED
        row["closed_at"] = now
    entry = audit.fields("submit", audit.CITIZEN)
    attachments = [
        {
            "stored_name": f.path.name,
            "original_name": f.original_name,
            "mimetype": f.mimetype,
            "size": f.size,
            "sha256": f.sha256,
            "created_at": now,
        }
        for f in files
    ]
    conn = db.connection()  # BEGIN IMMEDIATE: from here on every other submission waits
    number = allocate_number(conn, data.kind, now)
    row["number"] = number
    row["code_hash"] = hash_code(number, code)
    message_id = conn.execute(_INSERT_MESSAGE, row).scalar_one()
    after = {"number": number, "kind": data.kind, "status": row["status"]}
    conn.execute(_INSERT_AUDIT, {**entry, "message_id": message_id, "after": after})
    for attachment in attachments:
        conn.execute(_INSERT_ATTACHMENT, {**attachment, "message_id": message_id})
    return Receipt(number, code)


def store_upload(stream: IO[bytes], filename: str, folder: Path) -> StoredFile:
    """Write an upload under ``folder`` with a random name and fsync it, before any transaction.

    The caller has checked type and size with the form.  If the submission then
    fails before its commit, the caller deletes the file; a crash, or a commit
    whose outcome is unknown, leaves at worst an unreferenced file with a random
    name, never a row without its file.
    """
    data = stream.read()
    kind = security.sniff(data[:16])
    if kind is None:  # checked by the form; a second check costs nothing
        raise ValueError("unsupported attachment type")
    mimetype, ext = kind
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (secrets.token_hex(16) + ext)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except OSError:
        path.unlink(missing_ok=True)  # a disk that filled up mid-write leaves no half file behind
        raise
    return StoredFile(
        path=path,
        original_name=Path(filename or "附件").name[:255],
        mimetype=mimetype,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


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


def available_actions(message: Message, user: User) -> list[str]:
    """The workflow actions ``user`` may take on ``message`` now (the forms the detail page shows)."""
    if not user.can_handle(message):
        return []
    return [name for name, (sources, _) in TRANSITIONS.items() if message.status in sources]


def act(
    db: Session,
    message: Message,
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
    if not user.can_handle(message):
        raise WorkflowError("您无权办理此留言")
    sources, target = TRANSITIONS[action]
    if message.status not in sources:
        raise WorkflowError(f"当前状态为「{message.status}」，不能{_label(action)}")
    before = audit.snapshot(message, AUDITED)
    now = utcnow()
    note: str | None = None
    if action == "reject":
        if not reason.strip():
            raise WorkflowError("不予受理须说明理由")
        message.reject_reason = note = reason.strip()
        message.closed_at = now
    elif action == "transfer":
        if not department or department == message.department_id:
            raise WorkflowError("请选择另一个承办单位")
        message.department_id = department
        message.accepted_at = None
        note = reason.strip() or None
    elif action == "accept":
        message.accepted_at = now
    elif action == "draft_reply":
        if not reply.strip():
            raise WorkflowError("答复内容不能为空")
        message.reply = reply.strip()
        message.reply_drafted_at = now
        message.reply_by = user
    elif action == "publish_reply":
        if not (message.reply or "").strip():
            raise WorkflowError("请先起草答复")
        message.answered_at = now
    elif action == "close":
        message.closed_at = now
    elif action == "set_public":
        message.public = public
        message.published_at = now if public else None
    if target is not None:
        message.status = target
    audit.record(
        db,
        action,
        user,
        message=message,
        before=before,
        after=audit.snapshot(message, AUDITED),
        note=note,
    )


def _label(action: str) -> str:
    from .models import ACTIONS

    return ACTIONS.get(action, action)


def rate_reply(db: Session, message: Message, satisfied: bool, comment: str) -> None:
    """The citizen's verdict on a published reply, once."""
    if message.status not in (S_ANSWERED, S_CLOSED) or message.answered_at is None:
        raise WorkflowError("答复发布后才能评价")
    if message.citizen_rated_at is not None:
        raise WorkflowError("您已评价过此答复")
    before = audit.snapshot(message, ("citizen_satisfied",))
    message.citizen_satisfied = satisfied
    message.citizen_comment = comment.strip() or None
    message.citizen_rated_at = utcnow()
    audit.record(
        db,
        "citizen_rating",
        audit.CITIZEN,
        message=message,
        before=before,
        after=audit.snapshot(message, ("citizen_satisfied", "citizen_comment")),
        note="满意" if satisfied else "不满意",
    )


def rating_choices() -> list[tuple[int, str]]:
    return list(RATINGS.items())
