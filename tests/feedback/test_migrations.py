"""Migrations: the schema they build is exactly the models', and renaming case → message keeps every row.

Runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from feedback_helpers import SCHEMA_HEAD
from sqlalchemy import Engine, MetaData, Table, inspect, select, text
from sqlalchemy.orm import Session, selectinload

import sunshine.ledger.models  # noqa: F401 - the case ledger's tables are in the same schema
from sunshine.feedback import db
from sunshine.feedback.models import (
    Attachment,
    AuditEntry,
    Base,
    LoginThrottle,
    Message,
    StaffSession,
    Urge,
)

HEAD = SCHEMA_HEAD
#: The revision that still called a message a case.
BEFORE_RENAME = "0001"


@pytest.fixture
def engine(db_url: str | None, tmp_path: Path) -> Iterator[Engine]:
    """An empty database with the server's own settings (SQLite foreign keys on, BEGIN IMMEDIATE)."""
    engine = db.make_engine(db_url or f"sqlite:///{tmp_path / 'feedback.sqlite3'}")
    yield engine
    engine.dispose()


def schema_of(engine: Engine) -> dict[str, Any]:
    """Everything about the tables a migration decides: columns, types, keys, constraints, index names."""
    inspector = inspect(engine)
    out: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        if table == "alembic_version":
            continue
        pk = inspector.get_pk_constraint(table)
        out[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            "pk": (pk["name"], tuple(pk["constrained_columns"])),
            "fks": sorted(
                (
                    fk["name"],
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                )
                for fk in inspector.get_foreign_keys(table)
            ),
            "uniques": sorted(
                (u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(table)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
                if not i.get("duplicates_constraint")
            ),
        }
        if engine.dialect.name == "postgresql" and "id" in {c[0] for c in out[table]["columns"]}:
            with engine.connect() as conn:
                sequence = conn.execute(
                    text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table}
                ).scalar()
            out[table]["sequence"] = sequence.rsplit(".", 1)[-1] if sequence else None
    return out


def differences(engine: Engine) -> list[Any]:
    """What Alembic's autogenerate would change to make the database match the models."""
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)


def test_migrations_build_exactly_the_schema_of_the_models(engine: Engine) -> None:
    Base.metadata.create_all(engine)
    expected = schema_of(engine)
    Base.metadata.drop_all(engine)
    assert "feedback_message" in expected and "feedback_case" not in expected

    db.upgrade(engine)
    assert db.current_revision(engine) == HEAD
    assert differences(engine) == []
    # compare_metadata ignores the names of keys and constraints, and the sequences behind ids.
    assert schema_of(engine) == expected


def test_downgrade_gives_back_the_schema_before_the_rename(engine: Engine) -> None:
    db.upgrade(engine, BEFORE_RENAME)
    before = schema_of(engine)
    assert "feedback_case" in before and ("case_id",) in {fk[1] for fk in before["feedback_urge"]["fks"]}
    db.upgrade(engine)
    after = schema_of(engine)
    db.downgrade(engine, BEFORE_RENAME)
    assert db.current_revision(engine) == BEFORE_RENAME
    assert schema_of(engine) == before
    db.upgrade(engine)
    assert schema_of(engine) == after and differences(engine) == []


# -- rows ----------------------------------------------------------------------------------


def _utc(*args: int) -> dt.datetime:
    """A stored moment: naive UTC, as the columns hold it."""
    return dt.datetime(*args)  # type: ignore[misc]


USERS = [
    {
        "id": 4,
        "username": "liwei",
        "password_hash": "x" * 60,
        "role": "部门办理员",
        "department_id": "shiyaojian",
        "active": True,
        "created_at": _utc(2026, 11, 1, 1),
        "last_login_at": None,
    },
    {
        "id": 9,
        "username": "jiancha",
        "password_hash": "y" * 60,
        "role": "监察员",
        "department_id": None,
        "active": True,
        "created_at": _utc(2026, 11, 1, 2),
        "last_login_at": _utc(2026, 11, 30, 0, 15),
    },
]


def _message(id_: int, number: str, **fields: Any) -> dict[str, Any]:
    row = {
        "id": id_,
        "number": number,
        "code_hash": f"{id_:064x}",
        "kind": "咨询",
        "status": "待受理",
        "title": f"标题 {number}",
        "body": "第一行\n第二行「引号」\\ 反斜杠",
        "item_id": None,
        "window_id": None,
        "about_department_id": None,
        "staff_badge": None,
        "rating": None,
        "department_id": "shiyaojian",
        "name": "张三",
        "phone": "13800138000",
        "created_at": _utc(2026, 11, 24, 1, 5),
        "due_on": dt.date(2026, 12, 8),
        "accepted_at": None,
        "answered_at": None,
        "closed_at": None,
        "reject_reason": None,
        "reply": None,
        "reply_drafted_at": None,
        "reply_by_id": None,
        "public": False,
        "published_at": None,
        "citizen_satisfied": None,
        "citizen_comment": None,
        "citizen_rated_at": None,
    }
    row.update(fields)
    return row


