"""辖区单位: the units of each village's area that sign a 辖区单位禁毒责任书 with it — schools, companies, offices,
clinics. A unit that closes is set inactive (its signed agreements stay); it is never deleted."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from desktop.db import Database
from desktop.errors import Problem, ValidationFailed, choice
from desktop.models import JurisdictionUnit, Village
from desktop.models.enums import UnitKind
from desktop.models.phone import PhoneError, normalise_phone
from desktop.models.units import clean
from desktop.services.auth import Permission, require


@dataclass(frozen=True)
class UnitRow:
    id: int
    village: str
    name: str
    kind: str
    contact: str
    phone: str
    active: bool


def units(db: Database) -> list[UnitRow]:
    require(db, Permission.READ)
    with db.session() as s:
        rows = s.exec(
            select(JurisdictionUnit, Village.name)
            .join(Village, Village.id == JurisdictionUnit.village_id)
            .order_by(Village.sort_order, Village.id, JurisdictionUnit.name)
        ).all()
    return [UnitRow(u.id, v, u.name, u.kind, u.contact, u.phone, u.active) for u, v in rows]


def add_unit(
    db: Database, village_id: int, *, name: str, kind: str, contact: str = "", phone: str = ""
) -> int:
    require(db, Permission.WRITE)
    problems = []
    if not clean(name):
        problems.append(Problem("unit_name", "required", {}))
    if kind not in {k.value for k in UnitKind}:
        problems.append(choice("unit_kind", kind, UnitKind))
    if clean(phone):
        try:
            phone = normalise_phone(phone)
        except PhoneError:
            problems.append(Problem("phone", "phone_format", {"value": phone}))
    with db.session() as s:
        if s.get(Village, village_id) is None:
            problems.append(Problem("village", "unknown_village", {"value": str(village_id)}))
        elif s.exec(
            select(JurisdictionUnit.id).where(
                JurisdictionUnit.village_id == village_id, JurisdictionUnit.name == clean(name)
            )
        ).first():
            problems.append(Problem("unit_name", "duplicate", {"value": clean(name)}))
        if problems:
            raise ValidationFailed(problems)
        unit = JurisdictionUnit(village_id=village_id, name=clean(name), kind=kind, contact=clean(contact),
                                phone=clean(phone))  # fmt: skip
        s.add(unit)
        s.flush()
        return unit.id


def set_active(db: Database, unit_id: int, active: bool) -> None:
    """A unit that closed (or reopened): inactive units are not asked to sign again."""
    require(db, Permission.WRITE)
    with db.session() as s:
        s.get(JurisdictionUnit, unit_id).active = active
