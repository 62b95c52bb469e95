"""Staff accounts and sign-in: argon2 password hashes, server-side sessions, a per-account limit on
failed sign-ins, roles, and the guard on every /admin/ URL.

The guard is an app-wide ``before_request`` on the ``/admin/`` path prefix, not
a per-blueprint decorator, so a view added later by any blueprint cannot be
left open by forgetting a decorator.

**Sessions** live in the database (:class:`~.models.StaffSession`): the cookie
carries only a random token, and every staff request looks its row up, so
logging out, changing a password or disabling an account ends every copy of
the cookie at once.  A session also ends after ``FEEDBACK_SESSION_IDLE_SECONDS``
without a request and ``FEEDBACK_SESSION_MAX_SECONDS`` after sign-in.

**Failed sign-ins** are counted per account name in the database
(:class:`~.models.LoginThrottle`), so the limit holds across every worker and
server, whatever address the attempts come from.  After
``FEEDBACK_LOGIN_FREE_FAILURES`` failures each further one makes the next
attempt wait ``FEEDBACK_LOGIN_DELAY_SECONDS``, doubled each time up to
``FEEDBACK_LOGIN_DELAY_MAX_SECONDS``.  An attempt within the wait is refused at
once (429 with ``Retry-After``), never by putting a worker to sleep, and
without checking the password; the first attempt after the wait is checked
as usual.  A browser that has signed in to an account before holds a signed
*device cookie* for it (OWASP's answer to lock-out by guessing), and its
attempts are counted apart from everyone else's: guesses from elsewhere,
however well timed, cannot keep an official waiting at their own desk, and
a stolen device cookie is slowed down by its own count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, Response, abort, current_app, g, redirect, request, session, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..inputs import client_address
from . import audit
from .db import get_session
from .models import ROLE_HANDLER, ROLES, LoginThrottle, StaffSession, User, utcnow

_hasher = PasswordHasher()
#: Verified against when the username is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("sunshine-dummy-password")
#: Endpoints under /admin/ open to anonymous visitors.
PUBLIC_ENDPOINTS = frozenset({"admin.login"})
MIN_PASSWORD = 10
#: The key of the session token in Flask's (signed) cookie.
SESSION_KEY = "staff_session"
#: A session's last-seen time is written at most this often (each write takes SQLite's write lock).
TOUCH_EVERY = dt.timedelta(seconds=60)
#: The cookie of a browser that signed in to an account before (see the module's docstring).
DEVICE_COOKIE = "sunshine_staff_device"
DEVICE_MAX_AGE = 180 * 24 * 60 * 60
#: One sign-in attempt in this many also deletes the counts of names that have long stopped failing.
_PURGE_EVERY = 100
_attempts = itertools.count(1)

F = TypeVar("F", bound=Callable[..., Any])


class AccountError(ValueError):
    """A refused account change, with a message for the person at the command line."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 个字符")
    return _hasher.hash(password)