# Ids with gaps (deleted rows, rolled-back inserts): they must survive as they are.
MESSAGES = [
    _message(3, "ZX-20261124-0001"),
    _message(
        7,
        "TS-20261124-0002",
        kind="投诉",
        status="已办结",
        item_id="huji-zhengming",
        window_id="w12",
        about_department_id="zwzx",
        staff_badge="CS-0101",
        department_id="zwzx",
        accepted_at=_utc(2026, 11, 24, 2),
        answered_at=_utc(2026, 11, 26, 7, 30),
        closed_at=_utc(2026, 11, 27, 1),
        reply="已约谈窗口负责人。",
        reply_drafted_at=_utc(2026, 11, 26, 7),
        reply_by_id=4,
        public=True,
        published_at=_utc(2026, 11, 26, 8),
        citizen_satisfied=False,
        citizen_comment="没说清楚",
        citizen_rated_at=_utc(2026, 11, 28, 3),
    ),
    _message(
        12,
        "PJ-20261125-0001",
        kind="评价",
        status="不予受理",
        rating=1,
        due_on=None,
        reject_reason="重复提交",
        closed_at=_utc(2026, 11, 25, 6),
    ),
]

ATTACHMENTS = [
    {
        "id": 2,
        "case_id": 7,
        "stored_name": "a" * 32 + ".png",
        "original_name": "排队.png",
        "mimetype": "image/png",
        "size": 2048,
        "sha256": "b" * 64,
        "created_at": _utc(2026, 11, 24, 1, 5),
    },
    {
        "id": 5,
        "case_id": 7,
        "stored_name": "c" * 32 + ".pdf",
        "original_name": "说明.pdf",
        "mimetype": "application/pdf",
        "size": 99,
        "sha256": "d" * 64,
        "created_at": _utc(2026, 11, 24, 1, 5),
    },
    {
        "id": 6,
        "case_id": 3,
        "stored_name": "e" * 32 + ".jpg",
        "original_name": "照片.jpg",
        "mimetype": "image/jpeg",
        "size": 1,
        "sha256": "f" * 64,
        "created_at": _utc(2026, 11, 24, 1, 5),
    },
]

URGES = [
    {
        "id": 1,
        "case_id": 3,
        "user_id": 9,
        "department_id": "shiyaojian",
        "note": "请尽快答复",
        "created_at": _utc(2026, 12, 9, 1),
    },
    {
        "id": 8,
        "case_id": 3,
        "user_id": None,
        "department_id": None,
        "note": "",
        "created_at": _utc(2026, 12, 10, 1),
    },
]


def _audit(id_: int, action: str, case_id: int | None, **fields: Any) -> dict[str, Any]:
    row = {
        "id": id_,
        "at": _utc(2026, 11, 24, 1, 5, id_),
        "user_id": None,
        "actor": "群众",
        "action": action,
        "case_id": case_id,
        "target": None,
        "before": None,
        "after": None,
        "note": None,
        "ip": "203.0.113.7",
    }
    row.update(fields)
    return row


AUDIT = [
    _audit(1, "submit", 3, after={"number": "ZX-20261124-0001", "kind": "咨询", "status": "待受理"}),
    _audit(2, "submit", 7),
    _audit(
        3,
        "transfer",
        7,
        user_id=4,
        actor="liwei",
        before={"department_id": "shiyaojian", "status": "已受理"},
        after={"department_id": "zwzx", "status": "待受理"},
        note="转交政务中心",
    ),
    _audit(4, "login", None, user_id=9, actor="jiancha", ip=None),
    _audit(5, "user_add", None, actor="命令行", target="user:liwei", ip=None),
    _audit(6, "urge", 3, user_id=9, actor="jiancha", target="department:shiyaojian", note="请尽快答复"),
    _audit(9, "download_attachment", 7, user_id=4, actor="liwei", target="attachment:2"),
]

COUNTERS = [{"key": "TS-20261124", "value": 2}, {"key": "ZX-20261124", "value": 1}]

#: The rows of each table at revision 0001, under that revision's table names.
ROWS_0001 = {
    "feedback_user": USERS,
    "feedback_counter": COUNTERS,
    "feedback_case": MESSAGES,
    "feedback_attachment": ATTACHMENTS,
    "feedback_urge": URGES,
    "feedback_audit": AUDIT,
}


def _renamed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{("message_id" if k == "case_id" else k): v for k, v in row.items()} for row in rows]


#: The same rows after the rename.
ROWS_HEAD = {
    "feedback_message" if table == "feedback_case" else table: _renamed(rows)
    for table, rows in ROWS_0001.items()
}


def _fill(engine: Engine, rows: dict[str, list[dict[str, Any]]]) -> None:
    metadata = MetaData()
    with engine.begin() as conn:
        for name, table_rows in rows.items():  # parents first: foreign keys are checked
            table = Table(name, metadata, autoload_with=conn)
            conn.execute(table.insert(), table_rows)
            if conn.dialect.name == "postgresql" and "id" in table.c:
                # As if the ids had come from the sequence, which inserts with explicit ids do not advance.
                conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) FROM {name}")
                )


