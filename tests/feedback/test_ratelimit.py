"""Rate limits count across the server's worker processes: one SQLite file of counters per machine."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from feedback_helpers import soup, submit
from flask import Flask

from sunshine import REPO_DIR
from sunshine.feedback.ratelimit import SQLiteLimitStorage, instance_uri


def test_two_workers_share_one_limit(make_feedback_app: Callable[..., Flask]) -> None:
    """Two apps over one instance folder, as two gunicorn workers are: the third post is refused by either."""
    first = make_feedback_app(FEEDBACK_SUBMIT_LIMIT="2 per minute")
    second = make_feedback_app(FEEDBACK_SUBMIT_LIMIT="2 per minute")
    assert first.instance_path == second.instance_path
    assert submit(first.test_client(), "建议").status_code == 303
    assert submit(second.test_client(), "建议").status_code == 303
    third = submit(first.test_client(), "建议", body="第三条建议")
    assert third.status_code == 429
    assert soup(third.data).select_one("#body").text.strip() == "第三条建议"
    assert submit(second.test_client(), "建议").status_code == 429


def test_a_broken_counter_store_still_takes_the_message(make_feedback_app: Callable[..., Flask]) -> None:
    """Counters that cannot be written (a folder that cannot exist) fall back to memory, not to a 500."""
    app = make_feedback_app(
        RATELIMIT_STORAGE_URI="sunshine-sqlite:///proc/no-such-dir/ratelimit.sqlite3",
        FEEDBACK_SUBMIT_LIMIT="2 per minute",
    )
    client = app.test_client()
    assert [submit(client, "建议").status_code for _ in range(3)] == [303, 303, 429]


def test_counters_windows_and_clearing(tmp_path: Path) -> None:
    storage = SQLiteLimitStorage(instance_uri(tmp_path))
    assert storage.check()
    assert [storage.incr("ip/a", 1) for _ in range(3)] == [1, 2, 3]
    assert storage.incr("ip/b", 60, amount=2) == 2
    assert storage.get("ip/a") == 3 and storage.get("ip/none") == 0
    assert time.time() < storage.get_expiry("ip/a") <= time.time() + 1
    time.sleep(1.1)
    # The window ended: the count starts again, with a new expiry; the other key is untouched.
    assert storage.get("ip/a") == 0
    assert storage.incr("ip/a", 60) == 1
    assert storage.get_expiry("ip/a") > time.time() + 50
    assert storage.get("ip/b") == 2
    storage.clear("ip/b")
    assert storage.get("ip/b") == 0
    assert storage.reset() == 1
    assert storage.get("ip/a") == 0


def test_a_damaged_file_is_started_afresh(tmp_path: Path) -> None:
    """A file that is not a database any more fails once (Flask-Limiter counts in memory), then is rebuilt."""
    uri = instance_uri(tmp_path)
    path = tmp_path / "ratelimit.sqlite3"
    path.write_bytes(b"this is not a SQLite database, it was damaged" * 100)
    storage = SQLiteLimitStorage(uri)
    with pytest.raises(sqlite3.DatabaseError):
        storage.incr("ip/a", 60)
    assert storage.check()
    assert storage.incr("ip/a", 60) == 1
    assert path.stat().st_mode & 0o777 == 0o600


def test_another_process_counts_in_the_same_file(tmp_path: Path) -> None:
    uri = instance_uri(tmp_path)
    storage = SQLiteLimitStorage(uri)
    assert storage.incr("login/127.0.0.1", 60) == 1
    code = (
        "import sys; from sunshine.feedback.ratelimit import SQLiteLimitStorage; "
        "print(SQLiteLimitStorage(sys.argv[1]).incr('login/127.0.0.1', 60))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, uri],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "2"
    assert storage.get("login/127.0.0.1") == 2


def test_a_relative_path_is_refused() -> None:
    with pytest.raises(ValueError, match="absolute path"):
        SQLiteLimitStorage("sunshine-sqlite://instance/ratelimit.sqlite3")
