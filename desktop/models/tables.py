"""The schema. Alembic migrations in `desktop/migrations` create and upgrade it; these classes describe it.

Admin units (township → village/community → group), households and persons now; the four registers hang
their records on a person (`person.id`) and a household (`household.id`). A person is unique by ID number.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, LargeBinary, UniqueConstraint, event
from sqlmodel import Field, SQLModel

# the other registers' tables (尿检通知, 责任书) and the county exchange's live beside these, on one metadata
from desktop.models.assessment_tables import *  # noqa: E402, F403
from desktop.models.exchange_tables import *  # noqa: E402, F403
from desktop.models.register_tables import *  # noqa: E402, F403
from desktop.models.register_tables import _now  # noqa: E402


class Township(SQLModel, table=True):
    """The one township this installation serves (a single row, id 1)."""

    __tablename__ = "township"
    id: int | None = Field(default=None, primary_key=True)
    county_name: str
    township_name: str
    code: str = ""  # statistical division code of the township (9 or 12 digits), optional
    is_demo: bool = False  # synthetic demo data: never mixed with real records
    # the county's installation: it imports the townships' bundles instead of keeping registers of its own
    is_county: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    idle_lock_minutes: int = Field(default=10, sa_column_kwargs={"server_default": "10"})
    # 帮教落实: the roles a group must have (comma-separated); how often a case needs a talk; the default term
    aftercare_required_roles: str = Field(
        default="社区民警,村（社区）干部,家庭成员/监护人",
        sa_column_kwargs={"server_default": "社区民警,村（社区）干部,家庭成员/监护人"},
    )
    talk_interval_days: int = Field(default=30, sa_column_kwargs={"server_default": "30"})
    aftercare_term_years: int = Field(default=3, sa_column_kwargs={"server_default": "3"})
    urine_place: str = Field(default="", sa_column_kwargs={"server_default": ""})  # where notices send people
    created_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


class Village(SQLModel, table=True):
    __tablename__ = "village"
    __table_args__ = (
        UniqueConstraint("code"),
        UniqueConstraint("name"),
        Index("ix_village_order", "sort_order", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str
    name: str
    kind: str  # VillageKind
    sort_order: int = 0


class VillageGroup(SQLModel, table=True):
    """A villagers' group (村民小组) or residents' group (居民小组)."""

    __tablename__ = "village_group"
    __table_args__ = (
        UniqueConstraint("village_id", "code"),
        UniqueConstraint("village_id", "name"),
        Index("ix_group_order", "village_id", "sort_order", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(
        sa_column=Column(Integer, ForeignKey("village.id", ondelete="RESTRICT"), nullable=False, index=True)
    )
    code: str
    name: str
    sort_order: int = 0


class Household(SQLModel, table=True):
    __tablename__ = "household"
    __table_args__ = (UniqueConstraint("group_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("village_group.id", ondelete="RESTRICT"), nullable=False, index=True
        )
    )
    number: str  # 户号 within the group
    address: str
    created_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)
    updated_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


class Person(SQLModel, table=True):
    __tablename__ = "person"
    __table_args__ = (
        UniqueConstraint("id_number"),
        Index("ix_person_name", "name"),
        Index("ix_person_household", "household_id"),
        # pinyin initials list in this order: the first page of "w" is read off the index (migration 0016)
        Index("ix_person_initials_name", "name_initials", "name"),
    )
    id: int | None = Field(default=None, primary_key=True)
    id_number: str  # 18 characters, normalised and validated (desktop.models.idnumber)
    name: str
    # 'ZS' for 张三: searched when the clerk types letters (desktop.models.pinyin). Set by the ORM hook below
    # and by every bulk insert of persons.
    name_initials: str = Field(default="", sa_column_kwargs={"server_default": ""})
    sex: str  # Sex, derived from the ID number
    birth_date: dt.date  # derived from the ID number
    household_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("household.id", ondelete="RESTRICT"), nullable=True),
    )
    relation: str = "户主"  # Relation to the household head
    residence_type: str = "常住"  # ResidenceType
    work_away_place: str = ""
    phone: str = ""
    state: str = "在册"  # PersonState; never hard-deleted
    notes: str = ""
    registered_on: dt.date | None = None  # 登记日期
    created_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)
    updated_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


@event.listens_for(Person, "before_insert")
@event.listens_for(Person, "before_update")
def _set_initials(_mapper, _connection, person: Person) -> None:
    from desktop.models.pinyin import initials

    person.name_initials = initials(person.name)


class DrugFile(SQLModel, table=True):
    """The key-population file (重点人员档案, 一人一档) of one drug-involved person."""

    __tablename__ = "drug_file"
    __table_args__ = (UniqueConstraint("person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(
        sa_column=Column(Integer, ForeignKey("person.id", ondelete="RESTRICT"), nullable=False)
    )
    category: str  # DrugCategory
    first_found_on: dt.date
    created_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)
    # 责令社区戒毒 / 社区康复决定书
    decision_kind: str = Field(default="", sa_column_kwargs={"server_default": ""})
    decision_number: str = Field(default="", sa_column_kwargs={"server_default": ""})
    decision_date: dt.date | None = None
    decision_station: str = Field(default="", sa_column_kwargs={"server_default": ""})


class DrugStatusEntry(SQLModel, table=True):
    """One entry of a key person's status history; the latest by date (then id) is the current status."""

    __tablename__ = "drug_status_entry"
    __table_args__ = (Index("ix_drug_status_file_since", "file_id", "since"),)
    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(
        sa_column=Column(Integer, ForeignKey("drug_file.id", ondelete="RESTRICT"), nullable=False)
    )
    status: str  # DrugStatus
    since: dt.date
    reason: str = ""
    created_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


