"""辖区单位: the units of each village's area (schools, companies, offices, clinics) and the ready-made text of
the 辖区单位禁毒责任书 they sign with the village

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KIND = "辖区单位禁毒责任书"


def upgrade() -> None:
    import datetime as dt

    from desktop.models.agreement_texts import TEXTS

    op.create_table(
        "jurisdiction_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("contact", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["village_id"], ["village.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("village_id", "name"),
    )
    templates = sa.table(
        "agreement_template",
        sa.column("type", sa.String),
        sa.column("version", sa.Integer),
        sa.column("title", sa.String),
        sa.column("body", sa.String),
        sa.column("copies", sa.Integer),
        sa.column("created_at", sa.DateTime),
    )
    title, body = TEXTS[KIND]
    op.bulk_insert(
        templates,
        [{"type": KIND, "version": 1, "title": title, "body": body, "copies": 2,
          "created_at": dt.datetime.now().replace(microsecond=0)}],
    )  # fmt: skip


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM agreement_template WHERE type = :k").bindparams(k=KIND))
    op.drop_table("jurisdiction_unit")
