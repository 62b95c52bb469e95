"""The published replies and statistics of a static build, in Chromium on a phone: axe finds nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from sunshine.feedback import db
from sunshine.pipeline import build_site

pytest_plugins = ["test_ops_support"]

from staticserver import served  # noqa: E402
from test_ops_publish import publish_messages  # noqa: E402
from test_ops_stats import seed  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_public_feedback_pages_are_accessible_on_a_phone(
    ops_app: Flask,
    mini_content: Path,
    tmp_path: Path,
    page_factory: Callable[..., Any],
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    with db.session_scope(ops_app) as session:
        numbers = publish_messages(session)
        seed(session)
    out = tmp_path / "site"
    url = db.get_engine(ops_app).url.render_as_string(hide_password=False)
    build_site(mini_content, out, feedback_db=url)
    with served(out) as base:
        page = page_factory(width=390, height=800)
        axe = Axe()
        for path in ("/feedback/stats/", "/feedback/replies/", f"/feedback/replies/{numbers['public']}/"):
            page.goto(base + path)
            result = axe.run(page)
            problems = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result.response["violations"]]
            assert problems == [], f"{path}: {problems}"
        page.goto(base + "/feedback/stats/")
        chart = page.locator(".chart-scroll")
        # The chart keeps a legible size: on a phone it scrolls sideways rather than shrinking.
        assert chart.evaluate("el => el.scrollWidth > el.clientWidth")
        assert page.locator(".chart-scroll svg").evaluate("el => el.getBoundingClientRect().width") >= 500
        assert page.console_errors == []
