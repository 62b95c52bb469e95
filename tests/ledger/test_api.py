"""``POST /api/cases/events``: bearer tokens, department bindings, body limits and hostile bodies.

The app is the server-mode app (CSRF on, rate limiter on) over the ledger's
test tree, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_helpers import event
from sqlalchemy import select

from sunshine.feedback import db
from sunshine.ledger.models import Event
from sunshine.ledger.tokens import add_token, revoke_token

URL = "/api/cases/events"
GOOD = [
    event("a1", "C-1", "申请", "2024-10-08 09:00", item="canyin-fuwu-xuke"),
    event("a2", "C-1", "受理", "2024-10-08 09:10", item="canyin-fuwu-xuke"),
]


def body(*events: dict[str, Any] | str) -> bytes:
    return b"".join(
        (e if isinstance(e, str) else json.dumps(e, ensure_ascii=False)).encode() + b"\n" for e in events
    )


@pytest.fixture
def api(make_app: Callable[..., Flask], ledger_content: Path, db_url: str | None) -> Flask:
    config: dict[str, Any] = {"FEEDBACK_ENABLED": True, "CONTENT_DIR": str(ledger_content)}
    if db_url:
        config["DATABASE_URL"] = db_url
    app = make_app(**config)
    yield app
    db.get_engine(app).dispose()


def token(app: Flask, name: str = "system", department: str | None = None, center: str | None = None) -> str:
    with db.session_scope(app) as session:
        return add_token(session, name, center or ("city" if department else None), department)


def post(client: FlaskClient, data: bytes, secret: str | None, **headers: str) -> Any:
    if secret is not None:
        headers.setdefault("Authorization", f"Bearer {secret}")
    return client.post(URL, data=data, headers={"Content-Type": "application/x-ndjson", **headers})


def test_a_valid_token_stores_the_events_and_answers_the_contract(api: Flask) -> None:
    secret = token(api)
    client = api.test_client()
    response = post(client, body(*GOOD, "not json"), secret)
    assert response.status_code == 200
    assert response.get_json() == {
        "accepted": 2,
        "duplicates": 0,
        "rejected": [{"line": 3, "error": "不是 JSON (not JSON) (one JSON object per line)"}],
    }
    again = post(client, body(*GOOD), secret).get_json()
    assert (again["accepted"], again["duplicates"]) == (0, 2)
    with db.get_engine(api).connect() as conn:
        assert set(conn.execute(select(Event.source)).scalars()) == {"system"}


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "bearer sl_unknown",
        "Bearer sl_" + "x" * 500,
        "Token x",
    ],
)
def test_a_missing_or_unknown_token_is_401(api: Flask, authorization: str | None) -> None:
    token(api)
    headers = {} if authorization is None else {"Authorization": authorization}
    response = api.test_client().post(URL, data=body(*GOOD), headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "error" in response.get_json()
    with db.get_engine(api).connect() as conn:
        assert conn.execute(select(Event.id)).first() is None


def test_a_revoked_token_and_a_token_bound_to_a_vanished_department_are_403(api: Flask) -> None:
    revoked = token(api, "old")
    with db.session_scope(api) as session:
        revoke_token(session, "old")
    assert post(api.test_client(), body(*GOOD), revoked).status_code == 403
    orphan = token(api, "orphan", department="no-such-department")
    response = post(api.test_client(), body(*GOOD), orphan)
    assert response.status_code == 403 and "no-such-department" in response.get_json()["error"]


def test_a_token_bound_to_a_department_sends_only_its_cases_line_by_line(api: Flask) -> None:
    food = token(api, "shiyaojian-system", department="shiyaojian")
    other = token(api, "jiaotong-system", department="jiaotong")
    client = api.test_client()
    response = post(
        client,
        body(
            *GOOD,  # canyin-fuwu-xuke: shiyaojian's item
            event("a3", "C-1", "补正告知", "2024-10-09 09:00"),  # no item: the case's item is shiyaojian's
            event("b1", "C-2", "受理", "2024-10-08 09:10", item="huji-zhengming"),  # zwzx's item
            event("b2", "C-3", "办结", "2024-10-08 09:10", decision="准予"),  # a case nobody knows yet
        ),
        food,
    )
    answer = response.get_json()
    assert response.status_code == 200 and answer["accepted"] == 3
    errors = {r["line"]: r["error"] for r in answer["rejected"]}
    assert sorted(errors) == [4, 5]
    assert "属于部门 zwzx" in errors[4] and "shiyaojian" in errors[4]
    assert "事项" in errors[5]
    # Another department's token may not touch these cases, not even to learn that an id is stored.
    answer = post(client, body(GOOD[0], event("a9", "C-1", "补正完成", "2024-10-10 09:00")), other).get_json()
    assert (
        answer["accepted"] == 0
        and answer["duplicates"] == 0
        and [r["line"] for r in answer["rejected"]] == [1, 2]
    )


def test_a_body_over_the_limit_is_413_before_it_is_read(
    make_app: Callable[..., Flask], ledger_content: Path
) -> None:
    app = make_app(FEEDBACK_ENABLED=True, CONTENT_DIR=str(ledger_content), LEDGER_API_MAX_BYTES=1000)
    secret = token(app)
    client = app.test_client()
    big = body(*[event(f"x{i}", "C-9", "补正告知", "2024-10-09 09:00") for i in range(20)])
    assert len(big) > 1000
    response = post(client, big, secret)
    assert response.status_code == 413 and "1000" in response.get_json()["error"]
    # A 2 GB Content-Length is refused from the header alone.
    response = client.post(
        URL,
        data=b"{}",
        headers={"Authorization": f"Bearer {secret}"},
        environ_overrides={"CONTENT_LENGTH": str(2 * 1024**3)},
    )
    assert response.status_code == 413
    # A body without a length (chunked, as a WSGI server hands it over) is read only up to the limit.
    chunked = client.post(
        URL,
        input_stream=io.BytesIO(big),
        headers={"Authorization": f"Bearer {secret}", "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert chunked.status_code == 413
    assert post(client, body(*GOOD), secret).status_code == 200
    db.get_engine(app).dispose()


HOSTILE = [
    b"",
    b"\n\n\n",
    b"\x00" * 100,
    b'{"id": "\x00"}',
    b"\xff\xfe\xfd\n\xc3\x28",
    b"[" * 50_000,
    b"{" * 30_000 + b"}" * 30_000,
    b'{"id": 1' + b"0" * 100_000 + b"}",
    b'{"id": 1e999999, "case": -1e999999}',
    b'{"id": NaN, "case": Infinity}',
    b'{"id": "x", "case": "C", "type": "\\ud800", "at": "\\u0000"}',
    b'{"id": ["x"], "case": {"a": 1}, "type": true, "at": null, "item": 3.5}',
    b'{"id": "x", "case": "C", "type": "\xe5\x8f\x97\xe7\x90\x86", "at": "9999-12-31T23:59:59+23:59"}',
    b'{"id": "x", "case": "C", "type": "\xe5\x8f\x97\xe7\x90\x86", "at": "0001-01-01T00:00:00-23:59"}',
    b"\r\n" * 1000,
    "中文 non-JSON 行\n".encode() * 100,
]


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_bodies_get_answers_never_a_server_error(api: Flask, hostile: bytes) -> None:
    secret = token(api)
    response = post(api.test_client(), hostile, secret)
    assert response.status_code == 200, response.data[:300]
    answer = response.get_json()
    assert answer["accepted"] == 0 and all(r["error"] for r in answer["rejected"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_arbitrary_bytes_never_give_a_server_error(
    make_app: Callable[..., Flask], ledger_content: Path, data: bytes
) -> None:
    app = _shared_app(make_app, ledger_content)
    response = post(app.test_client(), data, app.config["TEST_TOKEN"])
    assert response.status_code == 200


_APPS: dict[str, Flask] = {}


def _shared_app(make_app: Callable[..., Flask], ledger_content: Path) -> Flask:
    """One app for all of hypothesis's examples of a test (building one per example is slow)."""
    key = str(ledger_content)
    if key not in _APPS:
        _APPS.clear()
        app = make_app(FEEDBACK_ENABLED=True, CONTENT_DIR=key, LEDGER_API_LIMIT="10000 per minute")
        app.config["TEST_TOKEN"] = token(app)
        _APPS[key] = app
    return _APPS[key]


def test_the_api_needs_no_csrf_token_and_is_rate_limited(
    make_app: Callable[..., Flask], ledger_content: Path
) -> None:
    app = make_app(FEEDBACK_ENABLED=True, CONTENT_DIR=str(ledger_content), LEDGER_API_LIMIT="2 per minute")
    assert app.config.get("WTF_CSRF_ENABLED", True)
    secret = token(app)
    client = app.test_client()
    assert [post(client, body(*GOOD), secret).status_code for _ in range(3)] == [200, 200, 429]
    db.get_engine(app).dispose()


def test_the_portal_gets_each_centers_on_time_rate(api: Flask) -> None:
    secret = token(api)
    post(
        api.test_client(),
        body(
            *GOOD,
            event("a3", "C-1", "办结", "2024-10-09 09:00", decision="准予"),
            event("c1", "C-2", "受理", "2024-09-27 09:00", item="huji-zhengming"),
            event("c2", "C-2", "办结", "2024-10-08 09:00", decision="准予"),
        ),
        secret,
    )
    from sunshine.store import get_city
    from sunshine.web.city import ON_TIME_KEY

    with api.app_context():
        rates = api.extensions[ON_TIME_KEY](get_city())
    assert rates == {"city": pytest.approx(50.0)}
