"""The township's rosters filed with the county (造册备案): the 帮教小组成员名册 drawn from the open cases' groups,
and the kept lists of 毒情信息员 and 禁毒宣传员 (who serves, where, since when; ending a service keeps the row)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import select

from desktop.db import Database
from desktop.errors import Problem, ValidationFailed, before, choice
from desktop.models import AftercareCase, AftercareMember, Person, RosterEntry, Village
from desktop.models.enums import RosterKind, Sex
from desktop.models.phone import PhoneError, normalise_phone
from desktop.models.units import clean
from desktop.services.auth import Permission, require


@dataclass(frozen=True)
class RosterRow:
    id: int
    kind: str
    name: str
    sex: str
    village: str
    unit: str
    phone: str
    since: dt.date
    until: dt.date | None
    notes: str


def add_entry(
    db: Database,
    *,
    kind: str,
    name: str,
    since: dt.date,
    sex: str = "",
    village: str = "",
    unit: str = "",
    phone: str = "",
    notes: str = "",
    today: dt.date | None = None,
) -> int:
    require(db, Permission.WRITE)
    problems = []
    if kind not in {k.value for k in RosterKind}:
        problems.append(choice("roster_kind", kind, [k.value for k in RosterKind]))
    if not clean(name):
        problems.append(Problem("name", "required", {}))
    if sex and sex not in {s.value for s in Sex}:
        problems.append(choice("sex", sex, [s.value for s in Sex]))
    if since > (today or dt.date.today()):
        problems.append(Problem("roster_since", "date_in_future", {"value": since.isoformat()}))
    try:
        phone = normalise_phone(phone)
    except PhoneError:
        problems.append(Problem("phone", "phone_format", {"value": phone}))
    with db.session() as s:
        village_id = None
        if clean(village):
            village_id = s.exec(select(Village.id).where(Village.name == clean(village))).first()
            if village_id is None:
                problems.append(Problem("village", "unknown_village", {"value": village}))
        if problems:
            raise ValidationFailed(problems)
        row = RosterEntry(
            kind=kind,
            name=clean(name),
            sex=sex,
            village_id=village_id,
            unit=clean(unit),
            phone=phone,
            since=since,
            notes=clean(notes),
        )
        s.add(row)
        s.flush()
        return row.id


def end_entry(db: Database, entry_id: int, *, until: dt.date, today: dt.date | None = None) -> None:
    """The person no longer serves (解聘、调离): the row stays, with its end, for the record."""
    require(db, Permission.WRITE)
    with db.session() as s:
        row = s.get(RosterEntry, entry_id)
        if until > (today or dt.date.today()):
            raise ValidationFailed([Problem("roster_until", "date_in_future", {"value": until.isoformat()})])
        if until < row.since:
            raise ValidationFailed([before("roster_until", until, "聘任日期", row.since)])
        row.until = until


def entries(db: Database, kind: str, *, serving_on: dt.date | None = None) -> list[RosterRow]:
    """The roster of one kind, by village then name; with `serving_on`, only those serving that day."""
    require(db, Permission.READ)
    with db.session() as s:
        rows = s.exec(
            select(RosterEntry, Village.name)
            .join(Village, Village.id == RosterEntry.village_id, isouter=True)
            .where(RosterEntry.kind == kind)
            .order_by(Village.sort_order, Village.id, RosterEntry.name, RosterEntry.id)
        ).all()
    out = [
        RosterRow(e.id, e.kind, e.name, e.sex, v or "", e.unit, e.phone, e.since, e.until, e.notes)
        for e, v in rows
    ]
    if serving_on is not None:
        out = [r for r in out if r.since <= serving_on and (r.until is None or r.until > serving_on)]
    return out


@dataclass(frozen=True)
class GroupRosterRow:
    case_id: int
    subject: str  # the person the group helps
    basis: str
    role: str
    name: str
    unit: str
    phone: str
    first_responsible: bool
    since: dt.date


def group_roster(db: Database, *, on: dt.date | None = None) -> list[GroupRosterRow]:
    """帮教小组成员名册: who serves in each open case's group on `on`, case by case, first responsible first."""
    require(db, Permission.READ)
    on = on or dt.date.today()
    with db.session() as s:
        rows = s.exec(
            select(AftercareMember, AftercareCase.basis, Person.name)
            .join(AftercareCase, AftercareCase.id == AftercareMember.case_id)
            .join(Person, Person.id == AftercareCase.person_id)
            .where(AftercareCase.ended_on.is_(None), AftercareMember.since <= on)
            .where((AftercareMember.until.is_(None)) | (AftercareMember.until > on))
            .order_by(
                Person.name, AftercareCase.id, AftercareMember.first_responsible.desc(), AftercareMember.id
            )
        ).all()
    return [
        GroupRosterRow(
            m.case_id, subject, basis, m.role, m.name, m.unit, m.phone, m.first_responsible, m.since
        )
        for m, basis, subject in rows
    ]


def cases_without_group(db: Database, *, on: dt.date | None = None) -> list[tuple[int, str, str]]:
    """(case id, person, basis) of the open cases with nobody serving in their group on `on`: the roster lists
    them as 未组建, so the paper and the tab count the same people."""
    require(db, Permission.READ)
    on = on or dt.date.today()
    with db.session() as s:
        serving = (
            select(AftercareMember.case_id)
            .where(AftercareMember.since <= on)
            .where((AftercareMember.until.is_(None)) | (AftercareMember.until > on))
        )
        rows = s.exec(
            select(AftercareCase.id, Person.name, AftercareCase.basis)
            .join(Person, Person.id == AftercareCase.person_id)
            .where(AftercareCase.ended_on.is_(None), AftercareCase.id.not_in(serving))
            .order_by(Person.name, AftercareCase.id)
        ).all()
    return [tuple(r) for r in rows]


@dataclass(frozen=True)
class KnownMember:
    role: str
    name: str
    unit: str
    phone: str
    cases: int  # in how many open cases' groups they serve now

    @property
    def label(self) -> str:
        where = f"，{self.unit}" if self.unit else ""
        return f"{self.name}（{self.role}{where}，帮教{self.cases}人）"


def known_members(db: Database, *, on: dt.date | None = None) -> list[KnownMember]:
    """People already serving in a group: a member can serve several cases, so a new group picks from these."""
    rows = group_roster(db, on=on)
    counts: dict[tuple, int] = {}
    for r in rows:
        key = (r.role, r.name, r.unit, r.phone)
        counts[key] = counts.get(key, 0) + 1
    return sorted((KnownMember(*key, n) for key, n in counts.items()), key=lambda k: (k.role, k.name))
