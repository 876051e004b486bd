"""Alembic environment: always handed a live connection by `desktop.db` (never reads alembic.ini)."""

from alembic import context
from sqlmodel import SQLModel

import desktop.models.tables  # noqa: F401 - registers the tables on SQLModel.metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("desktop.db runs the migrations with a connection; there is no offline mode")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode rebuilds the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
