"""The tables of the 尿检通知 and 责任书 registers (tables.py imports them: one metadata, one schema). Imports
nothing of tables.py, so either may be imported first."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


__all__ = [
    "Agreement",
    "AgreementScan",
    "AgreementTemplate",
    "JurisdictionUnit",
    "UrineCorrection",
    "UrineMissed",
    "UrineNotice",
    "UrineRule",
]


class UrineRule(SQLModel, table=True):
    """How often a person under 社区戒毒 or 社区康复 is tested, by the year of the term (设置 → 尿检规则). The last
    year's interval also holds for any later year of a longer term."""

    __tablename__ = "urine_rule"
    __table_args__ = (UniqueConstraint("basis", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    basis: str  # CaseBasis: 社区戒毒 / 社区康复
    year: int  # 1, 2, 3 …
    interval_months: int


class UrineNotice(SQLModel, table=True):
    """A urine-test notice (尿检通知书): numbered per year, for one scheduled test of a case, with the window and
    the place it was issued with, and its steps 已开具 → 已送达 → 已检测, or 作废."""

    __tablename__ = "urine_notice"
    __table_args__ = (
        UniqueConstraint("year", "seq"),
        Index("ix_urine_notice_case", "case_id", "due_on"),
        Index("ix_urine_notice_window", "window_to"),
    )
    id: int | None = Field(default=None, primary_key=True)
    year: int
    seq: int
    case_id: int = Field(
        sa_column=Column(Integer, ForeignKey("aftercare_case.id", ondelete="RESTRICT"), nullable=False)
    )
    due_on: dt.date  # the scheduled test this notice is for (the first day of its window)
    window_from: dt.date
    window_to: dt.date
    interval_months: int  # the rule it was issued under: a later rule change leaves it alone
    place: str
    state: str  # NoticeState
    issued_on: dt.date
    delivered_on: dt.date | None = None
    delivered_how: str = ""  # DeliveryHow
    delivered_by: str = ""
    tested_on: dt.date | None = None
    tester: str = ""
    test_unit: str = ""
    result: str = ""  # UrineResult
    voided_on: dt.date | None = None
    void_reason: str = ""
    prints: int = 0
    created_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


class UrineCorrection(SQLModel, table=True):
    """A correction of a recorded step of a notice: dated, with its reason and what it replaced."""

    __tablename__ = "urine_correction"
    __table_args__ = (Index("ix_urine_correction_notice", "notice_id"),)
    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(
        sa_column=Column(Integer, ForeignKey("urine_notice.id", ondelete="RESTRICT"), nullable=False)
    )
    on: dt.date
    field: str
    before: str
    after: str
    reason: str
    created_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


class UrineMissed(SQLModel, table=True):
    """A scheduled test whose window closed with no notice issued (逾期未检), recorded with what was done about it:
    a warning (告诫), the person could not be reached (未通知到), or another reason. It stays a test not done in
    尿检率; the record says why, and keeps the test off the list of tests still to record."""

    __tablename__ = "urine_missed"
    __table_args__ = (UniqueConstraint("case_id", "due_on"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(
        sa_column=Column(Integer, ForeignKey("aftercare_case.id", ondelete="RESTRICT"), nullable=False)
    )
    due_on: dt.date
    window_to: dt.date
    recorded_on: dt.date
    action: str  # MissedAction
    reason: str
    created_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


class AgreementTemplate(SQLModel, table=True):
    """One version of an agreement type's text. Editing makes a new version; an agreement keeps the version it
    was generated with, so it prints the same years later."""

    __tablename__ = "agreement_template"
    __table_args__ = (UniqueConstraint("type", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    type: str  # AgreementType
    version: int
    title: str
    body: str  # clauses with {甲方}, {乙方}, {年度} … placeholders
    copies: int = 2  # 一式N份
    created_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


class Agreement(SQLModel, table=True):
    """An agreement for one party and year: numbered per year (2026-责-0001), with the names of both parties as
    they were when it was generated, and its steps 草拟 → 已打印 → 已签订 → 已归档, or 作废 with a reason."""

    __tablename__ = "agreement"
    __table_args__ = (
        UniqueConstraint("year", "seq"),
        Index("ix_agreement_party", "year", "type", "party_kind", "party_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    year: int
    seq: int
    type: str  # AgreementType
    template_id: int = Field(
        sa_column=Column(Integer, ForeignKey("agreement_template.id", ondelete="RESTRICT"), nullable=False)
    )
    party_kind: str  # village / group / household / place
    party_id: int
    village_id: int | None = None  # for coverage by village and group, and batch printing
    group_id: int | None = None
    first_party: str  # 甲方, as printed
    second_party: str  # 乙方, as printed
    details: str = ""  # the other placeholders' values (JSON), as printed
    state: str  # AgreementState
    generated_on: dt.date
    prints: int = 0
    printed_on: dt.date | None = None
    signed_on: dt.date | None = None
    signed_by: str = ""
    witness: str = ""
    filed_on: dt.date | None = None
    filed_where: str = ""
    voided_on: dt.date | None = None
    void_reason: str = ""
    created_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


class AgreementScan(SQLModel, table=True):
    """A scan or photo of a signed agreement, kept inside the encrypted database like the key-file scans."""

    __tablename__ = "agreement_scan"
    __table_args__ = (Index("ix_agreement_scan_agreement", "agreement_id"),)
    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(
        sa_column=Column(Integer, ForeignKey("agreement.id", ondelete="RESTRICT"), nullable=False)
    )
    name: str
    mime: str
    size: int
    data: bytes = Field(sa_type=LargeBinary)
    added_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


class JurisdictionUnit(SQLModel, table=True):
    """A unit in a village's area (辖区单位: a school, a company, an office, a clinic) that signs a 辖区单位禁毒责任书
    with the village each year."""

    __tablename__ = "jurisdiction_unit"
    __table_args__ = (UniqueConstraint("village_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(
        sa_column=Column(Integer, ForeignKey("village.id", ondelete="RESTRICT"), nullable=False)
    )
    name: str
    kind: str  # UnitKind
    contact: str = ""  # its head, who signs
    phone: str = ""
    active: bool = True
