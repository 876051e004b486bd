"""key-population file: the decision paper, and attachments (scans of papers) stored in the database

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("drug_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_kind", sa.String(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("decision_number", sa.String(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("decision_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("decision_station", sa.String(), nullable=False, server_default=""))
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("mime", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["drug_file.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index("ix_attachment_file", ["file_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index("ix_attachment_file")
    op.drop_table("attachment")
    with op.batch_alter_table("drug_file", schema=None) as batch_op:
        for column in ("decision_station", "decision_date", "decision_number", "decision_kind"):
            batch_op.drop_column(column)
