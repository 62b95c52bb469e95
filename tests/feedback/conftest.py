"""Fixtures for the feedback server: an app over a small content tree, forms filled like a browser does.

Storage tests take ``db_url``: SQLite always, and PostgreSQL too when
TEST_DATABASE_URL is set (each test then gets a schema of its own, dropped after).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from sunshine.feedback import db

PG_URL = os.environ.get("TEST_DATABASE_URL")
DB_PARAMS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set")],
    ),
]


@pytest.fixture(params=DB_PARAMS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | None]:
    """None (the default SQLite file in the instance folder) or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield None
        return
    assert PG_URL
    schema = f"t_{secrets.token_hex(6)}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def make_feedback_app(make_app: Callable[..., Flask], mini_content: Path) -> Iterator[Callable[..., Flask]]:
    """Server-mode apps over the small content tree; CSRF stays on, the minimum fill time is 0."""
    apps: list[Flask] = []

    def factory(**config: Any) -> Flask:
        config.setdefault("FEEDBACK_ENABLED", True)
        config.setdefault("CONTENT_DIR", str(mini_content))
        config.setdefault("FEEDBACK_MIN_FILL_SECONDS", 0)
        if config.get("DATABASE_URL") is None:
            config.pop("DATABASE_URL", None)
        app = make_app(**config)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        db.get_engine(app).dispose()


@pytest.fixture
def feedback_app(make_feedback_app: Callable[..., Flask]) -> Flask:
    return make_feedback_app()


@pytest.fixture
def feedback_client(feedback_app: Flask) -> FlaskClient:
    return feedback_app.test_client()
