"""Fixtures of the case ledger tests: the tree of ledger_helpers, a migrated database, the ledger helper."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ledger_helpers import Ledger, write_ledger_tree
from sqlalchemy import Engine

from sunshine.content import read_content
from sunshine.feedback import db
from sunshine.ledger.items import LedgerIndex, ledger_index


@pytest.fixture
def ledger_content(mini_content: Path) -> Path:
    return write_ledger_tree(mini_content)


@pytest.fixture
def index(ledger_content: Path) -> LedgerIndex:
    return ledger_index(read_content(ledger_content))


@pytest.fixture
def engine(db_url: str | None, tmp_path: Path) -> Iterator[Engine]:
    """A migrated database: SQLite in tmp_path, or the PostgreSQL schema of ``db_url``."""
    engine = db.make_engine(db_url or f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    db.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def ledger(engine: Engine, index: LedgerIndex) -> Ledger:
    return Ledger(engine, index)
