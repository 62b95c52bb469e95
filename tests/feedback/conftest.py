"""Fixtures for the feedback server: an app over a small content tree, forms filled like a browser does.

Storage tests take ``db_url`` (tests/conftest.py): SQLite always, and PostgreSQL too when
TEST_DATABASE_URL is set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sunshine.feedback import db


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
