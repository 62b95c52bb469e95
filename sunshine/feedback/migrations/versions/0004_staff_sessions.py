"""staff sessions kept on the server, and failed sign-ins counted per account

Two new tables, no change to the existing ones:

* ``feedback_staff_session`` — one row per sign-in, keyed by the sha256 of
  the random token in the browser's cookie; checked on every staff request
  and revoked at logout, password change and account disable.
* ``feedback_login_throttle`` — failed sign-ins per account name (hashed),
  shared by every worker and server, from which the growing wait between
  attempts is computed.

Downgrading drops both: everyone signed in is signed out, and the counts of
failed sign-ins start again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback_staff_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["feedback_user.id"], name=op.f("fk_feedback_staff_session_user_id_feedback_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_staff_session")),
    )
    with op.batch_alter_table("feedback_staff_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_staff_session_user_id"), ["user_id"], unique=False)
    op.create_table(
        "feedback_login_throttle",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_feedback_login_throttle")),
    )


def downgrade() -> None:
    op.drop_table("feedback_login_throttle")
    with op.batch_alter_table("feedback_staff_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_staff_session_user_id"))
    op.drop_table("feedback_staff_session")
