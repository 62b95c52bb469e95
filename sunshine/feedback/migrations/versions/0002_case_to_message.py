"""rename the feedback case to message

A citizen's message (咨询, 投诉, 建议, 评价) is stored as a *message*, so that
"case" is left to the case ledger (办件): table ``feedback_case`` becomes
``feedback_message``, the ``case_id`` columns of attachments, 催办 and the
audit log become ``message_id``, and every index, key and constraint named
after them by the naming convention in ``models.py`` follows.  Every row is
kept, with its id.

PostgreSQL renames in place.  SQLite cannot rename a constraint, and its
constraint names live in each table's ``CREATE TABLE`` text, so there the four
tables are created anew under the new names and their rows copied over, in an
order that never leaves a row pointing at a missing one (foreign keys stay on).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: The tables holding a ``<word>_id`` column that points at ``feedback_<word>``.
CHILDREN = ("feedback_attachment", "feedback_audit", "feedback_urge")


def upgrade() -> None:
    _rename("case", "message")


def downgrade() -> None:
    _rename("message", "case")


def _rename(old: str, new: str) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _rename_in_place(old, new)
    elif dialect == "sqlite":
        _rebuild(old, new)
    else:  # pragma: no cover - only the two supported databases
        raise RuntimeError(f"unsupported database {dialect}")


# -- names ---------------------------------------------------------------------


def _parent(word: str) -> str:
    return f"feedback_{word}"


def _parent_indexes(word: str) -> dict[str, list[str]]:
    table = _parent(word)
    return {
        f"ix_{table}_created_at": ["created_at"],
        f"ix_{table}_department_id": ["department_id"],
        f"ix_{table}_department_status": ["department_id", "status"],
        f"ix_{table}_status_kind": ["status", "kind"],
    }


def _parent_constraints(word: str) -> list[str]:
    table = _parent(word)
    return [f"pk_{table}", f"uq_{table}_number", f"fk_{table}_reply_by_id_feedback_user"]


def _child_fk(child: str, word: str) -> str:
    return f"fk_{child}_{word}_id_{_parent(word)}"


def _child_index(child: str, word: str) -> str:
    return f"ix_{child}_{word}_id"


# -- PostgreSQL: rename in place -------------------------------------------------------


def _rename_in_place(old: str, new: str) -> None:
    parent_old, parent_new = _parent(old), _parent(new)
    op.rename_table(parent_old, parent_new)
    op.execute(f"ALTER SEQUENCE IF EXISTS {parent_old}_id_seq RENAME TO {parent_new}_id_seq")
    for name_old, name_new in zip(_parent_constraints(old), _parent_constraints(new), strict=True):
        op.execute(f"ALTER TABLE {parent_new} RENAME CONSTRAINT {name_old} TO {name_new}")
    for name_old, name_new in zip(_parent_indexes(old), _parent_indexes(new), strict=True):
        op.execute(f"ALTER INDEX {name_old} RENAME TO {name_new}")
    for child in CHILDREN:
        op.alter_column(child, f"{old}_id", new_column_name=f"{new}_id")
        op.execute(
            f"ALTER TABLE {child} RENAME CONSTRAINT {_child_fk(child, old)} TO {_child_fk(child, new)}"
        )
        op.execute(f"ALTER INDEX {_child_index(child, old)} RENAME TO {_child_index(child, new)}")


# -- SQLite: new tables, rows copied ---------------------------------------------------
# The definitions are those of revision 0001, frozen here: a migration must not follow later edits of
# models.py.

PARENT_COLUMNS = (
    "id",
    "number",
    "code_hash",
    "kind",
    "status",
    "title",
    "body",
    "item_id",
    "window_id",
    "about_department_id",
    "staff_badge",
    "rating",
    "department_id",
    "name",
    "phone",
    "created_at",
    "due_on",
    "accepted_at",
    "answered_at",
    "closed_at",
    "reject_reason",
    "reply",
    "reply_drafted_at",
    "reply_by_id",
    "public",
    "published_at",
    "citizen_satisfied",
    "citizen_comment",
    "citizen_rated_at",
)


def _parent_table(word: str) -> list[Any]:
    table = _parent(word)
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=True),
        sa.Column("window_id", sa.String(length=64), nullable=True),
        sa.Column("about_department_id", sa.String(length=64), nullable=True),
        sa.Column("staff_badge", sa.String(length=32), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("reject_reason", sa.Text(), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("reply_drafted_at", sa.DateTime(), nullable=True),
        sa.Column("reply_by_id", sa.Integer(), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("citizen_satisfied", sa.Boolean(), nullable=True),
        sa.Column("citizen_comment", sa.Text(), nullable=True),
        sa.Column("citizen_rated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["reply_by_id"], ["feedback_user.id"], name=op.f(f"fk_{table}_reply_by_id_feedback_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("number", name=op.f(f"uq_{table}_number")),
    ]


def _child_table(child: str, word: str) -> list[Any]:
    """The columns and constraints of one child table, pointing at ``feedback_<word>``."""
    link = f"{word}_id"
    link_fk = sa.ForeignKeyConstraint([link], [f"{_parent(word)}.id"], name=op.f(_child_fk(child, word)))
    pk = sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{child}"))
    if child == "feedback_attachment":
        return [
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column(link, sa.Integer(), nullable=False),
            sa.Column("stored_name", sa.String(length=64), nullable=False),
            sa.Column("original_name", sa.String(length=255), nullable=False),
            sa.Column("mimetype", sa.String(length=64), nullable=False),
            sa.Column("size", sa.Integer(), nullable=False),
            sa.Column("sha256", sa.String(length=64), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            link_fk,
            pk,
            sa.UniqueConstraint("stored_name", name=op.f("uq_feedback_attachment_stored_name")),
        ]
    if child == "feedback_audit":
        return [
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("at", sa.DateTime(), nullable=False),
            sa.Column("user_id", sa.Integer(), nullable=True),
            sa.Column("actor", sa.String(length=64), nullable=False),
            sa.Column("action", sa.String(length=32), nullable=False),
            sa.Column(link, sa.Integer(), nullable=True),
            sa.Column("target", sa.String(length=128), nullable=True),
            sa.Column("before", sa.JSON(), nullable=True),
            sa.Column("after", sa.JSON(), nullable=True),
            sa.Column("note", sa.Text(), nullable=True),
            sa.Column("ip", sa.String(length=64), nullable=True),
            link_fk,
            sa.ForeignKeyConstraint(
                ["user_id"], ["feedback_user.id"], name=op.f("fk_feedback_audit_user_id_feedback_user")
            ),
            pk,
        ]
    assert child == "feedback_urge"
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(link, sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        link_fk,
        sa.ForeignKeyConstraint(
            ["user_id"], ["feedback_user.id"], name=op.f("fk_feedback_urge_user_id_feedback_user")
        ),
        pk,
    ]


#: Indexes a child keeps through the rebuild, besides the one on its link column.
CHILD_INDEXES: dict[str, dict[str, list[str]]] = {
    "feedback_attachment": {},
    "feedback_audit": {"ix_feedback_audit_at": ["at"]},
    "feedback_urge": {},
}


def _copy(source: str, target: str, source_columns: Sequence[str], target_columns: Sequence[str]) -> None:
    """``INSERT INTO target (…) SELECT … FROM source``: every row, ids included."""
    select = sa.select(*(sa.column(name) for name in source_columns)).select_from(sa.table(source))
    insert = sa.table(target, *(sa.column(name) for name in target_columns)).insert()
    op.execute(insert.from_select(list(target_columns), select))


def _check_foreign_keys() -> None:
    """Refuse, naming them, rows that point at missing rows (written with foreign keys off)."""
    problems = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        shown = "; ".join(f"{table} rowid {rowid} → {parent}" for table, rowid, parent, _fk in problems[:10])
        raise RuntimeError(
            f"{len(problems)} rows point at rows that do not exist ({shown}): "
            "repair or delete them, then migrate again (nothing was changed)"
        )


def _rebuild(old: str, new: str) -> None:
    _check_foreign_keys()
    parent_old, parent_new = _parent(old), _parent(new)
    # 1. The parent under its new name, with every row; the old one stays while children point at it.
    op.create_table(parent_new, *_parent_table(new))
    for name, columns in _parent_indexes(new).items():
        op.create_index(name, parent_new, columns)
    _copy(parent_old, parent_new, PARENT_COLUMNS, PARENT_COLUMNS)
    # 2. Each child moved aside, created again pointing at the new parent, its rows copied back.
    for child in CHILDREN:
        aside = f"_old_{child}"
        op.rename_table(child, aside)
        op.create_table(child, *_child_table(child, new))
        op.create_index(_child_index(child, new), child, [f"{new}_id"])
        kept = CHILD_INDEXES[child]
        for name in kept:
            op.drop_index(name, table_name=aside)  # index names are database-wide in SQLite
        for name, columns in kept.items():
            op.create_index(name, child, columns)
        columns = [c.name for c in _child_table(child, new) if isinstance(c, sa.Column)]
        _copy(aside, child, [f"{old}_id" if c == f"{new}_id" else c for c in columns], columns)
        op.drop_table(aside)
    # 3. Nothing points at the old parent any more.
    op.drop_table(parent_old)
