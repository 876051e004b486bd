"""The tables of the 考核 work (tables.py imports them: one metadata, one schema): the year's targets, 脱毒认定,
and the records the plans ask each township to keep — 宣传教育 activities and 知晓率 surveys, meetings of the
党政研究排查毒情 system, 重大毒情报告, 禁种铲毒 inspections and 人户分离 delegations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, DateTime, ForeignKey, Integer, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


__all__ = [
    "AssessmentTarget",
    "AssessmentYear",
    "AwarenessSurvey",
    "Delegation",
    "DetoxDecision",
    "DrugMeeting",
    "EducationActivity",
    "EducationPhoto",
    "MajorReport",
    "PlantCheck",
]


def _village() -> Field:
    return Field(
        default=None, sa_column=Column(Integer, ForeignKey("village.id", ondelete="RESTRICT"), nullable=True)
    )


class AssessmentTarget(SQLModel, table=True):
    """A target of the year's work plan changed from its default (设置 → 年度考核目标); a figure without a row
    here is judged by the plan's default (services/assessment_targets.py)."""

    __tablename__ = "assessment_target"
    __table_args__ = (UniqueConstraint("year", "figure"),)
    id: int | None = Field(default=None, primary_key=True)
    year: int
    figure: str  # a key of assessment_targets.DEFAULTS
    value: float


class AssessmentYear(SQLModel, table=True):
    """The year's plan beyond its targets: the baseline year new drug users are compared with, and the text the
    clerk writes for the year-end report."""

    __tablename__ = "assessment_year"
    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(unique=True)
    baseline_year: int | None = None  # None: the year before
    summary: str = ""


class DetoxDecision(SQLModel, table=True):
    """脱毒认定: a key person found free of drugs — when, on what basis, who decided; the status it set (if the
    clerk chose to change it) is in the file's history."""

    __tablename__ = "detox_decision"
    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(
        sa_column=Column(Integer, ForeignKey("drug_file.id", ondelete="RESTRICT"), nullable=False)
    )
    decided_on: dt.date
    basis: str  # what it rests on: tests, the term completed without relapse, the police's finding
    decided_by: str  # the body or person that decided
    notes: str = ""
    created_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


class EducationActivity(SQLModel, table=True):
    """A prevention-education activity (禁毒宣传教育): 6·26, the school-start lesson, a film, posters, a meeting."""

    __tablename__ = "education_activity"
    id: int | None = Field(default=None, primary_key=True)
    held_on: dt.date
    kind: str  # ActivityKind
    place: str
    village_id: int | None = _village()  # None: township-wide
    audience: str  # Audience
    head_count: int
    notes: str = ""


class EducationPhoto(SQLModel, table=True):
    """A photo of an activity, kept inside the encrypted database like the scans."""

    __tablename__ = "education_photo"
    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(
        sa_column=Column(Integer, ForeignKey("education_activity.id", ondelete="CASCADE"), nullable=False)
    )
    name: str
    mime: str
    size: int
    data: bytes = Field(sa_type=LargeBinary)
    added_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


class AwarenessSurvey(SQLModel, table=True):
    """A 知晓率 survey: how many of an audience group were asked, and how many knew the answers."""

    __tablename__ = "awareness_survey"
    id: int | None = Field(default=None, primary_key=True)
    held_on: dt.date
    audience: str  # Audience
    village_id: int | None = _village()
    sample_size: int
    aware: int  # answered correctly
    notes: str = ""


class DrugMeeting(SQLModel, table=True):
    """A meeting of the 党政研究排查毒情 system: who, what was decided."""

    __tablename__ = "drug_meeting"
    id: int | None = Field(default=None, primary_key=True)
    held_on: dt.date
    chaired_by: str
    attendees: str
    decisions: str


class MajorReport(SQLModel, table=True):
    """重大毒情报告: what was found, when, and to whom it was reported when."""

    __tablename__ = "major_report"
    id: int | None = Field(default=None, primary_key=True)
    found_on: dt.date
    what: str
    village_id: int | None = _village()
    reported_to: str
    reported_on: dt.date


class PlantCheck(SQLModel, table=True):
    """A 禁种铲毒 inspection: where, what was found, how many plants destroyed."""

    __tablename__ = "plant_check"
    id: int | None = Field(default=None, primary_key=True)
    checked_on: dt.date
    village_id: int | None = _village()
    area: str
    findings: str
    plants_destroyed: int = 0


class Delegation(SQLModel, table=True):
    """人户分离 委托管理: a person registered here and living elsewhere (委托外地), or registered elsewhere and
    living here (受托管理). A delegated case is counted where it is managed."""

    __tablename__ = "delegation"
    id: int | None = Field(default=None, primary_key=True)
    direction: str  # DelegationDirection
    person_name: str
    id_number: str
    person_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("person.id", ondelete="RESTRICT"), nullable=True)
    )
    other_township: str
    letter: str  # the letter's number
    from_on: dt.date
    until_on: dt.date | None = None
