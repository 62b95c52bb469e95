"""Bearer tokens of the systems that send events (``build.py cases token add|list|revoke``).

A token is 32 random bytes shown once (``sl_`` + URL-safe base64); the
database keeps only its SHA-256, so a copy of the database does not let
anyone send events.  A token bound to a department (of a center, in a
city-wide tree) may send only the cases of that department's items.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.feedback.models import utcnow

from .models import Token
from .store import Binding

PREFIX = "sl_"
_NAME = re.compile(r"[\w.\-]{1,64}")


class TokenError(ValueError):
    """A token command that cannot be done (the message says why)."""


@dataclass(frozen=True)
class Sender:
    """Who a valid token belongs to."""

    name: str
    binding: Binding | None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def add_token(session: Session, name: str, center: str | None = None, department: str | None = None) -> str:
    """Create a token called ``name`` and return it (the only time it is ever shown)."""
    if not _NAME.fullmatch(name):
        raise TokenError("名称应为 1–64 个字母、数字、_ . - (a name of letters, digits, _ . -)")
    if session.scalar(select(Token).where(Token.name == name)) is not None:
        raise TokenError(
            f"已有名为 {name} 的令牌 (a token of that name exists; revoke it or pick another name)"
        )
    token = PREFIX + secrets.token_urlsafe(32)
    session.add(
        Token(
            name=name,
            token_hash=digest(token),
            center=center if department else None,
            department_id=department,
        )
    )
    session.flush()
    return token


def list_tokens(session: Session) -> list[Token]:
    return list(session.scalars(select(Token).order_by(Token.name)))


def revoke_token(session: Session, name: str) -> Token:
    token = session.scalar(select(Token).where(Token.name == name))
    if token is None:
        raise TokenError(f"没有名为 {name} 的令牌 (no such token)")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token


def check_token(session: Session, presented: str) -> Token | None:
    """The token row for a presented token (revoked ones included: the caller tells 401 from 403)."""
    if not presented.startswith(PREFIX) or len(presented) > 128:
        return None
    return session.scalar(select(Token).where(Token.token_hash == digest(presented)))


def sender(token: Token, root_center: str) -> Sender:
    binding = Binding(token.center or root_center, token.department_id) if token.department_id else None
    return Sender(token.name, binding)
