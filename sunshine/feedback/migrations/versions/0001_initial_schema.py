"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-25 10:49:09.104182
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback_counter",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_feedback_counter")),
    )
    op.create_table(
        "feedback_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("department_id", sa.String(length=64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_user")),
        sa.UniqueConstraint("username", name=op.f("uq_feedback_user_username")),
    )
    op.create_table(
        "feedback_case",
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
            ["reply_by_id"], ["feedback_user.id"], name=op.f("fk_feedback_case_reply_by_id_feedback_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_case")),
        sa.UniqueConstraint("number", name=op.f("uq_feedback_case_number")),
    )
    with op.batch_alter_table("feedback_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_case_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_case_department_id"), ["department_id"], unique=False)
        batch_op.create_index("ix_feedback_case_department_status", ["department_id", "status"], unique=False)
        batch_op.create_index("ix_feedback_case_status_kind", ["status", "kind"], unique=False)

    op.create_table(
        "feedback_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("mimetype", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback_case.id"], name=op.f("fk_feedback_attachment_case_id_feedback_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_attachment")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_feedback_attachment_stored_name")),
    )
    with op.batch_alter_table("feedback_attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_attachment_case_id"), ["case_id"], unique=False)

    op.create_table(
        "feedback_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("target", sa.String(length=128), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback_case.id"], name=op.f("fk_feedback_audit_case_id_feedback_case")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["feedback_user.id"], name=op.f("fk_feedback_audit_user_id_feedback_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_audit")),
    )
    with op.batch_alter_table("feedback_audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_audit_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_audit_case_id"), ["case_id"], unique=False)

    op.create_table(
        "feedback_urge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback_case.id"], name=op.f("fk_feedback_urge_case_id_feedback_case")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["feedback_user.id"], name=op.f("fk_feedback_urge_user_id_feedback_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_urge")),
    )
    with op.batch_alter_table("feedback_urge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_urge_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("feedback_urge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_urge_case_id"))

    op.drop_table("feedback_urge")
    with op.batch_alter_table("feedback_audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_audit_case_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_audit_at"))

    op.drop_table("feedback_audit")
    with op.batch_alter_table("feedback_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_attachment_case_id"))

    op.drop_table("feedback_attachment")
    with op.batch_alter_table("feedback_case", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_case_status_kind")
        batch_op.drop_index("ix_feedback_case_department_status")
        batch_op.drop_index(batch_op.f("ix_feedback_case_department_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_case_created_at"))

    op.drop_table("feedback_case")
    op.drop_table("feedback_user")
    op.drop_table("feedback_counter")
