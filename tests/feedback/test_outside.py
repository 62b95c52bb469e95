"""The production server attacked from outside: real HTTP against ``build.py serve --production``.

Each finding of the outside attack on the server is replayed here over plain
HTTP through gunicorn (which decodes addresses itself), on SQLite and on
PostgreSQL: a citizen's phone in a published reply, huge integers and NUL
characters in addresses, queries and forms, a session cookie copied before
logout, and one account guessed from many addresses.
"""

from __future__ import annotations

import http.client
import re
import secrets
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from feedback_helpers import PASSWORD, form_values, soup
from sqlalchemy.orm import Session
from test_crash import Server

from sunshine.feedback import auth
from sunshine.feedback.db import make_engine

pytestmark = pytest.mark.slow


class Browser:
    """A browser over plain HTTP: keeps its cookies, never follows redirects, sends addresses as given."""

    def __init__(self, port: int, address: str = "203.0.113.1") -> None:
        self.port = port
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields: dict[str, str] | None = None) -> tuple[int, Any, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            # Non-ASCII is percent-encoded as a browser does; %00 and the like are sent as written.
            conn.request(method, urllib.parse.quote(path, safe="/?=&%"), body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if value:
                    self.cookies[name] = value
                else:
                    self.cookies.pop(name, None)
            return response.status, response.headers, text
        finally:
            conn.close()

    def get(self, path: str) -> tuple[int, Any, str]:
        return self.request("GET", path)

    def post_form(
        self, page: str, selector: str, action: str | None = None, **fields: str
    ) -> tuple[int, Any, str]:
        """Open ``page``, fill the form found by ``selector`` as a browser would, post it."""
        status, _, html = self.get(page)
        assert status == 200, (page, status)
        form = soup(html).select_one(selector)
        assert form is not None, (page, selector)
        data = {**form_values(soup(html), selector), **fields}
        return self.request("POST", action or form.get("action") or page, data)


@pytest.fixture
def server(db_url: str | None, mini_content: Path, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    url = db_url or f"sqlite:///{tmp_path / 'feedback.sqlite3'}"
    env = {
        "PATH": "/usr/bin:/bin",
        "SUNSHINE_DATABASE_URL": url,
        "SUNSHINE_INSTANCE_PATH": str(tmp_path / "instance"),
        "SUNSHINE_SECRET_KEY": secrets.token_hex(32),
        "SUNSHINE_FEEDBACK_SECURE_COOKIES": "false",
        "SUNSHINE_FEEDBACK_MIN_FILL_SECONDS": "0",
        "SUNSHINE_PROXY_COUNT": "1",  # the test plays the proxy: X-Forwarded-For is each browser's address
        "SUNSHINE_WORKERS": "2",
        # A first wait longer than the default second: a slow machine cannot outlast it mid-test.
        "SUNSHINE_FEEDBACK_LOGIN_DELAY_SECONDS": "60",
    }
    running = Server(mini_content, env, tmp_path / "server.log")
    engine = make_engine(url)
    try:
        with Session(engine) as session, session.begin():
            auth.add_user(session, "admin", PASSWORD, "管理员", None)
        yield running, url
    finally:
        engine.dispose()
        running.kill()


def staff_at(port: int, address: str) -> int:
    """Sign in from ``address`` (as X-Forwarded-For says): the status of the first answer that is not 200."""
    browser = Browser(port, address)
    status, _, html = browser.get("/admin/login")
    if status != 200:
        return status
    fields = {**form_values(soup(html), "form.login-form"), "username": "admin", "password": PASSWORD}
    return browser.request("POST", "/admin/login", fields)[0]


def staff(port: int) -> Browser:
    browser = Browser(port, "192.0.2.10")
    status = browser.post_form("/admin/login", "form.login-form", username="admin", password=PASSWORD)[0]
    assert status == 303, status
    return browser


def test_the_outside_attack_finds_nothing(server: tuple[Server, str]) -> None:
    port = server[0].port

    # 1. A 咨询 with phone 8821 5678, answered and made public: the number is not on the page.
    citizen = Browser(port)
    status, headers, _ = citizen.post_form(
        "/feedback/new?kind=咨询",
        "form.feedback-form",
        "/feedback/new",
        title="办证咨询",
        body="白天打 8821 5678 找我",
        name="王小明",
        phone="8821 5678",
    )
    assert status == 303
    number = urllib.parse.unquote(headers["Location"]).rsplit("/", 1)[-1]
    admin = staff(port)
    steps = (
        ("accept", {}),
        ("draft_reply", {"reply": "已电话联系（8821-5678）。"}),
        ("publish_reply", {}),
        ("set_public", {"public": "y"}),
    )
    for action, extra in steps:
        status, _, html = admin.get(f"/admin/messages/{number}")
        form = next(
            f for f in soup(html).select("form.action-form") if f.select_one(f"input[value={action}]")
        )
        data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")} | extra
        assert admin.request("POST", f"/admin/messages/{number}/act", data)[0] == 303
    status, headers, html = Browser(port).get(f"/feedback/replies/{number}/")
    assert status == 200 and "王**" in html and "王小明" not in html
    assert not re.search(r"8\D{0,3}8\D{0,3}2\D{0,3}1", soup(html).get_text())

    # 2 and 3. Huge integers and NUL characters: a clear 4xx, never a 5xx.
    for path in (
        "/admin/?page=99999999999999999999",
        "/admin/attachments/99999999999999999999",
        "/admin/attachments/2147483648",
        "/admin/messages/%00",
        "/admin/?department=%00",
    ):
        status, headers, _ = admin.get(path)
        assert 400 <= status < 500, (path, status)
        assert headers["Cache-Control"] == "no-store"
    anonymous = Browser(port, "198.51.100.200")
    assert anonymous.get("/feedback/replies/%00/")[0] == 400
    for page, selector, fields in (
        ("/feedback/track", "form[method=post]", {"number": "TS\x00", "code": "A"}),
        ("/admin/login", "form.login-form", {"username": "admin\x00", "password": "x"}),
        (
            "/feedback/new?kind=咨询",
            "form.feedback-form",
            {"title": "标题", "body": "内容\x00", "name": "张三", "phone": "13800138000"},
        ),
    ):
        status, _, html = anonymous.post_form(page, selector, page.split("?")[0], **fields)
        assert status == 400, (page, status)
        assert soup(html).title.text.startswith("错误：")

    # 4. A cookie copied before logout opens nothing after it; staff pages are never stored.
    status, headers, _ = admin.get("/admin/")
    assert status == 200 and headers["Cache-Control"] == "no-store"
    thief = Browser(port, "198.51.100.66")
    thief.cookies = dict(admin.cookies)
    assert thief.get("/admin/")[0] == 200
    assert admin.post_form("/admin/", "nav.admin-nav form")[0] == 303
    assert thief.get("/admin/")[0] == 302 and admin.get("/admin/")[0] == 302

    # A forged X-Forwarded-For (a server reached without its proxy) is recorded cut to size.
    for forged in ("203.0.113.5, " + "9" * 200, "203.0.113.5\x00x"):
        try:
            status = staff_at(port, forged)
        except ValueError:  # the client library itself refuses to send it
            continue
        assert status in (303, 400), (forged, status)  # 400: gunicorn refused the header itself

    # 15 wrong passwords for one account from 15 addresses: refused with a wait after the first few.
    answers = []
    for i in range(15):
        guesser = Browser(port, f"198.51.100.{i + 1}")
        status, headers, _ = guesser.post_form(
            "/admin/login", "form.login-form", username="admin", password="guess"
        )
        answers.append((status, headers.get("Retry-After")))
    assert [status for status, _ in answers] == [400] * 4 + [429] * 11
    assert all(retry and int(retry) >= 1 for _, retry in answers[4:])
