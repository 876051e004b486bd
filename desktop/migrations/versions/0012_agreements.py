"""责任书: versioned templates (the ready-made texts as version 1), the agreements with their parties as printed
and their steps, and the scans of signed copies

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sa.String


def upgrade() -> None:
    import datetime as dt

    from desktop.models.agreement_texts import TEXTS

    templates = op.create_table(
        "agreement_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", S(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", S(), nullable=False),
        sa.Column("body", S(), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("type", "version"),
    )
    now = dt.datetime.now().replace(microsecond=0)
    op.bulk_insert(
        templates,
        [
            {"type": kind, "version": 1, "title": title, "body": body, "copies": 2, "created_at": now}
            for kind, (title, body) in TEXTS.items()
            if kind != "辖区单位禁毒责任书"  # added with its units' table in 0014
        ],
    )
    op.create_table(
        "agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", S(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("party_kind", S(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("first_party", S(), nullable=False),
        sa.Column("second_party", S(), nullable=False),
        sa.Column("details", S(), nullable=False),
        sa.Column("state", S(), nullable=False),
        sa.Column("generated_on", sa.Date(), nullable=False),
        sa.Column("prints", sa.Integer(), nullable=False),
        sa.Column("printed_on", sa.Date(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("signed_by", S(), nullable=False),
        sa.Column("witness", S(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("filed_where", S(), nullable=False),
        sa.Column("voided_on", sa.Date(), nullable=True),
        sa.Column("void_reason", S(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["template_id"], ["agreement_template.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "seq"),
    )
    op.create_index(
        "ix_agreement_party", "agreement", ["year", "type", "party_kind", "party_id"], unique=False
    )
    op.create_table(
        "agreement_scan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("name", S(), nullable=False),
        sa.Column("mime", S(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreement.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_agreement_scan_agreement", "agreement_scan", ["agreement_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_agreement_scan_agreement", table_name="agreement_scan")
    op.drop_table("agreement_scan")
    op.drop_index("ix_agreement_party", table_name="agreement")
    op.drop_table("agreement")
    op.drop_table("agreement_template")
