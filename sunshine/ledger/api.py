"""``POST /api/cases/events``: an approval system or a center sends NDJSON events with a bearer token.

Answers (JSON): 200 with the contract's answer; 401 when the token is
missing, malformed or unknown; 403 when it was revoked or is bound to a
department the content no longer has; 413 when the body is over
``LEDGER_API_MAX_BYTES``; 429 over ``LEDGER_API_LIMIT``; 503 when the
database cannot be written (nothing of the body is then answered for; send it
again).  A line about a case of another department than the token's is
refused on its own line, like any other bad line, and the lines around it are
stored: each line stands alone.

The route is exempt from CSRF (it takes no cookies; the token is the
credential) and reads the body itself, so a hostile body — NUL bytes, invalid
UTF-8, huge numbers, deep nesting, a 2 GB ``Content-Length`` — gets a line
refusal or a 413, never a 500.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from sqlalchemy.exc import SQLAlchemyError

from sunshine.feedback import db, security
from sunshine.store import get_city

from .items import ledger_index
from .store import Importer, split_lines
from .tokens import check_token, sender

bp = Blueprint("ledger_api", __name__, url_prefix="/api/cases")

DEFAULTS: dict[str, Any] = {
    # 6 MB (nginx's client_max_body_size in the README) is about 15,000 events: a big center's day.
    "LEDGER_API_MAX_BYTES": 6 * 1024 * 1024,
    # Per client address; a system sending batches of 1,000 events stays far below it.
    "LEDGER_API_LIMIT": "600 per minute",
}
_CHUNK = 64 * 1024


def _error(status: int, message: str, **headers: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    response.headers.update(headers)
    return response


@bp.post("/events")
def events() -> Response:
    """Store the body's events; answer what was committed."""
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    presented = presented.strip()
    if scheme.lower() != "bearer" or not presented:
        return _error(401, "缺少令牌 (Authorization: Bearer <token> is required)", **_challenge())
    index = ledger_index(get_city())
    try:
        with db.session_scope(current_app) as session:
            token = check_token(session, presented)
            found = None if token is None else (token.revoked_at, sender(token, index.root_id))
    except SQLAlchemyError:
        current_app.logger.exception("ledger: token lookup failed")
        return _error(503, "数据库暂不可用，请稍后重发 (database unavailable; send again later)")
    if found is None:
        return _error(401, "令牌无效 (unknown token)", **_challenge())
    revoked_at, who = found
    if revoked_at is not None:
        return _error(403, "令牌已吊销 (token revoked)")
    binding = who.binding
    if binding is not None:
        center = index.centers.get(binding.center)
        if center is None or binding.department not in center.departments:
            return _error(403, f"令牌绑定的部门 {binding.department} 不存在 (token bound to no department)")

    limit = int(current_app.config["LEDGER_API_MAX_BYTES"])
    if request.content_length is not None and request.content_length > limit:
        return _error(
            413, f"请求体超过 {limit} 字节，请分批发送 (body over {limit} bytes; send smaller batches)"
        )
    request.max_content_length = limit
    body = _read(limit)
    if body is None:
        return _error(
            413, f"请求体超过 {limit} 字节，请分批发送 (body over {limit} bytes; send smaller batches)"
        )

    importer = Importer(db.get_engine(), index, source=who.name, binding=binding, batch_size=10**9)
    try:
        result = importer.run(split_lines([body]))
    except SQLAlchemyError:
        current_app.logger.exception("ledger: import failed")
        return _error(
            503, "数据库暂不可用，本次未保存，请重发 (database unavailable; nothing stored, send again)"
        )
    except Exception as exc:  # the driver's own errors (the importer talks to it directly)
        if type(exc).__module__.split(".")[0] not in ("psycopg", "sqlite3"):
            raise
        current_app.logger.exception("ledger: import failed")
        return _error(
            503, "数据库暂不可用，本次未保存，请重发 (database unavailable; nothing stored, send again)"
        )
    return jsonify(result.to_json())


def _challenge() -> dict[str, str]:
    return {"WWW-Authenticate": 'Bearer realm="cases"'}


def _read(limit: int) -> bytes | None:
    """The whole body, or None once it passes ``limit`` bytes (read as it comes, length or not)."""
    stream = request.stream
    parts: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > limit:
            return None
        parts.append(chunk)


def init_app(app: Flask) -> None:
    """Register the API: exempt from CSRF (token-authenticated), rate-limited per client address."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.register_blueprint(bp)
    csrf = app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(bp)
    security.limit(app, "ledger_api.events", "LEDGER_API_LIMIT")
