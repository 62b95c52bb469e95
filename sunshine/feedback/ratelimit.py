"""Rate-limit counters in a SQLite file, shared by every worker process of the server.

Flask-Limiter's ``memory://`` storage keeps its counters inside one process,
so behind gunicorn's N workers a client could post N times the limit before
being refused.  This storage keeps the fixed-window counters of
:mod:`limits` in ``<instance>/ratelimit.sqlite3`` instead: one count per
address for the whole machine.  The counters need no durability, so commits
are not fsynced (WAL with ``synchronous=NORMAL``: a power cut may forget the
last few hits, never damage the file), and the file never touches the
feedback database's write lock.  Should the file be damaged anyway, it is
started afresh; meanwhile Flask-Limiter counts in memory.

A deployment on several machines points ``RATELIMIT_STORAGE_URI`` at a shared
``redis://`` server instead.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

from limits.storage import Storage

SCHEME = "sunshine-sqlite"
_BUSY_MS = 5000
#: One increment in this many also deletes the windows that have ended.
_PURGE_EVERY = 200


class SQLiteLimitStorage(Storage):
    """Fixed-window counters (``key → value until expires``) in one SQLite file per machine.

    ``sunshine-sqlite:///absolute/path/ratelimit.sqlite3``.  Each thread of each
    process opens its own connection (a connection must not cross ``fork``).
    """

    STORAGE_SCHEME: ClassVar[list[str]] = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        path = (uri or "").partition("://")[2]
        if not path.startswith("/"):
            raise ValueError(f"{SCHEME} needs an absolute path: {SCHEME}:///srv/instance/ratelimit.sqlite3")
        self.path = Path(path)
        self._local = threading.local()
        self._inherited: list[sqlite3.Connection] = []
        self._increments = itertools.count(1)
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> tuple[type[Exception], ...]:
        return (sqlite3.Error, OSError)

    def _db(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            return conn
        if conn is not None:
            # Opened before a fork: never used nor closed here, as SQLite asks.
            self._inherited.append(conn)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # The counters are keyed by client address: readable by the server's user only.
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        conn = sqlite3.connect(self.path, timeout=_BUSY_MS / 1000, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS window (key TEXT PRIMARY KEY, value INTEGER NOT NULL,"
            " expires REAL NOT NULL)"
        )
        self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        try:
            return self._db().execute(sql, params)
        except sqlite3.DatabaseError as exc:
            if type(exc) is sqlite3.DatabaseError:  # "malformed" or "not a database", not "locked"
                self._start_afresh()
            raise

    def _start_afresh(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        if next(self._increments) % _PURGE_EVERY == 0:
            self._run("DELETE FROM window WHERE expires <= ?", (now,))
        # A window that has ended starts again at this hit (as memory:// does).
        row = self._run(
            "INSERT INTO window (key, value, expires) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET"
            " value = CASE WHEN expires <= ? THEN excluded.value ELSE value + excluded.value END,"
            " expires = CASE WHEN expires <= ? THEN excluded.expires ELSE expires END"
            " RETURNING value",
            (key, amount, now + expiry, now, now),
        ).fetchone()
        return int(row[0])

    def get(self, key: str) -> int:
        row = self._run(
            "SELECT value FROM window WHERE key = ? AND expires > ?", (key, time.time())
        ).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        row = self._run("SELECT expires FROM window WHERE key = ? AND expires > ?", (key, now)).fetchone()
        return float(row[0]) if row else now

    def check(self) -> bool:
        try:
            self._run("SELECT count(*) FROM window").fetchone()
        except self.base_exceptions:
            return False
        return True

    def reset(self) -> int | None:
        return self._run("DELETE FROM window").rowcount

    def clear(self, key: str) -> None:
        self._run("DELETE FROM window WHERE key = ?", (key,))


def instance_uri(instance: Path) -> str:
    """The default storage: ``ratelimit.sqlite3`` in the instance folder."""
    return f"{SCHEME}://{(instance / 'ratelimit.sqlite3').resolve()}"
