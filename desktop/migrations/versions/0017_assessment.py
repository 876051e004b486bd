"""考核: the year's targets and plan, 脱毒认定, and the records the plans ask for — education activities and
their photos, awareness surveys, meetings, 重大毒情报告, 禁种铲毒 inspections, 人户分离 delegations

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _village() -> list:
    """A village the record belongs to (None: township-wide), and its key."""
    return [sa.Column("village_id", sa.Integer(), nullable=True)]


def _str(name: str) -> sa.Column:
    return sa.Column(name, sa.String(), nullable=False)


def _date(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Date(), nullable=nullable)


def _int(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "assessment_target", _id(), _int("year"), _str("figure"), sa.Column("value", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"), sa.UniqueConstraint("year", "figure"),
    )  # fmt: skip
    op.create_table(
        "assessment_year", _id(), _int("year"), sa.Column("baseline_year", sa.Integer(), nullable=True),
        _str("summary"), sa.PrimaryKeyConstraint("id"), sa.UniqueConstraint("year"),
    )  # fmt: skip
    op.create_table(
        "detox_decision", _id(), _int("file_id"), _date("decided_on"), _str("basis"), _str("decided_by"),
        _str("notes"), sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["drug_file.id"], ondelete="RESTRICT"), sa.PrimaryKeyConstraint("id"),
    )  # fmt: skip
    op.create_table(
        "education_activity", _id(), _date("held_on"), _str("kind"), _str("place"), *_village(), _str("audience"),
        _int("head_count"), _str("notes"), sa.ForeignKeyConstraint(["village_id"], ["village.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )  # fmt: skip
    op.create_table(
        "education_photo", _id(), _int("activity_id"), _str("name"), _str("mime"), _int("size"),
        sa.Column("data", sa.LargeBinary(), nullable=False), sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["education_activity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )  # fmt: skip
    op.create_table(
        "awareness_survey", _id(), _date("held_on"), _str("audience"), *_village(), _int("sample_size"),
        _int("aware"), _str("notes"), sa.ForeignKeyConstraint(["village_id"], ["village.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )  # fmt: skip
    op.create_table(
        "drug_meeting", _id(), _date("held_on"), _str("chaired_by"), _str("attendees"), _str("decisions"),
        sa.PrimaryKeyConstraint("id"),
    )  # fmt: skip
    op.create_table(
        "major_report", _id(), _date("found_on"), _str("what"), *_village(), _str("reported_to"),
        _date("reported_on"), sa.ForeignKeyConstraint(["village_id"], ["village.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )  # fmt: skip
    op.create_table(
        "plant_check", _id(), _date("checked_on"), *_village(), _str("area"), _str("findings"),
        _int("plants_destroyed"), sa.ForeignKeyConstraint(["village_id"], ["village.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )  # fmt: skip
    op.create_table(
        "delegation", _id(), _str("direction"), _str("person_name"), _str("id_number"),
        sa.Column("person_id", sa.Integer(), nullable=True), _str("other_township"), _str("letter"),
        _date("from_on"), _date("until_on", nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="RESTRICT"), sa.PrimaryKeyConstraint("id"),
    )  # fmt: skip


def downgrade() -> None:
    for table in ("delegation", "plant_check", "major_report", "drug_meeting", "awareness_survey",
                  "education_photo", "education_activity", "detox_decision", "assessment_year",
                  "assessment_target"):  # fmt: skip
        op.drop_table(table)
