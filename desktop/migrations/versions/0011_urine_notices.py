"""尿检通知: the test rules by basis and year of the term (with the default table), the notices with their steps,
corrections of a recorded step, and the township's place of testing

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 社区戒毒 monthly, every 2, every 3 months (12 + 6 + 4 tests); 社区康复 every 2, 3, 6 months (6 + 4 + 2)
DEFAULT_RULES = (("社区戒毒", 1, 1), ("社区戒毒", 2, 2), ("社区戒毒", 3, 3), ("社区康复", 1, 2), ("社区康复", 2, 3),
                 ("社区康复", 3, 6))  # fmt: skip


def upgrade() -> None:
    rules = op.create_table(
        "urine_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("interval_months", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("basis", "year"),
    )
    op.bulk_insert(rules, [{"basis": b, "year": y, "interval_months": m} for b, y, m in DEFAULT_RULES])
    op.create_table(
        "urine_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("window_from", sa.Date(), nullable=False),
        sa.Column("window_to", sa.Date(), nullable=False),
        sa.Column("interval_months", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=True),
        sa.Column("delivered_how", sa.String(), nullable=False),
        sa.Column("delivered_by", sa.String(), nullable=False),
        sa.Column("tested_on", sa.Date(), nullable=True),
        sa.Column("tester", sa.String(), nullable=False),
        sa.Column("test_unit", sa.String(), nullable=False),
        sa.Column("result", sa.String(), nullable=False),
        sa.Column("voided_on", sa.Date(), nullable=True),
        sa.Column("void_reason", sa.String(), nullable=False),
        sa.Column("prints", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["aftercare_case.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "seq"),
    )
    op.create_index("ix_urine_notice_case", "urine_notice", ["case_id", "due_on"], unique=False)
    op.create_index("ix_urine_notice_window", "urine_notice", ["window_to"], unique=False)
    op.create_table(
        "urine_correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("before", sa.String(), nullable=False),
        sa.Column("after", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["notice_id"], ["urine_notice.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_urine_correction_notice", "urine_correction", ["notice_id"], unique=False)
    with op.batch_alter_table("township", schema=None) as batch_op:
        batch_op.add_column(sa.Column("urine_place", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    # SQLite drops a column in place (3.35+); batch mode would rebuild township
    op.execute("ALTER TABLE township DROP COLUMN urine_place")
    op.drop_index("ix_urine_correction_notice", table_name="urine_correction")
    op.drop_table("urine_correction")
    op.drop_index("ix_urine_notice_window", table_name="urine_notice")
    op.drop_index("ix_urine_notice_case", table_name="urine_notice")
    op.drop_table("urine_notice")
    op.drop_table("urine_rule")
