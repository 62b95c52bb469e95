"""Server-mode protections: secret key, cookies, headers, CSRF, rate limits, anti-bot checks, uploads.

Everything here applies to every response and request of an app running the
feedback server, not just the feedback pages.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from itsdangerous import BadSignature, URLSafeSerializer

from . import ratelimit

# img-src adds data: for the theme's inline SVG favicon (base.html); images cannot run script.
CSP = (
    "default-src 'self'; script-src 'self'; img-src 'self' data:; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

DEFAULTS: dict[str, Any] = {
    # Seconds a person needs at least to fill the form; quicker posts are refused as bots (tests: 0).
    "FEEDBACK_MIN_FILL_SECONDS": 3,
    "FEEDBACK_SUBMIT_LIMIT": "5 per minute;30 per hour",
    "FEEDBACK_TRACK_LIMIT": "20 per minute",
    "FEEDBACK_LOGIN_LIMIT": "10 per minute;50 per hour",
    # Staff sessions (auth.py): signed out after 30 minutes without a request, and 10 hours after sign-in.
    "FEEDBACK_SESSION_IDLE_SECONDS": 30 * 60,
    "FEEDBACK_SESSION_MAX_SECONDS": 10 * 60 * 60,
    # Failed sign-ins per account (auth.py): 3 free, then 1 s, 2 s, 4 s … at most 5 minutes between
    # attempts; an account's count is forgotten a day after its last failure, or at a good sign-in.
    "FEEDBACK_LOGIN_FREE_FAILURES": 3,
    "FEEDBACK_LOGIN_DELAY_SECONDS": 1,
    "FEEDBACK_LOGIN_DELAY_MAX_SECONDS": 300,
    "FEEDBACK_LOGIN_FORGET_SECONDS": 24 * 60 * 60,
    # None: counters in the instance folder, shared by all workers (ratelimit.py); redis:// for several hosts.
    "RATELIMIT_STORAGE_URI": None,
    # A broken counter store must not turn a citizen away: count in memory meanwhile, and log it.
    "RATELIMIT_SWALLOW_ERRORS": True,
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    # None: Secure cookies unless debugging or testing.  Set false only for plain-HTTP test rigs.
    "FEEDBACK_SECURE_COOKIES": None,
    # A long form written slowly must not expire: the token lives as long as the session.
    "WTF_CSRF_TIME_LIMIT": None,
    "FEEDBACK_ATTACHMENT_MAX_BYTES": 5 * 1024 * 1024,
}

#: Accepted attachments, recognized by their first bytes (never by name or declared type).
MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
)

_LIMITER = "sunshine.feedback.limiter"


def init_app(app: Flask) -> None:
    """Secret key, cookie flags, CSRF, rate limiter and the security headers."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    secure = app.config["FEEDBACK_SECURE_COOKIES"]
    if secure is None:
        secure = not (app.debug or app.testing)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=_truthy(secure),
    )
    CSRFProtect(app)
    storage = app.config["RATELIMIT_STORAGE_URI"] or ratelimit.instance_uri(Path(app.instance_path))
    app.extensions[_LIMITER] = Limiter(get_remote_address, app=app, storage_uri=storage)

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.path.startswith("/admin/"):
            response.headers["Cache-Control"] = NO_STORE
        return response

    app.session_interface = PrivateSessionInterface()


#: Neither the browser nor any cache between may keep the page.
NO_STORE = "no-store"


class PrivateSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, and ``Cache-Control: no-store`` on every page that read one.

    A page that read the visitor's session shows something of theirs: a
    citizen's form as they typed it, their receipt, their message's progress,
    a staff page.  Public pages never read it, so published replies,
    statistics and the guides stay cacheable.  This is decided here because
    only here can the session be looked at without marking it read.
    """

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if session.accessed:
            response.headers["Cache-Control"] = NO_STORE
        super().save_session(app, session, response)


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in {"", "0", "false", "no", "off"}
    return bool(value)


def _instance_secret(instance: Path) -> str:
    """The instance folder's persisted random key, created once (atomically: workers may race here)."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        tmp = instance / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)  # fails if another process won the race: then theirs is used
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


def limit(app: Flask, endpoint: str, config_key: str, methods: tuple[str, ...] = ("POST",)) -> None:
    """Rate-limit one registered view per client IP, with the limit string read from config."""
    limiter: Limiter = app.extensions[_LIMITER]
    view = app.view_functions[endpoint]
    app.view_functions[endpoint] = limiter.limit(
        lambda: current_app.config[config_key], methods=list(methods)
    )(view)


# -- anti-bot: minimum fill time ------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="feedback-form-started")


def fill_token(now: Callable[[], float] = time.time) -> str:
    """A signed timestamp put into the form when it is shown."""
    return _serializer().dumps(int(now()))


def fill_time_problem(token: str | None, now: Callable[[], float] = time.time) -> str | None:
    """Why a post must be refused as too fast or forged, or None when the person took long enough."""
    try:
        started = int(_serializer().loads(token or ""))
    except (BadSignature, ValueError, TypeError):
        return "表单已过期，请检查内容后再次提交"
    if now() - started < float(current_app.config["FEEDBACK_MIN_FILL_SECONDS"]):
        return "提交过快，请检查内容后再次提交"
    return None


def sniff(head: bytes) -> tuple[str, str] | None:
    """(mimetype, extension) of an accepted file type recognized from its first bytes, else None."""
    for magic, mimetype, ext in MAGIC:
        if head.startswith(magic):
            return mimetype, ext
    return None
