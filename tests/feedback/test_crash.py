"""No loss on a crash: SIGKILL the production server during a burst of submissions, restart, and find
every submission whose receipt was sent in the database.

The server is ``build.py serve --production`` (gunicorn, several workers), configured through
``SUNSHINE_*`` environment variables like a deployment; the clients are plain HTTP.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from sunshine import REPO_DIR
from sunshine.feedback.db import make_engine
from sunshine.feedback.models import Message

pytestmark = pytest.mark.slow

CLIENTS = 6


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``build.py serve --production`` in its own process group, so SIGKILL reaches master and workers."""

    def __init__(self, content: Path, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(REPO_DIR / "build.py"),
                "serve",
                "--production",
                "--content",
                str(content),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(self.port, "/feedback/new")[0] == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"server did not start; see {log}")
            time.sleep(0.2)

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.log.close()


def get(port: int, path: str, cookie: str = "") -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "GET", urllib.parse.quote(path, safe="/?=&"), headers={"Cookie": cookie} if cookie else {}
        )
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def citizen_session(port: int) -> tuple[str, dict[str, str]]:
    """A browser session: its cookie and the hidden fields of a freshly opened complaint form."""
    status, headers, html = get(port, "/feedback/new?kind=投诉")
    assert status == 200
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    hidden = dict(re.findall(r'name="(csrf_token|started|kind)" (?:type="hidden" )?value="([^"]*)"', html))
    assert set(hidden) == {"csrf_token", "started", "kind"}, hidden
    return cookie, hidden


def post(port: int, cookie: str, fields: dict[str, str]) -> str | None:
    """Submit; the receipt's message number when the server answered 303 (committed), else None."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            "/feedback/new",
            body=urllib.parse.urlencode(fields),
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
        response = conn.getresponse()
        response.read()
        if response.status == 303:
            return urllib.parse.unquote(response.getheader("Location", "")).rsplit("/", 1)[-1]
        return None
    finally:
        conn.close()


@pytest.fixture
def server_env(tmp_path: Path, mini_content: Path) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUNSHINE_")}
    env.update(
        SUNSHINE_DATABASE_URL=f"sqlite:///{tmp_path / 'feedback.sqlite3'}",
        SUNSHINE_INSTANCE_PATH=str(tmp_path / "instance"),
        SUNSHINE_SECRET_KEY=secrets.token_hex(32),
        SUNSHINE_FEEDBACK_MIN_FILL_SECONDS="0",
        SUNSHINE_FEEDBACK_SECURE_COOKIES="false",
        # The production pool and the limiter's shared counters, with a limit no burst reaches.
        SUNSHINE_FEEDBACK_SUBMIT_LIMIT="100000 per minute",
    )
    yield env


def test_sigkill_during_a_burst_loses_no_receipted_submission(
    server_env: dict[str, str], mini_content: Path, tmp_path: Path
) -> None:
    server = Server(mini_content, server_env, tmp_path / "server.log")
    receipts: list[str] = []
    attempts = 0
    lock = threading.Lock()
    stop = threading.Event()
    sessions = [citizen_session(server.port) for _ in range(CLIENTS)]

    def citizen(n: int) -> None:
        nonlocal attempts
        cookie, hidden = sessions[n]
        i = 0
        while not stop.is_set():
            fields = {
                **hidden,
                "title": f"崩溃测试 {n}-{i}",
                "body": "服务器被强行终止时提交",
                "name": "王五",
                "phone": "13700137000",
            }
            with lock:
                attempts += 1
            try:
                number = post(server.port, cookie, fields)
            except (OSError, http.client.HTTPException):
                return  # the server is gone: this submission had no receipt
            if number:
                with lock:
                    receipts.append(number)
            i += 1

    threads = [threading.Thread(target=citizen, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while len(receipts) < 60 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill()  # in the middle of the burst: requests are in flight
    stop.set()
    for t in threads:
        t.join(timeout=60)
    assert len(receipts) >= 60, f"only {len(receipts)} receipts before the kill"
    assert attempts > len(receipts)  # some requests were cut off by the kill

    restarted = Server(mini_content, server_env, tmp_path / "server.log")
    try:
        cookie, hidden = citizen_session(restarted.port)
        after = post(
            restarted.port,
            cookie,
            {**hidden, "title": "重启后", "body": "仍可提交", "name": "王五", "phone": "13700137000"},
        )
        assert after is not None and after not in receipts
    finally:
        restarted.kill()

    engine = make_engine(server_env["SUNSHINE_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            stored = set(conn.execute(select(Message.number)).scalars())
    finally:
        engine.dispose()
    missing = set(receipts) - stored
    assert missing == set(), f"{len(missing)} receipted submissions lost"
    assert after in stored and len(receipts) == len(set(receipts))
