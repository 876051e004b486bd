"""aftercare (帮教): cases, group members with their service history, talks; the township's aftercare rules

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("township", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "aftercare_required_roles",
                sa.String(),
                nullable=False,
                server_default="社区民警,村(社区)干部,家庭成员/监护人",
            )
        )
        batch_op.add_column(
            sa.Column("talk_interval_days", sa.Integer(), nullable=False, server_default="30")
        )
        batch_op.add_column(
            sa.Column("aftercare_term_years", sa.Integer(), nullable=False, server_default="3")
        )
    op.create_table(
        "aftercare_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(), nullable=False),
        sa.Column("decision_on", sa.Date(), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("term_years", sa.Integer(), nullable=False),
        sa.Column("facility", sa.String(), nullable=False),
        sa.Column("handover_notice_on", sa.Date(), nullable=True),
        sa.Column("group_formed_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_kind", sa.String(), nullable=False),
        sa.Column("end_paper", sa.String(), nullable=False),
        sa.Column("end_notified_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("aftercare_case", schema=None) as batch_op:
        batch_op.create_index("ix_aftercare_case_person", ["person_id"], unique=False)
    op.create_table(
        "aftercare_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("first_responsible", sa.Boolean(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["aftercare_case.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("aftercare_member", schema=None) as batch_op:
        batch_op.create_index("ix_aftercare_member_case", ["case_id"], unique=False)
    op.create_table(
        "aftercare_talk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("by_whom", sa.String(), nullable=False),
        sa.Column("thinking", sa.String(), nullable=False),
        sa.Column("income", sa.String(), nullable=False),
        sa.Column("contacts", sa.String(), nullable=False),
        sa.Column("whereabouts", sa.String(), nullable=False),
        sa.Column("behaviour", sa.String(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["aftercare_case.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("aftercare_talk", schema=None) as batch_op:
        batch_op.create_index("ix_aftercare_talk_case", ["case_id", "held_on"], unique=False)


def downgrade() -> None:
    for table, index in (
        ("aftercare_talk", "ix_aftercare_talk_case"),
        ("aftercare_member", "ix_aftercare_member_case"),
        ("aftercare_case", "ix_aftercare_case_person"),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(index)
        op.drop_table(table)
    with op.batch_alter_table("township", schema=None) as batch_op:
        for column in ("aftercare_term_years", "talk_interval_days", "aftercare_required_roles"):
            batch_op.drop_column(column)
