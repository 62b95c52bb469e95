"""Fixtures and helpers shared by the feedback-ops tests (supervision, publication, statistics).

Loaded with ``pytest_plugins = ["test_ops_support"]``; it builds on the
feedback fixtures of ``conftest.py`` (``make_feedback_app``, ``db_url`` — SQLite,
and PostgreSQL when TEST_DATABASE_URL is set) over the small content tree,
whose departments are ``shiyaojian`` (市食药监局) and ``zwzx``.  Messages are
inserted as rows with the exact timestamps a test needs, never by sleeping.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from sunshine.feedback import db
from sunshine.feedback.models import KIND_PREFIX, TIMEZONE, Message, utcnow

_sequence = itertools.count(1)


def local(*args: int) -> dt.datetime:
    """An aware moment on the center's wall clock (Asia/Shanghai)."""
    return dt.datetime(*args, tzinfo=TIMEZONE)  # type: ignore[misc]


def add_message(session: Any, **fields: Any) -> Message:
    """Insert one message with the given fields; the rest are defaults (a 咨询 to 市食药监局, 待受理)."""
    fields.setdefault("kind", "咨询")
    fields.setdefault("created_at", utcnow())
    number = fields.pop("number", None)
    if number is None:
        number = f"{KIND_PREFIX[fields['kind']]}-{fields['created_at']:%Y%m%d}-{next(_sequence):04d}"
    fields.setdefault("title", "关于餐饮许可办理的咨询")
    fields.setdefault("body", "请问需要带什么材料？")
    fields.setdefault("name", "张三丰")
    fields.setdefault("phone", "13812345678")
    fields.setdefault("status", "待受理")
    fields.setdefault("department_id", "shiyaojian")
    message = Message(number=number, code_hash=hashlib.sha256(number.encode()).hexdigest(), **fields)
    session.add(message)
    session.flush()
    return message


def text_of(node: Any) -> str:
    """A node's text with whitespace runs collapsed."""
    return re.sub(r"\s+", " ", node.get_text(" ")).strip()


@pytest.fixture
def ops_app(make_feedback_app: Callable[..., Flask], db_url: str | None) -> Flask:
    """The server-mode app on the parametrized database (SQLite, and PostgreSQL when configured)."""
    return make_feedback_app(DATABASE_URL=db_url, FEEDBACK_SECURE_COOKIES=False)


@pytest.fixture
def ops_session(ops_app: Flask) -> Iterator[Any]:
    """A session on the app's database; the test commits when pages should see its rows."""
    with ops_app.app_context():
        session = db.get_session()
        yield session
        session.close()
