"""A township and its county, keys exchanged and registered as the README tells the two offices to do."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from desktop import db
from desktop.exchange import county as county_side
from desktop.exchange import keys, rows
from desktop.models.idnumber import check_character
from desktop.services import accounts, people
from tests.conftest import ADMIN, PASSWORD


def id_number(first17: str) -> str:
    return first17 + check_character(first17)


def add_person(database, name: str, first17: str, phone: str = "", number: str = "0002") -> int:
    draft = people.ResidentDraft(
        "东山村", "一组", number, "东山村一组", name, id_number(first17), phone=phone
    )
    return people.add_resident(database, draft)


@pytest.fixture
def pair(tmp_path: Path, database, aftercare_case):
    """`town` (严塘镇, with 钱某's aftercare case and two more residents), `county` (新邵县), `stick`."""
    add_person(database, "孙丽娟", "43052219900101002", phone="13907391234")
    add_person(database, "周建国", "43052219751231003", number="0003")
    county = accounts.create_installation(tmp_path / "county" / db.DB_FILENAME, ADMIN, PASSWORD).db
    keys.set_up_county(county, "新邵县")
    keys.export_public(county, tmp_path / "county.wudu-key")
    keys.township_init(database, tmp_path / "county.wudu-key")
    keys.export_public(database, tmp_path / "town.wudu-key")
    keys.register_township(county, tmp_path / "town.wudu-key")
    stick = tmp_path / "stick"
    stick.mkdir()
    yield SimpleNamespace(town=database, county=county, stick=stick, tmp=tmp_path, case=aftercare_case)
    county.close()


def table_rows(path: Path, key: bytes) -> dict[str, list[dict]]:
    """Every exported table of a file, as column → value dicts in key order."""
    conn = db.connect_raw(path, key, readonly=True)
    try:
        out = {}
        for table in rows.exported_tables():
            cur = conn.execute(f'SELECT * FROM "{table}" ORDER BY {", ".join(rows.primary_key(table))}')
            names = [d[0] for d in cur.description]
            out[table] = [dict(zip(names, r, strict=True)) for r in cur]
        return out
    finally:
        conn.close()


def mirror(pair) -> Path:
    return county_side.mirror_path(pair.county, 1)


def county_files(pair) -> dict[str, bytes]:
    """Every byte the county keeps: its database (and write-ahead log) and every mirror."""
    folder = pair.county.path.parent
    found = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.name.endswith(("-shm", ".lock")) and "tmp" not in p.parts:
            found[str(p.relative_to(folder))] = p.read_bytes()
    return found


TODAY = dt.date(2026, 11, 29)
