"""Alembic environment: always run programmatically with a connection from sunshine.feedback.db.upgrade."""

from __future__ import annotations

from alembic import context

import sunshine.ledger.models  # noqa: F401 - the case ledger's tables share the feedback server's Base
from sunshine.feedback.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `python build.py db upgrade` (sunshine.feedback.db.upgrade)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
