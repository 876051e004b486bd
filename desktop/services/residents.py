"""The residents register as a list: ids in register order, and the rows for a page of ids.

The register holds tens of thousands of rows (a county, hundreds of thousands): the view keeps only the ids
and asks for the rows it shows (STYLE.md, 'Large registers'). ID numbers leave this service masked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text

from desktop import audit
from desktop.db import Database
from desktop.models.idnumber import mask
from desktop.services.auth import Permission, require


@dataclass(frozen=True)
class ResidentRow:
    id: int
    name: str
    id_number_masked: str
    sex: str
    birth_date: dt.date
    village: str
    group: str
    residence_type: str
    phone: str
    drug_status: str  # current key-population status, "" for most residents


ORDER = "v.sort_order, g.sort_order, h.number, p.id"
FROM = """
    FROM person p
    JOIN household h ON h.id = p.household_id
    JOIN village_group g ON g.id = h.group_id
    JOIN village v ON v.id = g.village_id
"""


def resident_ids(db: Database) -> list[int]:
    require(db, Permission.READ)
    with db.session() as s:
        return list(s.execute(text(f"SELECT p.id {FROM} WHERE p.state = '在册' ORDER BY {ORDER}")).scalars())


def resident_rows(db: Database, ids: list[int]) -> dict[int, ResidentRow]:
    require(db, Permission.READ)
    if not ids:
        return {}
    placeholders = ",".join(str(int(i)) for i in ids)
    query = f"""
        SELECT p.id, p.name, p.id_number, p.sex, p.birth_date, v.name, g.name, p.residence_type, p.phone,
               (SELECT e.status FROM drug_file f JOIN drug_status_entry e ON e.file_id = f.id
                 WHERE f.person_id = p.id ORDER BY e.since DESC, e.id DESC LIMIT 1)
        {FROM} WHERE p.id IN ({placeholders})
    """
    with db.session() as s:
        rows = s.execute(text(query)).all()
    return {
        r[0]: ResidentRow(
            r[0], r[1], mask(r[2]), r[3], dt.date.fromisoformat(r[4]), r[5], r[6], r[7], r[8], r[9] or ""
        )
        for r in rows
    }


def full_id_number(db: Database, person_id: int) -> str:
    """The unmasked ID number of one person: a deliberate act, allowed to some roles, and audited."""
    require(db, Permission.VIEW_FULL_ID)
    with db.session() as s:
        number = s.execute(
            text("SELECT id_number FROM person WHERE id = :id"), {"id": person_id}
        ).scalar_one()
        audit.record(s, [audit.Change("view_full_id", "person", person_id)])
    return number
