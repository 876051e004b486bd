"""Households and residents: validated entry, duplicate checks, and nothing ever hard-deleted.

Rules live here, as data (`Problem`s), so the form, the Excel import and the command line refuse the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import select

from desktop.db import Database
from desktop.errors import Problem, ValidationFailed, choice
from desktop.models import DrugFile, DrugStatusEntry, Household, Person, Village, VillageGroup
from desktop.models.enums import Relation, ResidenceType
from desktop.models.idnumber import IdNumberError, parse
from desktop.models.phone import PhoneError, normalise_phone
from desktop.models.units import clean
from desktop.services.auth import Permission, require

NAME_MAX = 20


@dataclass
class ResidentDraft:
    """One resident with the household they live in, as the clerk or a spreadsheet row gives it."""

    village: str
    group: str
    household_number: str
    address: str
    name: str
    id_number: str
    relation: str = Relation.HEAD.value
    residence_type: str = ResidenceType.PERMANENT.value
    work_away_place: str = ""
    phone: str = ""
    notes: str = ""
    registered_on: dt.date | None = None


@dataclass(frozen=True)
class CleanResident:
    village_id: int
    group_id: int
    household_number: str
    address: str
    name: str
    id_number: str
    sex: str
    birth_date: dt.date
    relation: str
    residence_type: str
    work_away_place: str
    phone: str
    notes: str
    registered_on: dt.date | None


@dataclass
class UnitIndex:
    """Villages and groups by name (and code), loaded once for a whole import."""

    villages: dict[str, int] = field(default_factory=dict)
    groups: dict[tuple[int, str], int] = field(default_factory=dict)

    @classmethod
    def load(cls, s) -> UnitIndex:
        index = cls()
        for v in s.exec(select(Village)).all():
            index.villages[v.name] = v.id
            index.villages[v.code] = v.id
        for g in s.exec(select(VillageGroup)).all():
            index.groups[(g.village_id, g.name)] = g.id
            index.groups[(g.village_id, g.code)] = g.id
        return index


def check(
    draft: ResidentDraft, units: UnitIndex, *, today: dt.date | None = None
) -> tuple[CleanResident | None, list[Problem]]:
    """The cleaned resident, or every problem of the draft (field names as in the form and template)."""
    problems: list[Problem] = []
    village_id = units.villages.get(clean(draft.village))
    if village_id is None:
        problems.append(Problem("village", "unknown_village", {"value": draft.village}))
    group_id = units.groups.get((village_id, clean(draft.group))) if village_id else None
    if village_id and group_id is None:
        problems.append(Problem("group", "unknown_group", {"value": draft.group, "village": draft.village}))
    name = clean(draft.name)
    if not name:
        problems.append(Problem("name", "required", {}))
    elif len(name) > NAME_MAX:
        problems.append(Problem("name", "too_long", {"max": NAME_MAX}))
    number = clean(draft.household_number)
    if not number:
        problems.append(Problem("household_number", "required", {}))
    info = None
    try:
        info = parse(draft.id_number, today=today)
    except IdNumberError as exc:
        problems.append(Problem("id_number", f"id:{exc.reason.value}", {"value": draft.id_number}))
    residence = clean(draft.residence_type) or ResidenceType.PERMANENT.value
    if residence not in {r.value for r in ResidenceType}:
        problems.append(choice("residence_type", residence, ResidenceType))
    relation = clean(draft.relation) or Relation.HEAD.value
    if relation not in {r.value for r in Relation}:
        problems.append(choice("relation", relation, Relation))
    try:
        phone = normalise_phone(draft.phone)
    except PhoneError:
        problems.append(Problem("phone", "phone_format", {"value": draft.phone}))
        phone = ""
    if problems:
        return None, problems
    return CleanResident(
        village_id,
        group_id,
        number,
        clean(draft.address),
        name,
        info.value,
        info.sex.value,
        info.birth_date,
        relation,
        residence,
        clean(draft.work_away_place),
        phone,
        clean(draft.notes),
        draft.registered_on,
    ), []


def same_as_registered(person: Person, household: Household | None, c: CleanResident) -> bool:
    return (
        household is not None
        and household.group_id == c.group_id
        and household_key(household.number) == household_key(c.household_number)
        and (person.name, person.relation, person.residence_type, person.work_away_place, person.phone)
        == (c.name, c.relation, c.residence_type, c.work_away_place, c.phone)
    )


def likely_duplicates(db: Database, name: str, birth_date: dt.date, village_id: int) -> list[int]:
    """Persons with the same name and birth date in the same village (a warning, not a refusal)."""
    with db.session() as s:
        rows = s.exec(
            select(Person.id)
            .join(Household, Household.id == Person.household_id)
            .join(VillageGroup, VillageGroup.id == Household.group_id)
            .where(
                Person.name == name, Person.birth_date == birth_date, VillageGroup.village_id == village_id
            )
        ).all()
    return list(rows)


def household_key(number: str) -> str:
    """What makes two 户号 the same household in a group: "8", "08" and "000008" are one; other text as is."""
    return str(int(number)) if number.isdigit() else number


def existing_household(s, group_id: int, number: str) -> Household | None:
    """The group's household with this number, written with or without leading zeros."""
    found = s.exec(
        select(Household).where(Household.group_id == group_id, Household.number == number)
    ).first()
    if found is not None or not number.isdigit():
        return found
    for household in s.exec(select(Household).where(Household.group_id == group_id)).all():
        if household.number.isdigit() and int(household.number) == int(number):
            return household
    return None


