"""Revision 0003 adds the ledger's tables and its downgrade removes them; the feedback rows are untouched."""

from __future__ import annotations

from pathlib import Path

from ledger_helpers import NOW, event, lines
from sqlalchemy import inspect, text

from sunshine.content import read_content
from sunshine.feedback import db
from sunshine.ledger.items import ledger_index
from sunshine.ledger.store import Importer

LEDGER_TABLES = {"ledger_event", "ledger_case", "ledger_token"}


def test_the_ledger_revision_up_and_down(db_url: str | None, tmp_path: Path, ledger_content: Path) -> None:
    engine = db.make_engine(db_url or f"sqlite:///{tmp_path / 'm.sqlite3'}")
    try:
        db.upgrade(engine, "0002")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO feedback_counter (key, value) VALUES ('TS-20241008', 3)"))
        assert not LEDGER_TABLES & set(inspect(engine).get_table_names())
        db.upgrade(engine)
        assert db.current_revision(engine) >= "0003"
        assert set(inspect(engine).get_table_names()) >= LEDGER_TABLES
        index = ledger_index(read_content(ledger_content))
        result = Importer(engine, index, clock=lambda: NOW).run(
            lines(event("m1", "M-1", "受理", "2024-10-08 09:00", item="huji-zhengming"))
        )
        assert result.accepted == 1
        db.downgrade(engine, "0002")
        assert not LEDGER_TABLES & set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            assert conn.execute(text("SELECT value FROM feedback_counter")).scalar() == 3
        db.upgrade(engine)
        assert set(inspect(engine).get_table_names()) >= LEDGER_TABLES
    finally:
        engine.dispose()
