"""A viewer must not be able to rebuild a masked ID number from what the register shows, sorts and finds.

The test plays the attacker: it takes everything a 查看 account is given by the services — the masked number,
sex, birth month, the order of every sortable column, the answers to fragment searches — and counts, for each
person, the valid ID numbers consistent with it. Fewer than 100 candidates for anyone fails."""

from __future__ import annotations

import calendar

import pytest

from desktop.models.enums import Role
from desktop.models.idnumber import check_character
from desktop.services import accounts, audit_log, demo, residents
from desktop.services.auth import Actor
from tests.conftest import AS_OF

MIN_CANDIDATES = 100


@pytest.fixture(scope="module")
def viewer_db(tmp_path_factory):
    from desktop import db

    path = tmp_path_factory.mktemp("masking") / db.DB_FILENAME
    d = accounts.create_installation(path, "admin", "correct-horse-7").db
    demo.build(d, "small", seed=11, as_of=AS_OF)
    d.actor = Actor("chakan", "李娜", Role.VIEWER)
    yield d
    d.close()


def candidates(masked: str, sex: str, birth_month: str) -> int:
    """Valid numbers matching the visible area code and last two characters, the month and the sex."""
    area, tail = masked[:6], masked[16:]
    year, month = int(birth_month[:4]), int(birth_month[5:7])
    sex_digit_odd = tail[0] in "13579"
    assert sex_digit_odd == (sex == "男")
    count = 0
    for day in range(1, calendar.monthrange(year, month)[1] + 1):
        for seq in range(100):
            first17 = f"{area}{year:04d}{month:02d}{day:02d}{seq:02d}{tail[0]}"
            if check_character(first17) == tail[1]:
                count += 1
    return count


def test_no_number_can_be_narrowed_below_100_candidates_from_the_register(viewer_db):
    ids = residents.resident_ids(viewer_db, residents.ResidentFilter(state=""))
    rows = residents.resident_rows(viewer_db, ids)
    assert len(rows) > 800
    for row in rows.values():
        assert "*" * 10 in row.id_number_masked and len(row.birth_month) == 7
    fewest = min(candidates(r.id_number_masked, r.sex, r.birth_month) for r in rows.values())
    assert fewest >= MIN_CANDIDATES, f"a number can be narrowed to {fewest} candidates"


@pytest.mark.parametrize("column", [1, 3], ids=["ID column", "birth column"])
def test_sorting_tells_a_viewer_nothing_the_list_does_not_show(viewer_db, column):
    """Rows that look the same in the sorted column stay in register order: the order carries no hidden digit
    or birth day."""
    plain = residents.resident_ids(viewer_db)
    position = {pid: i for i, pid in enumerate(plain)}
    ordered = residents.resident_ids(viewer_db, sort_column=column)
    rows = residents.resident_rows(viewer_db, ordered)

    def shown(pid):
        r = rows[pid]
        return (r.id_number_masked[:6], r.id_number_masked[16:]) if column == 1 else r.birth_month

    assert ordered == sorted(ordered, key=lambda pid: (shown(pid), position[pid]))


def test_a_viewer_finds_by_whole_numbers_only_and_each_lookup_is_recorded(viewer_db):
    from desktop import db as store

    conn = store.connect_raw(viewer_db.path, viewer_db.key)
    number = conn.execute("SELECT id_number FROM person LIMIT 1").fetchone()[0]
    conn.close()
    for fragment in (number[6:14], number[:10], number[10:]):
        assert residents.resident_ids(viewer_db, residents.ResidentFilter(text=fragment)) == []
    assert len(residents.resident_ids(viewer_db, residents.ResidentFilter(text=number))) == 1
    viewer_db.actor = Actor("admin", "管理员", Role.ADMIN)
    try:
        lookups = [e for e in audit_log.entries(viewer_db) if e.action == "id_lookup"]
    finally:
        viewer_db.actor = Actor("chakan", "李娜", Role.VIEWER)
    assert lookups and lookups[0].username == "chakan" and number not in lookups[0].detail