def households_of_group(db: Database, group_id: int | None = None, *, village: str = "", group: str = ""):
    """(户号, 住址) of a group's households (by id, or by the village's and group's names as the form has
    them), in number order: the form suggests them while the clerk types."""
    require(db, Permission.READ)
    with db.session() as s:
        if group_id is None:
            group_id = s.exec(
                select(VillageGroup.id)
                .join(Village, Village.id == VillageGroup.village_id)
                .where(Village.name == village, VillageGroup.name == group)
            ).first()
            if group_id is None:
                return []
        rows = s.exec(select(Household.number, Household.address).where(Household.group_id == group_id)).all()
    return sorted(
        ((n, a or "") for n, a in rows), key=lambda r: (not r[0].isdigit(), household_key(r[0]).zfill(12))
    )


def household_for(s, c: CleanResident, created: dict) -> Household:
    """The household (group, number), made with the first resident that names it. A number typed without its
    leading zeros ("8") finds the household already registered as "000008" rather than making a second one."""
    key = (c.group_id, household_key(c.household_number))
    if key in created:
        return created[key]
    household = existing_household(s, c.group_id, c.household_number)
    if household is None:
        household = Household(group_id=c.group_id, number=c.household_number, address=c.address)
        s.add(household)
        s.flush()
    created[key] = household
    return household


def add_resident(db: Database, draft: ResidentDraft) -> int:
    """Register one resident (and their household if new); refused with every problem, or if the ID exists."""
    require(db, Permission.WRITE)
    with db.session() as s:
        c, problems = check(draft, UnitIndex.load(s))
        if problems:
            raise ValidationFailed(problems)
        if s.exec(select(Person.id).where(Person.id_number == c.id_number)).first() is not None:
            raise ValidationFailed([Problem("id_number", "id_registered", {"value": c.id_number})])
        household = household_for(s, c, {})
        person = Person(
            id_number=c.id_number,
            name=c.name,
            sex=c.sex,
            birth_date=c.birth_date,
            household_id=household.id,
            relation=c.relation,
            residence_type=c.residence_type,
            work_away_place=c.work_away_place,
            phone=c.phone,
            notes=c.notes,
            registered_on=c.registered_on,
        )
        s.add(person)
        s.flush()
        return person.id


@dataclass(frozen=True)
class ResidentRecord:
    """A resident as the form shows it. The ID number is full here: opening the form is an audited view."""

    id: int
    draft: ResidentDraft
    sex: str
    birth_date: dt.date
    state: str


