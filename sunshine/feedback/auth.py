"""Staff accounts and sign-in: argon2 password hashes, roles, and the guard on every /admin/ URL.

The guard is an app-wide ``before_request`` on the ``/admin/`` path prefix, not
a per-blueprint decorator, so a view added later by any blueprint cannot be
left open by forgetting a decorator.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, abort, g, redirect, request, session, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .db import get_session
from .models import ROLE_HANDLER, ROLES, User, utcnow

_hasher = PasswordHasher()
#: Verified against when the username is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("sunshine-dummy-password")
#: Endpoints under /admin/ open to anonymous visitors.
PUBLIC_ENDPOINTS = frozenset({"admin.login"})
MIN_PASSWORD = 10

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


def login(user: User) -> None:
    """Start a fresh session for ``user`` (a new session defeats fixation)."""
    session.clear()
    session["staff_id"] = user.id
    session.permanent = False


def logout() -> None:
    session.clear()


def current_user() -> User | None:
    """The signed-in, still active staff user of this request."""
    if "staff_user" not in g:
        user = None
        staff_id = session.get("staff_id")
        if staff_id is not None:
            user = get_session().get(User, staff_id)
            if user is not None and not user.active:
                user = None
        g.staff_user = user
    return g.staff_user


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
    user = _existing(db, username)
    user.password_hash = hash_password(password)
    audit.record(db, "user_passwd", audit.COMMAND_LINE, target=f"user:{username}")
    return user


def disable_user(db: Session, username: str) -> User:
    user = _existing(db, username)
    before = audit.snapshot(user, ("active",))
    user.active = False
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
