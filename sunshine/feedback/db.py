"""Database engine, sessions and migrations for the feedback server.

Default storage is a SQLite file in the app's instance folder, opened in WAL
mode with ``synchronous=FULL`` so a committed message survives a power cut,
and with every transaction started as ``BEGIN IMMEDIATE`` so concurrent
writers queue on the busy timeout instead of failing.  ``DATABASE_URL``
(config, or env ``DATABASE_URL`` / ``SUNSHINE_DATABASE_URL``) switches to
PostgreSQL, e.g. ``postgresql+psycopg://user@host/db``.

The schema is owned by Alembic (``migrations/``); :func:`upgrade` runs it
programmatically at start-up and from ``build.py db upgrade``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

_KEY = "sunshine.feedback.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_MS = 30_000


def database_url(app: Flask) -> str:
    """The configured database URL, else a SQLite file in the (created) instance folder."""
    url = app.config.get("DATABASE_URL") or os.environ.get("DATABASE_URL")
    if url:
        return str(url)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(app.instance_path) / 'feedback.sqlite3'}"


def make_engine(url: str, **options: Any) -> Engine:
    """An engine with this project's durability settings (used by the server, the CLI and the build)."""
    if url.startswith("sqlite"):
        options.setdefault("connect_args", {})
        options["connect_args"].setdefault("timeout", SQLITE_BUSY_MS / 1000)
        options["connect_args"].setdefault("check_same_thread", False)
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    options.setdefault("pool_pre_ping", True)
    return create_engine(url, **options)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is switched off so that _sqlite_begin decides how to begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # Take the write lock up front: a deferred transaction that later writes can fail with
    # "database is locked" without waiting, which would lose a citizen's message.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (safe to run from several processes at once)."""
    from alembic import command

    _migrate(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to ``revision``, keeping every row the older schema can hold."""
    from alembic import command

    _migrate(engine, command.downgrade, revision)


def _migrate(engine: Engine, step: Any, revision: str) -> None:
    """Run an Alembic command in one transaction: a migration that fails leaves the schema as it was."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Serialize concurrent start-ups (gunicorn workers); SQLite is serialized by BEGIN IMMEDIATE.
            connection.execute(text("SELECT pg_advisory_xact_lock(7484001)"))
        config.attributes["connection"] = connection
        step(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None when never migrated)."""
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def init_app(app: Flask) -> None:
    """Create the engine and session factory; migrate unless ``FEEDBACK_AUTO_MIGRATE`` is false."""
    engine = make_engine(database_url(app))
    factory = sessionmaker(engine, expire_on_commit=False)
    app.extensions[_KEY] = (engine, factory)
    if app.config.get("FEEDBACK_AUTO_MIGRATE", True):
        upgrade(engine)

    @app.teardown_appcontext
    def _close(_exc: BaseException | None) -> None:
        session = g.pop("feedback_session", None)
        if session is not None:
            session.close()


def get_engine(app: Flask | None = None) -> Engine:
    return (app or current_app).extensions[_KEY][0]


def get_session() -> Session:
    """The request's session (closed, rolling back anything uncommitted, when the request ends)."""
    if "feedback_session" not in g:
        g.feedback_session = current_app.extensions[_KEY][1]()
    return g.feedback_session


@contextmanager
def session_scope(app: Flask) -> Iterator[Session]:
    """A session outside a request (CLI, tests): committed on success, rolled back on error."""
    with app.extensions[_KEY][1]() as session, session.begin():
        yield session