def get_resident(db: Database, person_id: int) -> ResidentRecord:
    require(db, Permission.VIEW_FULL_ID)
    from desktop import audit

    with db.session() as s:
        p = s.get(Person, person_id)
        h = s.get(Household, p.household_id) if p.household_id else None
        g = s.get(VillageGroup, h.group_id) if h else None
        v = s.get(Village, g.village_id) if g else None
        audit.record(s, [audit.Change("view_full_id", "person", person_id, detail="打开居民登记表")])
        draft = ResidentDraft(
            village=v.name if v else "",
            group=g.name if g else "",
            household_number=h.number if h else "",
            address=h.address if h else "",
            name=p.name,
            id_number=p.id_number,
            relation=p.relation,
            residence_type=p.residence_type,
            work_away_place=p.work_away_place,
            phone=p.phone,
            notes=p.notes,
            registered_on=p.registered_on,
        )
        return ResidentRecord(p.id, draft, p.sex, p.birth_date, p.state)


def update_resident(db: Database, person_id: int, draft: ResidentDraft) -> None:
    """Save the form: corrections, a new household (moving the person), a new ID number if it was mistyped."""
    require(db, Permission.WRITE)
    with db.session() as s:
        c, problems = check(draft, UnitIndex.load(s))
        if problems:
            raise ValidationFailed(problems)
        other = s.exec(
            select(Person.id).where(Person.id_number == c.id_number, Person.id != person_id)
        ).first()
        if other is not None:
            raise ValidationFailed([Problem("id_number", "id_registered", {"value": c.id_number})])
        person = s.get(Person, person_id)
        household = household_for(s, c, {})
        if household.address != c.address and c.address:
            household.address = c.address
            household.updated_at = dt.datetime.now().replace(microsecond=0)
        for name, value in (
            ("id_number", c.id_number),
            ("name", c.name),
            ("sex", c.sex),
            ("birth_date", c.birth_date),
            ("household_id", household.id),
            ("relation", c.relation),
            ("residence_type", c.residence_type),
            ("work_away_place", c.work_away_place),
            ("phone", c.phone),
            ("notes", c.notes),
            ("registered_on", c.registered_on),
        ):
            setattr(person, name, value)
        if s.is_modified(person):
            person.updated_at = dt.datetime.now().replace(microsecond=0)


def set_state(db: Database, person_id: int, state: str, reason: str, on: dt.date | None = None) -> None:
    """迁出 / 死亡 / back to 在册: the person stays in the database, with the reason in the notes."""
    from desktop.models.enums import PersonState

    require(db, Permission.WRITE)
    state = PersonState(state).value
    if not reason.strip():
        raise ValidationFailed([Problem("reason", "required", {})])
    on = on or dt.date.today()
    with db.session() as s:
        person = s.get(Person, person_id)
        if person.state == state:
            return
        note = f"{on.isoformat()} {person.state}→{state}：{reason.strip()}"
        person.notes = f"{person.notes}\n{note}".strip()
        person.state = state
        person.updated_at = dt.datetime.now().replace(microsecond=0)
        # a key person who dies or moves away: the file's status follows, so the two never disagree
        file = s.exec(select(DrugFile).where(DrugFile.person_id == person_id)).first()
        if file is not None and state != PersonState.REGISTERED.value:
            latest = s.exec(
                select(DrugStatusEntry)
                .where(DrugStatusEntry.file_id == file.id)
                .order_by(DrugStatusEntry.since.desc(), DrugStatusEntry.id.desc())
            ).first()
            if latest is None or latest.status != state:
                s.add(DrugStatusEntry(file_id=file.id, status=state, since=on, reason=reason.strip()))


def household_options(db: Database) -> dict[str, list[str]]:
    """Village names and, for each, its group names, in register order: the form's two drop-downs."""
    require(db, Permission.READ)
    with db.session() as s:
        villages = s.exec(select(Village).order_by(Village.sort_order, Village.id)).all()
        groups = s.exec(select(VillageGroup).order_by(VillageGroup.sort_order, VillageGroup.id)).all()
    by_village: dict[int, list[str]] = {}
    for g in groups:
        by_village.setdefault(g.village_id, []).append(g.name)
    return {v.name: by_village.get(v.id, []) for v in villages}


def members(db: Database, household_id: int) -> list[tuple[int, str]]:
    """The registered people of a household: (person id, name with relation), head first."""
    require(db, Permission.READ)
    with db.session() as s:
        rows = s.exec(
            select(Person.id, Person.name, Person.relation)
            .where(Person.household_id == household_id, Person.state == "在册")
            .order_by(Person.relation != Relation.HEAD.value, Person.id)
        ).all()
    return [(pid, f"{name}（{relation}）") for pid, name, relation in rows]
