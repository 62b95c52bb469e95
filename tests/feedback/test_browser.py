"""A citizen in Chromium: the real form over a real server, then the receipt; axe-core on the form."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from sunshine.feedback import db
from sunshine.feedback.models import Message

pytestmark = pytest.mark.browser


@pytest.fixture
def server_url(make_feedback_app: Callable[..., Flask]) -> Iterator[tuple[Flask, str]]:
    """The server-mode app on a free loopback port: real HTTP, so the browser meets CSP and cookies."""
    app = make_feedback_app()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


def serious(page: Any) -> list[tuple[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_complaint_in_chromium(server_url: tuple[Flask, str], page_factory: Callable[..., Any]) -> None:
    app, url = server_url
    page = page_factory(width=375, height=800)
    failed: list[tuple[int, str]] = []
    page.on("response", lambda r: r.status >= 400 and failed.append((r.status, r.url)))
    page.goto(f"{url}/feedback/new?kind=投诉&item=canyin-fuwu-xuke")
    assert page.locator("#item").input_value() == "canyin-fuwu-xuke"
    assert serious(page) == []

    # Submitting the empty form shows the error summary; its links move focus to the fields.
    page.click("#submit")
    assert page.title().startswith("错误：")
    assert page.locator(".error-summary h2").inner_text() == "有以下问题"
    assert serious(page) == []
    page.click(".error-summary a[href='#title']")
    assert page.evaluate("document.activeElement.id") == "title"

    page.fill("#title", "窗口人员态度差")
    page.fill("#body", "11月24日上午在A12窗口办理餐饮许可，等候两小时无人处理。")
    page.fill("#name", "李四")
    page.fill("#phone", "13900139000")
    page.fill("#staff_badge", "CS-0102")
    page.click("#submit")
    page.wait_for_selector(".receipt-number")
    number = page.locator(".receipt-number").inner_text()
    code = page.locator(".receipt-code").inner_text()
    assert number.startswith("TS-") and len(code.replace("-", "")) == 12
    assert serious(page) == []
    # The only failed load is the form shown again with its errors (400); no missing asset, no blocked script.
    assert failed == [(400, f"{url}/feedback/new")]
    # Chromium's own /favicon.ico request is not the page's; page loads are checked above.
    assert [e for e in page.console_errors if not e.startswith("Failed to load resource")] == []

    # Reloading the receipt sends nothing again and no longer shows the code.
    page.reload()
    assert page.locator(".receipt-code").count() == 0
    with db.session_scope(app) as session:
        stored = session.scalars(select(Message)).all()
    assert [(c.number, c.title, c.staff_badge) for c in stored] == [(number, "窗口人员态度差", "CS-0102")]

    # Tracking in a fresh browser with the number and code.
    other = page_factory(width=375, height=800)
    other.goto(f"{url}/feedback/track")
    other.fill("#number", number)
    other.fill("#code", code)
    other.click("#submit")
    other.wait_for_selector(".status-tag")
    assert other.locator(".status-tag").inner_text() == "待受理"
    assert serious(other) == []