class UserAccount(SQLModel, table=True):
    """A person who logs in. The key material and lock-out counters live in the key store, not here."""

    __tablename__ = "user_account"
    __table_args__ = (UniqueConstraint("username"),)
    id: int | None = Field(default=None, primary_key=True)
    username: str
    display_name: str
    role: str  # Role
    active: bool = True
    created_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)
    updated_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


class AuditEntry(SQLModel, table=True):
    """One hash-chained entry of the audit trail; written only by `desktop.audit`, never updated."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entity", "entity", "entity_id"),
        Index("ix_audit_user_at", "username", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    at: str  # ISO timestamp, seconds
    username: str
    action: str  # create | update | delete | login | login_failed | view_full_id | print | export | …
    entity: str = ""  # table name
    entity_id: int | None = None
    before: str = ""  # JSON of the changed columns before
    after: str = ""  # JSON after
    detail: str = ""
    prev_hash: str
    hash: str


class Attachment(SQLModel, table=True):
    """A scan of a paper in a person's file, stored in the (encrypted) database, never as a loose file."""

    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_file", "file_id"),)
    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(
        sa_column=Column(Integer, ForeignKey("drug_file.id", ondelete="RESTRICT"), nullable=False)
    )
    name: str
    mime: str
    size: int
    data: bytes = Field(sa_type=LargeBinary)
    added_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


class Campaign(SQLModel, table=True):
    """A screening campaign (毒情大排查): every household of the villages in scope is visited."""

    __tablename__ = "campaign"
    __table_args__ = (UniqueConstraint("name"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str
    start_on: dt.date
    end_on: dt.date
    created_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


class CampaignVillage(SQLModel, table=True):
    __tablename__ = "campaign_village"
    campaign_id: int = Field(
        sa_column=Column(Integer, ForeignKey("campaign.id", ondelete="RESTRICT"), primary_key=True)
    )
    village_id: int = Field(
        sa_column=Column(Integer, ForeignKey("village.id", ondelete="RESTRICT"), primary_key=True)
    )


class KeyPlace(SQLModel, table=True):
    """A key place (重点场所): KTV, entertainment, catering, beauty and hair, internet café."""

    __tablename__ = "key_place"
    __table_args__ = (UniqueConstraint("village_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(
        sa_column=Column(Integer, ForeignKey("village.id", ondelete="RESTRICT"), nullable=False)
    )
    name: str
    kind: str  # PlaceKind
    address: str = ""
    owner: str = ""
    phone: str = ""
    active: bool = True


class Screening(SQLModel, table=True):
    """One visit of a campaign: to a household or to a key place, with its result."""

    __tablename__ = "screening"
    __table_args__ = (
        UniqueConstraint("campaign_id", "household_id"),
        UniqueConstraint("campaign_id", "place_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(
        sa_column=Column(Integer, ForeignKey("campaign.id", ondelete="RESTRICT"), nullable=False)
    )
    household_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("household.id", ondelete="RESTRICT"), nullable=True),
    )
    place_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("key_place.id", ondelete="RESTRICT"), nullable=True),
    )
    screened_on: dt.date
    screener: str
    result: str  # ScreeningResult
    notes: str = ""


