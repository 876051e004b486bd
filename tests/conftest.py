import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from desktop import db  # noqa: E402
from desktop.models.units import GroupDraft, TownshipDraft, VillageDraft  # noqa: E402
from desktop.services import accounts  # noqa: E402

AS_OF = dt.date(2026, 11, 29)
ADMIN, PASSWORD = "admin", "correct-horse-7"


@pytest.fixture
def installation(tmp_path: Path):
    """A fresh encrypted database created by the migrations, with its first administrator logged in,
    as the program creates it on first start."""
    inst = accounts.create_installation(tmp_path / "data" / db.DB_FILENAME, ADMIN, PASSWORD)
    yield inst
    inst.db.close()


@pytest.fixture
def database(installation):
    return installation.db


def raw(database):
    """A raw connection to inspect the file as a test (the file is encrypted: it needs the key)."""
    return db.connect_raw(database.path, database.key)


@pytest.fixture
def township_draft() -> TownshipDraft:
    return TownshipDraft(
        county_name="新邵县",
        township_name="严塘镇",
        code="430522101",
        villages=[
            VillageDraft("001", "东山村", "村", [GroupDraft("01", "一组"), GroupDraft("02", "二组")]),
            VillageDraft("002", "河口社区", "社区", [GroupDraft("01", "一组")]),
        ],
    )


def damage_pages(path: Path) -> bytes:
    """Overwrite a stretch of every seventh page (past the header) as a failing disk would; returns the bytes."""
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 3, len(data) - 4096, 4096 * 7):
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    return bytes(data)


@pytest.fixture
def aftercare_case(database, township_draft) -> int:
    """A released person (出所) in 东山村, handed over on 28 May 2026, their case started on 1 June 2026."""
    from desktop.models.idnumber import check_character
    from desktop.services import aftercare, people, township

    township.initialize(database, township_draft)
    first17 = "43052219880304561"
    pid = people.add_resident(
        database,
        people.ResidentDraft("东山村", "一组", "0001", "", "钱某", first17 + check_character(first17)),
    )
    return aftercare.open_case(
        database,
        pid,
        basis="出所",
        start_on=dt.date(2026, 6, 1),
        facility="市强制隔离戒毒所",
        handover_notice_on=dt.date(2026, 5, 28),
        today=dt.date(2026, 6, 1),
    )