def authenticate(db: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, else None (same cost either way)."""
    user = db.scalar(select(User).where(User.username == username))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _seconds(key: str) -> dt.timedelta:
    return dt.timedelta(seconds=float(current_app.config[key]))


def login(db: Session, user: User) -> None:
    """Start a fresh server-side session for ``user`` (in the caller's transaction) and set its cookie.

    The cookie is cleared first, so a session id planted before sign-in is
    never carried over (fixation).  The user's ended sessions are deleted.
    """
    now = utcnow()
    db.execute(
        delete(StaffSession).where(
            StaffSession.user_id == user.id,
            (StaffSession.expires_at <= now) | StaffSession.revoked_at.is_not(None),
        )
    )
    token = secrets.token_urlsafe(32)
    db.add(
        StaffSession(
            id=_digest(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + _seconds("FEEDBACK_SESSION_MAX_SECONDS"),
            ip=client_address(),
        )
    )
    session.clear()
    session[SESSION_KEY] = token  # a browser-session cookie (not permanent): it goes when the browser closes
    g.pop("staff_user", None)


def logout(db: Session) -> None:
    """Revoke this browser's session (in the caller's transaction) and clear the cookie."""
    token = session.get(SESSION_KEY)
    if isinstance(token, str):
        db.execute(
            update(StaffSession)
            .where(StaffSession.id == _digest(token), StaffSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    session.clear()
    g.pop("staff_user", None)


def revoke_sessions(db: Session, user: User) -> int:
    """End every session of ``user`` (password changed, account disabled); returns how many were open."""
    result = db.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _live_session(db: Session, token: str) -> StaffSession | None:
    """The row of ``token`` unless revoked, expired, idle too long or its user disabled."""
    row = db.get(StaffSession, _digest(token))
    now = utcnow()
    if (
        row is None
        or row.revoked_at is not None
        or row.expires_at <= now
        or row.last_seen_at + _seconds("FEEDBACK_SESSION_IDLE_SECONDS") <= now
        or not row.user.active
    ):
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        db.commit()
    return row


def current_user() -> User | None:
    """The signed-in, still active staff user of this request (None once the session has ended)."""
    if "staff_user" not in g:
        user = None
        token = session.get(SESSION_KEY)
        if isinstance(token, str):
            row = _live_session(get_session(), token)
            if row is None:
                session.pop(SESSION_KEY, None)
            else:
                user = row.user
        g.staff_user = user
    return g.staff_user


# -- failed sign-ins per account -------------------------------------------------


def throttle_key(username: str) -> str:
    """The account name as counted: trimmed, case-folded, hashed."""
    return hashlib.sha256(username.strip().casefold().encode()).hexdigest()


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="staff-device")


def attempt_key(username: str) -> str:
    """What a sign-in attempt for ``username`` is counted against.

    This browser's own count when it holds a valid device cookie for that
    account, else the account's count, shared with every other browser.
    """
    account = throttle_key(username)
    try:
        device = _devices().loads(request.cookies.get(DEVICE_COOKIE, ""), max_age=DEVICE_MAX_AGE)
    except BadSignature:
        return account
    if (
        not isinstance(device, dict)
        or device.get("account") != account
        or not isinstance(device.get("id"), str)
    ):
        return account
    return hashlib.sha256(f"device:{device['id']}:{account}".encode()).hexdigest()


def remember_device(response: Response, username: str) -> None:
    """After a good sign-in: give the browser a fresh device cookie for the account."""
    token = _devices().dumps({"account": throttle_key(username), "id": secrets.token_hex(16)})
    response.set_cookie(
        DEVICE_COOKIE,
        token,
        max_age=DEVICE_MAX_AGE,
        path="/admin/",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        httponly=True,
        samesite="Lax",
    )


def login_delay(failures: int, free: int, base: float, cap: float) -> float:
    """Seconds the next attempt must wait after ``failures`` failures: 0 for the first ``free``, then
    ``base``, doubling, at most ``cap``."""
    if failures <= free:
        return 0.0
    return min(cap, base * 2.0 ** min(failures - free - 1, 64))


def _dialect_insert(db: Session) -> Any:
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def claim_attempt(db: Session, key: str) -> float | None:
    """Take one sign-in attempt counted against ``key`` (:func:`attempt_key`), or the seconds to wait.

    The attempt is counted as a failure before the password is checked, and
    committed at once: concurrent attempts (other workers, other servers)
    see it and wait their turn.  :func:`clear_failures` forgets it when the
    password was right.
    """
    config = current_app.config
    now = utcnow()
    insert = _dialect_insert(db)
    db.execute(
        insert(LoginThrottle)
        .values(key=key, failures=0, last_failure_at=now, blocked_until=now)
        .on_conflict_do_nothing()
    )
    row = db.scalars(
        select(LoginThrottle)
        .where(LoginThrottle.key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if row.blocked_until > now:
        wait = (row.blocked_until - now).total_seconds()
        db.commit()
        return wait
    forget_before = now - _seconds("FEEDBACK_LOGIN_FORGET_SECONDS")
    failures = (0 if row.last_failure_at < forget_before else row.failures) + 1
    row.failures = failures
    row.last_failure_at = now
    row.blocked_until = now + dt.timedelta(
        seconds=login_delay(
            failures,
            int(config["FEEDBACK_LOGIN_FREE_FAILURES"]),
            float(config["FEEDBACK_LOGIN_DELAY_SECONDS"]),
            float(config["FEEDBACK_LOGIN_DELAY_MAX_SECONDS"]),
        )
    )
    if next(_attempts) % _PURGE_EVERY == 0:
        db.execute(
            delete(LoginThrottle).where(
                LoginThrottle.last_failure_at < forget_before, LoginThrottle.blocked_until <= now
            )
        )
    db.commit()
    return None


def clear_failures(db: Session, key: str) -> None:
    """A successful sign-in: the count it was made against starts again (in the caller's transaction)."""
    db.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


def roles_required(*roles: str) -> Callable[[F], F]:
    """Refuse (403) signed-in users whose role is not one of ``roles``."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None or user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def init_app(app: Flask) -> None:
    """Guard every /admin/ URL and give templates ``staff_user``."""

    @app.before_request
    def _guard() -> Any:
        if not request.path.startswith("/admin/") or request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if current_user() is None:
            if request.method == "GET":
                return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
            abort(401)
        return None

    @app.context_processor
    def _inject() -> dict[str, Any]:
        return {
            "staff_user": current_user() if request.path.startswith("/admin/") else None,
            "has_endpoint": lambda endpoint: endpoint in app.view_functions,
        }


# -- account management (the command line) -------------------------------------


def add_user(db: Session, username: str, password: str, role: str, department: str | None) -> User:
    """Create an account; 部门办理员 need a department, others must not have one."""
    username = username.strip()
    if not username or len(username) > 64:
        raise AccountError("用户名不能为空，且不超过 64 个字符")
    if role not in ROLES:
        raise AccountError(f"角色必须是 {' / '.join(ROLES)} 之一")
    if role == ROLE_HANDLER and not department:
        raise AccountError("部门办理员必须指定 --department")
    if db.scalar(select(User).where(User.username == username)) is not None:
        raise AccountError(f"用户 {username} 已存在")
    user = User(username=username, password_hash=hash_password(password), role=role, department_id=department)
    db.add(user)
    db.flush()
    audit.record(
        db,
        "user_add",
        audit.COMMAND_LINE,
        target=f"user:{username}",
        after=audit.snapshot(user, ("username", "role", "department_id", "active")),
    )
    return user


def _existing(db: Session, username: str) -> User:
    user = db.scalar(select(User).where(User.username == username))
    if user is None:
        raise AccountError(f"没有用户 {username}")
    return user


def set_password(db: Session, username: str, password: str) -> User:
    """A new password; every session of the account ends (whoever knew the old one is signed out)."""
    user = _existing(db, username)
    user.password_hash = hash_password(password)
    revoke_sessions(db, user)
    audit.record(db, "user_passwd", audit.COMMAND_LINE, target=f"user:{username}")
    return user


def disable_user(db: Session, username: str) -> User:
    """Disable an account and end its sessions."""
    user = _existing(db, username)
    before = audit.snapshot(user, ("active",))
    user.active = False
    revoke_sessions(db, user)
    audit.record(
        db,
        "user_disable",
        audit.COMMAND_LINE,
        target=f"user:{username}",
        before=before,
        after=audit.snapshot(user, ("active",)),
    )
    return user


def touch_login(user: User) -> None:
    user.last_login_at = utcnow()
