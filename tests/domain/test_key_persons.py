"""The key-population file: the current status is the latest entry, and the history obeys its rules."""

import datetime as dt

import pytest

from desktop.errors import ValidationFailed
from desktop.services import audit_log, key_persons, people, township
from tests.conftest import raw

TODAY = dt.date(2026, 11, 29)


@pytest.fixture
def person(database, township_draft):
    township.initialize(database, township_draft)
    from desktop.models.idnumber import check_character

    first17 = "43052219880304561"
    return people.add_resident(
        database,
        people.ResidentDraft("东山村", "一组", "0001", "", "钱某", first17 + check_character(first17)),
    )


def reasons(exc) -> set[str]:
    return {p.reason for p in exc.value.problems}


def open_file(database, person, **changes):
    args = dict(
        category="吸毒",
        first_found_on=dt.date(2024, 3, 1),
        status="社区戒毒",
        reason="责令社区戒毒决定书",
        decision_kind="责令社区戒毒决定书",
        decision_number="新公（禁）决字〔2024〕12号",
        decision_date=dt.date(2024, 3, 1),
        decision_station="城关派出所",
        today=TODAY,
    )
    args.update(changes)
    return key_persons.open_file(database, person, **args)


def test_a_file_with_its_decision_and_a_history_whose_latest_entry_is_current(database, person):
    file = open_file(database, person)
    assert file.current.status == "社区戒毒" and file.decision_number.endswith("12号")
    file = key_persons.add_status(
        database, person, "强制隔离戒毒中", dt.date(2024, 9, 1), "复吸", today=TODAY
    )
    file = key_persons.add_status(
        database, person, "出所待接茬", dt.date(2026, 9, 1), "期满出所", today=TODAY
    )
    assert [e.status for e in file.history] == ["社区戒毒", "强制隔离戒毒中", "出所待接茬"]
    assert file.current.status == "出所待接茬"
    from desktop.services import residents

    assert residents.resident_rows(database, [person])[person].drug_status == "出所待接茬"


@pytest.mark.parametrize(
    ("status", "since", "reason", "expected"),
    [
        ("社区康复", dt.date(2027, 1, 1), "", "date_in_future"),
        ("社区康复", dt.date(2023, 1, 1), "", "before_found"),
        ("社区戒毒", dt.date(2025, 1, 1), "", "same_status"),
        ("失联", dt.date(2025, 1, 1), "", "reason_needed"),
        ("在逃", dt.date(2025, 1, 1), "", "choice"),
    ],
)
def test_history_rules_refuse_with_a_reason_and_change_nothing(
    database, person, status, since, reason, expected
):
    open_file(database, person)
    with pytest.raises(ValidationFailed) as caught:
        key_persons.add_status(database, person, status, since, reason, today=TODAY)
    assert expected in reasons(caught)
    assert len(key_persons.file_of(database, person).history) == 1


def test_entries_go_in_date_order_and_nothing_follows_death(database, person):
    open_file(database, person)
    key_persons.add_status(database, person, "社区康复", dt.date(2025, 6, 1), today=TODAY)
    with pytest.raises(ValidationFailed) as caught:
        key_persons.add_status(database, person, "失联", dt.date(2025, 1, 1), "联系不上", today=TODAY)
    assert reasons(caught) == {"before_last"}
    key_persons.add_status(database, person, "死亡", dt.date(2026, 1, 1), "病故", today=TODAY)
    with pytest.raises(ValidationFailed) as caught:
        key_persons.add_status(database, person, "社区康复", dt.date(2026, 2, 1), today=TODAY)
    assert "after_death" in reasons(caught)


def test_one_person_one_file(database, person):
    open_file(database, person)
    with pytest.raises(ValidationFailed) as caught:
        open_file(database, person)
    assert "file_exists" in reasons(caught)


def test_a_scan_is_stored_in_the_encrypted_database_and_reading_it_is_audited(database, person, tmp_path):
    open_file(database, person)
    scan = tmp_path / "决定书.jpg"
    scan.write_bytes(b"\xff\xd8\xff" + b"JPEGDATA-unique-marker" * 100)
    info = key_persons.attach(database, person, scan)
    assert (info.name, info.mime, info.size) == ("决定书.jpg", "image/jpeg", scan.stat().st_size)
    assert b"JPEGDATA-unique-marker" not in database.path.read_bytes()
    conn = raw(database)
    assert conn.execute("SELECT count(*) FROM attachment").fetchone()[0] == 1
    conn.close()
    name, data = key_persons.attachment_bytes(database, info.id)
    assert data == scan.read_bytes()
    assert audit_log.entries(database)[0].action == "view_attachment"
    create = next(e for e in audit_log.entries(database) if e.entity == "attachment" and e.action == "create")
    assert "JPEGDATA" not in create.after  # the audit records the size of the scan, not its bytes


def test_a_key_person_who_died_or_moved_leaves_the_register_and_the_reverse(database, township_draft):
    """The file's 死亡/迁出 and the register's state move together, in either direction, so 只看重点人员 + 在册
    never lists someone the file says is dead or gone."""

    from desktop.services import demo, people, residents
    from tests.conftest import AS_OF

    demo.build(database, "small", seed=6, as_of=AS_OF)
    on_books = residents.ResidentFilter(key_only=True, state="在册")
    listed = residents.resident_ids(database, on_books)
    for pid in listed:  # the demo too: no one listed 在册 whose file ends in 死亡 or 迁出
        assert key_persons.file_of(database, pid).current.status not in ("死亡", "迁出")
    first, second = listed[0], listed[1]
    since = dt.date.today()
    key_persons.add_status(database, first, "迁出", since, reason="迁往外县")
    assert first not in residents.resident_ids(database, on_books)
    assert first in residents.resident_ids(database, residents.ResidentFilter(key_only=True, state="迁出"))
    people.set_state(database, second, "死亡", "病故", on=since)
    assert key_persons.file_of(database, second).current.status == "死亡"
