"""A township and its county, keys exchanged and registered as the README tells the two offices to do."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from desktop import db
from desktop.exchange import county as county_side
from desktop.exchange import keys, mirrors
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


def introduce(town, office, folder: Path) -> None:
    """The two offices' first steps: the county's key file to the township, the township's back, registered."""
    keys.export_public(office, folder / "county.wudu-key")
    keys.township_init(town, folder / "county.wudu-key")
    keys.export_public(town, folder / "town.wudu-key")
    keys.register_township(office, folder / "town.wudu-key")


@pytest.fixture(params=["files", "server"], ids=["county on files", "county on PostgreSQL"])
def pair(request, tmp_path: Path, database, aftercare_case):
    """`town` (严塘镇, with 钱某's aftercare case and two more residents), `county` (新邵县), `stick`. Every test
    that takes it runs twice: the county's records in files beside its database, and on a PostgreSQL server."""
    url = request.getfixturevalue("postgres_url") if request.param == "server" else ""
    add_person(database, "孙丽娟", "43052219900101002", phone="13907391234")
    add_person(database, "周建国", "43052219751231003", number="0003")
    county = accounts.create_installation(tmp_path / "county" / db.DB_FILENAME, ADMIN, PASSWORD).db
    keys.set_up_county(county, "新邵县", records_url=url)
    introduce(database, county, tmp_path)
    stick = tmp_path / "stick"
    stick.mkdir()
    yield SimpleNamespace(
        town=database, county=county, stick=stick, tmp=tmp_path, case=aftercare_case, url=url
    )
    county.close()


def canonical(dump: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Rows as values, whatever the store: SQLite keeps dates as text and booleans as 0/1, PostgreSQL as types."""
    from sqlalchemy import Boolean, Date, DateTime
    from sqlmodel import SQLModel

    out = {}
    for table, found in dump.items():
        types = {c.name: c.type for c in SQLModel.metadata.tables[table].columns}

        def value(name, v, types=types):
            kind = types[name]
            if v is None:
                return None
            if isinstance(kind, Boolean):
                return bool(v)
            if isinstance(kind, DateTime):
                return v if isinstance(v, dt.datetime) else dt.datetime.fromisoformat(v)
            if isinstance(kind, Date):
                return v if isinstance(v, dt.date) else dt.date.fromisoformat(v)
            return bytes(v) if isinstance(v, memoryview) else v

        out[table] = [{k: value(k, v) for k, v in r.items()} for r in found]
    return out


def sent(pair) -> dict:
    """The township's records, every exported table."""
    conn = db.connect_raw(pair.town.path, pair.town.key, readonly=True)
    try:
        return canonical(mirrors.dump_sqlite(conn))
    finally:
        conn.close()


def arrived(pair, township_id: int = 1) -> dict:
    """What the county holds of the township, in files or on the server."""
    return canonical(county_side.mirrors(pair.county).dump(township_id))


def county_state(pair) -> dict:
    """Every byte the county keeps in files (its database, write-ahead log, mirrors) and, on a server, every
    row of every township schema: what a refused bundle must leave exactly as it was."""
    folder = pair.county.path.parent
    found = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.name.endswith(("-shm", ".lock")) and "tmp" not in p.parts:
            found[str(p.relative_to(folder))] = p.read_bytes()
    if pair.url:
        store = county_side.mirrors(pair.county)
        for township_id in (1, 2):
            if store.exists(township_id):
                found[f"server:{township_id}"] = (
                    store.dump(township_id),
                    store.imports(township_id),
                    store.audit_entries(township_id),
                )
    return found


def lose_mirror(pair, township_id: int = 1) -> None:
    """The county lost what it had of a township (a PC restored from an old backup, a server rebuilt)."""
    if pair.url:
        import psycopg

        with psycopg.connect(pair.url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA township_{township_id:03d} CASCADE")
    else:
        county_side.mirrors(pair.county).path(township_id).unlink()


def audit_chain(pair, township_id: int = 1) -> list[tuple]:
    return [tuple(r) for r in county_side.mirrors(pair.county).audit_entries(township_id)]


TODAY = dt.date(2026, 11, 29)