def _read(engine: Engine, tables: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Every row of ``tables`` as stored, in id order (the counter by key)."""
    metadata = MetaData()
    out = {}
    with engine.connect() as conn:
        for name in tables:
            table = Table(name, metadata, autoload_with=conn)
            order = table.c.id if "id" in table.c else table.c.key
            out[name] = [dict(row._mapping) for row in conn.execute(select(table).order_by(order))]
    return out


def test_rename_keeps_every_row_both_ways(engine: Engine) -> None:
    db.upgrade(engine, BEFORE_RENAME)
    _fill(engine, ROWS_0001)

    db.upgrade(engine)
    assert _read(engine, list(ROWS_HEAD)) == ROWS_HEAD

    # The models read the migrated rows, relationships included.
    with Session(engine) as session:
        messages = session.scalars(
            select(Message).options(selectinload(Message.attachments), selectinload(Message.urges))
        ).all()
        by_id = {m.id: m for m in messages}
        assert sorted(by_id) == [3, 7, 12]
        assert [a.id for a in by_id[7].attachments] == [2, 5] and [a.id for a in by_id[3].attachments] == [6]
        assert [u.id for u in by_id[3].urges] == [1, 8] and by_id[3].urges[0].user.username == "jiancha"
        assert by_id[7].reply_by.username == "liwei" and by_id[7].published_at == dt.datetime(
            2026, 11, 26, 8, tzinfo=dt.UTC
        )
        assert session.get(Attachment, 6).message.number == "ZX-20261124-0001"
        assert session.get(Urge, 8).message is by_id[3]
        linked = {e.id: e.message.number if e.message else None for e in session.scalars(select(AuditEntry))}
        assert linked == {
            1: "ZX-20261124-0001",
            2: "TS-20261124-0002",
            3: "TS-20261124-0002",
            4: None,
            5: None,
            6: "ZX-20261124-0001",
            9: "TS-20261124-0002",
        }
        # New rows carry on after the highest id (on PostgreSQL: the renamed sequence is still the default).
        added = Message(
            **{k: v for k, v in MESSAGES[0].items() if k != "id"} | {"number": "ZX-20261201-0001"}
        )
        added.created_at = dt.datetime(2026, 12, 1, 1, tzinfo=dt.UTC)
        session.add(added)
        session.flush()
        file = {k: v for k, v in ATTACHMENTS[0].items() if k not in ("id", "case_id")}
        session.add(
            Attachment(message=added, **file | {"stored_name": "new.png", "created_at": added.created_at})
        )
        session.flush()
        assert added.id == 13 and added.attachments[0].id == 7
        session.rollback()

    db.downgrade(engine, BEFORE_RENAME)
    assert _read(engine, list(ROWS_0001)) == ROWS_0001


def test_sqlite_rows_pointing_nowhere_stop_the_rename_and_change_nothing(tmp_path: Path) -> None:
    """A SQLite file once written with foreign keys off may hold orphans: named, and nothing changed."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'feedback.sqlite3'}")
    db.upgrade(engine, BEFORE_RENAME)
    _fill(engine, ROWS_0001)
    # A connection that does not turn foreign keys on, as sqlite3's command line does not.
    raw = sqlite3.connect(tmp_path / "feedback.sqlite3")
    raw.execute("DELETE FROM feedback_case WHERE id = 3")
    raw.commit()
    raw.close()
    with pytest.raises(RuntimeError, match="5 rows point at rows that do not exist") as refused:
        db.upgrade(engine)
    assert "feedback_attachment rowid 6 → feedback_case" in str(refused.value)
    assert db.current_revision(engine) == BEFORE_RENAME
    rows = _read(engine, list(ROWS_0001))
    assert rows == {**ROWS_0001, "feedback_case": [m for m in MESSAGES if m["id"] != 3]}
    engine.dispose()


#: The revision before staff sessions and sign-in counts were kept in the database.
BEFORE_SESSIONS = "0003"
SESSION_TABLES = {"feedback_staff_session", "feedback_login_throttle"}


def test_staff_session_tables_come_and_go_keeping_every_other_row(engine: Engine) -> None:
    db.upgrade(engine, BEFORE_SESSIONS)
    _fill(engine, ROWS_HEAD)

    db.upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= SESSION_TABLES
    assert _read(engine, list(ROWS_HEAD)) == ROWS_HEAD
    now = dt.datetime(2026, 12, 2, 1, tzinfo=dt.UTC)
    with Session(engine) as session, session.begin():
        session.add(StaffSession(id="a" * 64, user_id=4, created_at=now, last_seen_at=now, expires_at=now))
        session.add(LoginThrottle(key="b" * 64, failures=4, last_failure_at=now, blocked_until=now))

    # Going back signs everyone out and forgets the counts; nothing else changes.
    db.downgrade(engine, BEFORE_SESSIONS)
    assert not SESSION_TABLES & set(inspect(engine).get_table_names())
    assert _read(engine, list(ROWS_HEAD)) == ROWS_HEAD
    db.upgrade(engine)
    assert differences(engine) == []
    assert _read(engine, sorted(SESSION_TABLES)) == {table: [] for table in sorted(SESSION_TABLES)}
