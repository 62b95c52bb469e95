"""Public-site fixtures: an app over the small complete content tree, and an HTML parser."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient


@pytest.fixture
def mini_app(make_app: Callable[..., Flask], mini_content: Path) -> Flask:
    return make_app(CONTENT_DIR=str(mini_content))


@pytest.fixture
def get_page(mini_app: Flask) -> Callable[..., BeautifulSoup]:
    """GET a path from the mini site and parse it; fails the test unless the status is the expected one."""
    client: FlaskClient = mini_app.test_client()

    def fetch(path: str, status: int = 200) -> BeautifulSoup:
        response = client.get(path)
        assert response.status_code == status, (path, response.status_code)
        return BeautifulSoup(response.get_data(as_text=True), "lxml")

    return fetch


def _text_of(node) -> str:  # type: ignore[no-untyped-def]
    return " ".join(node.get_text().split())


@pytest.fixture
def text_of() -> Callable[..., str]:
    """The visible text of a parsed node with whitespace collapsed."""
    return _text_of
