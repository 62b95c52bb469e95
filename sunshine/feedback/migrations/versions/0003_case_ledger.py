"""the case ledger (办件台账): events as they came, each case's derived state, API tokens

``ledger_event`` keeps every event of the case exchange (CASE-EXCHANGE.md)
verbatim with its parsed columns, append-only; ``ledger_case`` is each case's
state derived from its events (with the item's promised limit and steps as
they stood at its 受理); ``ledger_token`` holds the hashed bearer tokens of
the systems that send events.  New tables only: nothing existing changes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("center", sa.String(length=64), nullable=False),
        sa.Column("case_no", sa.String(length=64), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=True),
        sa.Column("department_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("applicant_name", sa.Text(), nullable=True),
        sa.Column("applicant_kind", sa.String(length=4), nullable=True),
        sa.Column("channel", sa.String(length=4), nullable=True),
        sa.Column("applied_at", sa.DateTime(), nullable=True),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("promised", sa.Integer(), nullable=True),
        sa.Column("steps", sa.JSON(), nullable=True),
        sa.Column("snapshot_at", sa.DateTime(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("pause_days", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by", sa.String(length=8), nullable=True),
        sa.Column("decision", sa.String(length=4), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("late_days", sa.Integer(), nullable=False),
        sa.Column("corrections", sa.Integer(), nullable=False),
        sa.Column("fee_count", sa.Integer(), nullable=False),
        sa.Column("fee_names", sa.Text(), nullable=True),
        sa.Column("late_steps", sa.Integer(), nullable=False),
        sa.Column("running_step", sa.Integer(), nullable=True),
        sa.Column("running_due", sa.Date(), nullable=True),
        sa.Column("no_reason", sa.Boolean(), nullable=False),
        sa.Column("has_steps", sa.Boolean(), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(), nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=False),
        sa.Column("signal_facts", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_case")),
        sa.UniqueConstraint("case_no", "center", name=op.f("uq_ledger_case_case_no")),
    )
    with op.batch_alter_table("ledger_case", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_case_center_status", ["center", "status"], unique=False)
        batch_op.create_index("ix_ledger_case_closed_at", ["closed_at"], unique=False)
        batch_op.create_index("ix_ledger_case_department_id", ["department_id"], unique=False)
        batch_op.create_index("ix_ledger_case_due_on", ["due_on"], unique=False)
        batch_op.create_index("ix_ledger_case_item_id", ["item_id"], unique=False)

    op.create_table(
        "ledger_event",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("center", sa.String(length=64), nullable=False),
        sa.Column("case_no", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=8), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=True),
        sa.Column("channel", sa.String(length=4), nullable=True),
        sa.Column("applicant_name", sa.Text(), nullable=True),
        sa.Column("applicant_kind", sa.String(length=4), nullable=True),
        sa.Column("step", sa.Text(), nullable=True),
        sa.Column("actor", sa.Text(), nullable=True),
        sa.Column("decision", sa.String(length=4), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("fee_name", sa.Text(), nullable=True),
        sa.Column("fee_amount", sa.String(length=32), nullable=True),
        sa.Column("fee_fen", sa.BigInteger(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_ledger_event")),
        sa.UniqueConstraint("id", name=op.f("uq_ledger_event_id")),
    )
    with op.batch_alter_table("ledger_event", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_event_case_no_center", ["case_no", "center"], unique=False)

    op.create_table(
        "ledger_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("center", sa.String(length=64), nullable=True),
        sa.Column("department_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_token")),
        sa.UniqueConstraint("name", name=op.f("uq_ledger_token_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_ledger_token_token_hash")),
    )


def downgrade() -> None:

    op.drop_table("ledger_token")
    with op.batch_alter_table("ledger_event", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_event_case_no_center")

    op.drop_table("ledger_event")
    with op.batch_alter_table("ledger_case", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_case_item_id")
        batch_op.drop_index("ix_ledger_case_due_on")
        batch_op.drop_index("ix_ledger_case_department_id")
        batch_op.drop_index("ix_ledger_case_closed_at")
        batch_op.drop_index("ix_ledger_case_center_status")

    op.drop_table("ledger_case")
