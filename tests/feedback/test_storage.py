"""Storage: migrations, durability settings, UTC round trips, and numbers unique under concurrent submissions.

Runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable

import pytest
from feedback_helpers import SCHEMA_HEAD, form_values, soup
from flask import Flask
from sqlalchemy import func, inspect, select, text

from sunshine.feedback import db
from sunshine.feedback.models import Counter, Message, utcnow

THREADS = 8
PER_THREAD = 6


def test_migrations_create_the_schema_once(
    make_feedback_app: Callable[..., Flask], db_url: str | None
) -> None:
    app = make_feedback_app(DATABASE_URL=db_url)
    engine = db.get_engine(app)
    assert db.current_revision(engine) == SCHEMA_HEAD
    db.upgrade(engine)  # again: nothing to do, nothing broken
    tables = set(inspect(engine).get_table_names())
    assert {
        "feedback_message",
        "feedback_user",
        "feedback_audit",
        "feedback_counter",
        "alembic_version",
    } <= tables


def test_sqlite_is_durable(feedback_app: Flask) -> None:
    engine = db.get_engine(feedback_app)
    assert engine.url.database.startswith(feedback_app.instance_path)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def _bare_message(number: str, created_at: dt.datetime) -> Message:
    """The least a message row needs, written directly (no workflow), to test how times are stored."""
    return Message(
        number=number,
        code_hash="0" * 64,
        kind="咨询",
        title="t",
        body="b",
        name="n",
        phone="1",
        created_at=created_at,
        status="待受理",
        public=False,
    )


def test_times_come_back_as_aware_utc(make_feedback_app: Callable[..., Flask], db_url: str | None) -> None:
    app = make_feedback_app(DATABASE_URL=db_url)
    moment = dt.datetime(2026, 1, 5, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with db.session_scope(app) as session:
        session.add(_bare_message("ZX-X-1", moment))
    with db.session_scope(app) as session:
        message = session.scalar(select(Message))
        assert message.created_at == moment and message.created_at.tzinfo == dt.UTC
    with pytest.raises(Exception, match="naive"), db.session_scope(app) as session:
        session.add(_bare_message("ZX-X-2", dt.datetime(2026, 1, 5)))


def test_concurrent_submissions_all_stored_with_unique_numbers(
    make_feedback_app: Callable[..., Flask], db_url: str | None
) -> None:
    app = make_feedback_app(DATABASE_URL=db_url, RATELIMIT_ENABLED=False)
    barrier = threading.Barrier(THREADS)
    receipts: list[str] = []
    failures: list[str] = []
    lock = threading.Lock()

    def citizen(n: int) -> None:
        client = app.test_client()
        page = soup(client.get("/feedback/new?kind=投诉").data)
        data = {**form_values(page, "form.feedback-form"), "name": f"市民{n}", "phone": "13800138000"}
        barrier.wait()
        for i in range(PER_THREAD):
            response = client.post(
                "/feedback/new", data={**data, "title": f"投诉 {n}-{i}", "body": "排队太久"}
            )
            with lock:
                if response.status_code == 303:
                    receipts.append(response.headers["Location"].rsplit("/", 1)[-1])
                else:
                    failures.append(f"{response.status_code}: {response.get_data(as_text=True)[:300]}")

    threads = [threading.Thread(target=citizen, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert len(receipts) == THREADS * PER_THREAD == len(set(receipts))
    with db.session_scope(app) as session:
        stored = set(session.scalars(select(Message.number)))
        titles = set(session.scalars(select(Message.title)))
        counter = session.scalar(select(func.max(Counter.value)))
    assert stored == set(receipts)
    assert titles == {f"投诉 {n}-{i}" for n in range(THREADS) for i in range(PER_THREAD)}
    sequences = sorted(int(number.rsplit("-", 1)[1]) for number in stored)
    assert sequences == list(range(1, THREADS * PER_THREAD + 1)) and counter == THREADS * PER_THREAD
    today = utcnow().astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y%m%d")
    assert all(re.fullmatch(rf"TS-{today}-\d{{4}}", number) for number in stored)
