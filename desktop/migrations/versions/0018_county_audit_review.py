"""The county's finding on a township whose audit trail stopped continuing the chain: who looked into it, when,
and what they found (kept, never changed; the flag stays on the township's line with the finding beside it)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "county_audit_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("township_id", sa.Integer(), nullable=False),
        sa.Column("import_seq", sa.Integer(), nullable=False),
        sa.Column("first_bad_audit_id", sa.Integer(), nullable=True),
        sa.Column("finding", sa.String(), nullable=False),
        sa.Column("reviewed_by", sa.String(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_county_audit_review_township", "county_audit_review", ["township_id", "import_seq"])


def downgrade() -> None:
    op.drop_index("ix_county_audit_review_township", table_name="county_audit_review")
    op.drop_table("county_audit_review")
