"""The audit log: every action on a message or an account, with who, when and the fields before and after.

The citizen's timeline of a message is read from here too (:func:`timeline`), so
what a citizen sees and what a supervisor audits can never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from flask import has_request_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..inputs import client_address
from .models import TIMELINE_ACTIONS, AuditEntry, Message, User, utcnow

CITIZEN = "群众"
COMMAND_LINE = "命令行"


def snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The named attributes of ``obj`` as JSON-safe values (dates as ISO strings)."""
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        out[name] = value.isoformat() if isinstance(value, dt.date | dt.datetime) else value
    return out


def record(
    session: Session,
    action: str,
    actor: User | str,
    *,
    message: Message | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str | None = None,
    target: str | None = None,
) -> AuditEntry:
    """Add an audit entry to the session's transaction (it commits or rolls back with the action)."""
    entry = AuditEntry(
        user=actor if isinstance(actor, User) else None,
        message=message,
        **fields(action, actor, before=before, after=after, note=note, target=target),
    )
    session.add(entry)
    return entry


def fields(
    action: str,
    actor: User | str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str | None = None,
    target: str | None = None,
) -> dict[str, Any]:
    """An audit entry's own columns (not its links to a user or a message), stamped now.

    :func:`record` adds them to the ORM session; the citizen's submission, which
    writes its rows with prepared statements, inserts them as they are.
    """
    return {
        "at": utcnow(),
        "action": action,
        "actor": actor.username if isinstance(actor, User) else actor,
        "before": before,
        "after": after,
        "note": note,
        "target": target,
        "ip": client_address() if has_request_context() else None,
    }


def timeline(session: Session, message: Message, *, public: bool = True) -> list[AuditEntry]:
    """The message's history, oldest first; ``public`` keeps only what the citizen may see."""
    query = (
        select(AuditEntry).where(AuditEntry.message_id == message.id).order_by(AuditEntry.at, AuditEntry.id)
    )
    if public:
        query = query.where(AuditEntry.action.in_(TIMELINE_ACTIONS))
    return list(session.scalars(query))