class AftercareCase(SQLModel, table=True):
    """An aftercare case (帮教对象): its basis, its deadlines, its end."""

    __tablename__ = "aftercare_case"
    __table_args__ = (Index("ix_aftercare_case_person", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(
        sa_column=Column(Integer, ForeignKey("person.id", ondelete="RESTRICT"), nullable=False)
    )
    basis: str  # 社区戒毒 / 社区康复 / 出所
    decision_on: dt.date | None = None  # 责令社区戒毒（康复）决定书: the person reports within 15 days
    reported_on: dt.date | None = None
    start_on: dt.date
    term_years: int = 3
    facility: str = ""  # the rehab facility that sent the handover notice (出所通知)
    handover_notice_on: dt.date | None = None  # the group is formed when the notice arrives (接茬)
    group_formed_on: dt.date | None = None
    ended_on: dt.date | None = None
    end_kind: str = ""  # 解除 / 终止
    end_paper: str = ""
    end_notified_on: dt.date | None = None  # the township is notified within 7 days of the end of the term
    agreement_signed_on: dt.date | None = (
        None  # the 帮教协议书 signed by the parties (counts in 责任书 coverage)
    )
    created_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


class AftercareMember(SQLModel, table=True):
    """A member of a case's group for a period; replacing a member ends one row and starts another."""

    __tablename__ = "aftercare_member"
    __table_args__ = (Index("ix_aftercare_member_case", "case_id"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(
        sa_column=Column(Integer, ForeignKey("aftercare_case.id", ondelete="RESTRICT"), nullable=False)
    )
    role: str  # MemberRole
    name: str
    unit: str = ""
    phone: str = ""
    first_responsible: bool = False
    since: dt.date
    until: dt.date | None = None


class AftercareTalk(SQLModel, table=True):
    """A talk or visit (谈心 / 家访 / 电话) and the five things the group must know."""

    __tablename__ = "aftercare_talk"
    __table_args__ = (Index("ix_aftercare_talk_case", "case_id", "held_on"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(
        sa_column=Column(Integer, ForeignKey("aftercare_case.id", ondelete="RESTRICT"), nullable=False)
    )
    held_on: dt.date
    kind: str
    by_whom: str
    thinking: str = ""
    income: str = ""
    contacts: str = ""
    whereabouts: str = ""
    behaviour: str = ""
    notes: str = ""


class AftercareEmployment(SQLModel, table=True):
    """Employment help (就业安置): a job found for the person, with the employer and since when."""

    __tablename__ = "aftercare_employment"
    __table_args__ = (Index("ix_aftercare_employment_case", "case_id"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(
        sa_column=Column(Integer, ForeignKey("aftercare_case.id", ondelete="RESTRICT"), nullable=False)
    )
    job: str
    employer: str = ""
    since: dt.date
    until: dt.date | None = None
    notes: str = ""


class AftercareReview(SQLModel, table=True):
    """A six-monthly summary (半年小结, half 1 or 2) or a yearly assessment (年度评估, half 0) of a case, with the
    risk the group judges (低 / 中 / 高). One of each per period."""

    __tablename__ = "aftercare_review"
    __table_args__ = (UniqueConstraint("case_id", "year", "half"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(
        sa_column=Column(Integer, ForeignKey("aftercare_case.id", ondelete="RESTRICT"), nullable=False)
    )
    year: int
    half: int  # 1 上半年, 2 下半年, 0 the yearly assessment
    written_on: dt.date
    risk: str  # RiskLevel
    text: str
    by_whom: str


class RosterEntry(SQLModel, table=True):
    """A member of a township roster filed with the county (造册备案): 毒情信息员 or 禁毒宣传员."""

    __tablename__ = "roster_entry"
    __table_args__ = (Index("ix_roster_entry_kind", "kind", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str  # RosterKind
    name: str
    sex: str = ""
    village_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("village.id", ondelete="RESTRICT"), nullable=True),
    )
    unit: str = ""  # unit and post
    phone: str = ""
    since: dt.date
    until: dt.date | None = None
    notes: str = ""
