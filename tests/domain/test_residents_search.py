"""Search, filters and sort of the residents register, in SQL; ID fragments only for roles that see IDs."""

import pytest

from desktop.models.enums import Role
from desktop.services import accounts, demo, residents
from desktop.services.residents import ResidentFilter as F
from tests.conftest import AS_OF, raw


@pytest.fixture
def demo_db(database):
    demo.build(database, "small", seed=21, as_of=AS_OF)
    return database


def people(database, where: str, *params):
    conn = raw(database)
    rows = {r[0] for r in conn.execute(f"SELECT id FROM person WHERE {where}", params)}
    conn.close()
    return rows


def test_no_filter_lists_every_registered_resident_in_register_order(demo_db):
    ids = residents.resident_ids(demo_db)
    assert set(ids) == people(demo_db, "state = '在册'") and residents.resident_count(demo_db) == len(ids)


def test_a_name_prefix_and_a_part_of_a_name_are_found(demo_db):
    conn = raw(demo_db)
    name = conn.execute("SELECT name FROM person WHERE length(name) = 3 LIMIT 1").fetchone()[0]
    conn.close()
    assert set(residents.resident_ids(demo_db, F(text=name[0]))) == people(
        demo_db, "name LIKE ?", name[0] + "%"
    )
    assert set(residents.resident_ids(demo_db, F(text=name[1:]))) == people(
        demo_db, "name LIKE ?", f"%{name[1:]}%"
    )
    assert (
        residents.resident_ids(demo_db, F(text="*")) == []
    )  # a glob character is a character, not a wildcard


def test_digits_find_id_fragments_and_phones(demo_db):
    conn = raw(demo_db)
    number, phone = conn.execute("SELECT id_number, phone FROM person WHERE phone != '' LIMIT 1").fetchone()
    conn.close()
    assert set(residents.resident_ids(demo_db, F(text=number[-6:]))) == people(
        demo_db, "id_number LIKE ? OR phone LIKE ?", f"%{number[-6:]}%", f"%{number[-6:]}%"
    )
    assert residents.resident_ids(demo_db, F(text=phone[-8:]))  # the phone's owner at least
    assert residents.resident_ids(demo_db, F(text=" ".join(number[-6:].lower())))  # spaces and case folded


def test_a_viewer_cannot_search_the_masked_digits(demo_db):
    conn = raw(demo_db)
    number = conn.execute("SELECT id_number FROM person LIMIT 1").fetchone()[0]
    conn.close()
    path = demo_db.path
    accounts.create_user(demo_db, "chakan", "李娜", Role.VIEWER, "viewer-pass-1")
    demo_db.close()
    viewer = accounts.log_in(path, "chakan", "viewer-pass-1")
    try:
        assert residents.resident_ids(viewer, F(text=number[6:14])) == []  # the birth date: hidden
        assert len(residents.resident_ids(viewer, F(text=number))) == 1  # the whole number: they knew it
    finally:
        viewer.close()


def test_filters_combine(demo_db):
    village_id = residents.villages(demo_db)[1][0]
    ids = residents.resident_ids(demo_db, F(village_id=village_id, residence_type="常住"))
    rows = residents.resident_rows(demo_db, ids)
    assert ids and all(r.residence_type == "常住" for r in rows.values())
    assert {r.village for r in rows.values()} == {residents.villages(demo_db)[1][1]}
    key = residents.resident_ids(demo_db, F(key_only=True))
    assert len(key) == 12 and all(r.drug_status for r in residents.resident_rows(demo_db, key).values())


def test_sorting_by_a_column_either_way(demo_db):
    ids = residents.resident_ids(demo_db, sort_column=3)
    births = [residents.resident_rows(demo_db, [i])[i].birth_month for i in ids[:50]]
    assert births == sorted(births)
    ids = residents.resident_ids(demo_db, sort_column=3, descending=True)
    assert residents.resident_rows(demo_db, ids[:1])[ids[0]].birth_month >= births[-1]


def test_a_group_and_the_people_who_moved_out_or_died(demo_db):
    from desktop.services import people

    village_id = residents.villages(demo_db)[0][0]
    group_id, group = residents.groups(demo_db, village_id)[1]
    ids = residents.resident_ids(demo_db, F(village_id=village_id, group_id=group_id))
    assert ids and {r.group for r in residents.resident_rows(demo_db, ids).values()} == {group}
    people.set_state(demo_db, ids[0], "迁出", "迁往长沙市")
    assert ids[0] not in residents.resident_ids(demo_db)  # the register shows those present…
    assert residents.resident_ids(demo_db, F(state="迁出")) == [ids[0]]  # …and, asked, those who left
    assert ids[0] in residents.resident_ids(demo_db, F(state=""))


def test_sorting_by_key_population_status_puts_key_persons_together(demo_db):
    ids = residents.resident_ids(demo_db, sort_column=8, descending=True)
    statuses = [residents.resident_rows(demo_db, [i])[i].drug_status for i in ids[:14]]
    assert all(statuses[:12]) and not any(statuses[12:])  # the 12 key persons first, then everyone else
    assert statuses[:12] == sorted(statuses[:12], reverse=True)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("张三", "ZS"),
        ("欧阳晓明", "OYXM"),  # a compound surname
        ("曾小贤", "ZXX"),  # 曾 as a surname is zeng, not ceng
        ("单田芳", "STF"),  # 单 as a surname is shan
        ("解放", "XF"),
        ("阿依古丽·买买提", "AYGLMMT"),  # the · of a minority name dropped
        ("", ""),
    ],
)
def test_pinyin_initials_of_a_name(name, expected):
    from desktop.models.pinyin import initials

    assert initials(name) == expected


def test_typing_initials_finds_the_name_in_the_demo_by_the_form_and_after_a_correction(demo_db):
    """Lower or upper case; a resident added through the form; and a name corrected later."""
    import dataclasses

    from desktop.models.idnumber import check_character
    from desktop.models.pinyin import initials
    from desktop.services import people as resident_form

    conn = raw(demo_db)
    pid, name = conn.execute("SELECT id, name FROM person WHERE length(name) = 3 LIMIT 1").fetchone()
    village, group = conn.execute(
        "SELECT v.name, g.name FROM village_group g JOIN village v ON v.id = g.village_id LIMIT 1"
    ).fetchone()
    conn.close()
    found = residents.resident_ids(demo_db, F(text=initials(name).lower()))
    assert pid in found
    assert set(found) == people(demo_db, "name_initials LIKE ? AND state = '在册'", initials(name) + "%")

    first17 = "43052219880304561"
    draft = resident_form.ResidentDraft(
        village, group, "9001", "", "曾小贤", first17 + check_character(first17)
    )
    added = resident_form.add_resident(demo_db, draft)
    assert added in residents.resident_ids(demo_db, F(text="zxx"))
    resident_form.update_resident(demo_db, added, dataclasses.replace(draft, name="单田芳"))
    assert added in residents.resident_ids(demo_db, F(text="STF"))
    assert added not in residents.resident_ids(demo_db, F(text="ZXX"))


def test_the_upgrade_fills_in_the_initials_of_residents_already_registered(demo_db):
    """A township upgrading from the previous version finds its existing residents by initials at once."""
    from pathlib import Path

    import alembic.command

    from desktop import db
    from desktop.models.pinyin import initials

    path, key = demo_db.path, demo_db.key
    demo_db.close_engine()
    engine = db.make_engine(path, key)
    with engine.begin() as conn:  # the file as version 0008 left it: every later migration undone
        alembic.command.downgrade(db._alembic_config(conn), "0008")
    engine.dispose()
    conn = db.connect_raw(path, key)
    assert "name_initials" not in {row[1] for row in conn.execute("PRAGMA table_info(person)")}
    conn.close()
    made = db.migrate(path, key, path.parent / "backups")
    assert made and db.quick_check(Path(made), key) == "ok"  # a verified copy was made first
    conn = db.connect_raw(path, key)
    empty = conn.execute("SELECT count(*) FROM person WHERE name_initials = ''").fetchone()[0]
    name, stored = conn.execute("SELECT name, name_initials FROM person LIMIT 1").fetchone()
    conn.close()
    assert empty == 0 and stored == initials(name)


def test_the_search_indexes_follow_every_change_of_a_name_or_number(demo_db):
    """The full-text pieces of names and numbers (migration 0016) are kept by triggers: a renamed person or a
    changed phone is found by the new words at once and no longer by the old ones."""
    from desktop.models import Person

    conn = raw(demo_db)
    pid, name = conn.execute("SELECT id, name FROM person WHERE length(name) = 3 LIMIT 1").fetchone()
    conn.close()
    assert pid in residents.resident_ids(demo_db, F(text=name[1:]))
    with demo_db.session() as s:
        person = s.get(Person, pid)
        person.name, person.phone = "欧阳晓晨", "19912345678"
        s.add(person)
    assert pid in residents.resident_ids(demo_db, F(text="阳晓晨"))
    assert pid in residents.resident_ids(demo_db, F(text="晓晨"))
    assert pid in residents.resident_ids(demo_db, F(text="2345678"))
    assert pid not in residents.resident_ids(demo_db, F(text=name[1:]))
    assert residents.resident_ids(demo_db, F(text="晨晓")) == []  # the pieces, but not in that order


def test_each_kind_of_search_lists_in_an_order_an_index_gives(demo_db):
    initials = residents.resident_ids(demo_db, F(text="W"))
    rows = residents.resident_rows(demo_db, initials)
    from desktop.models.pinyin import initials as initials_of

    keys = [(initials_of(rows[i].name), rows[i].name) for i in initials]
    assert keys == sorted(keys) and all(k[0].startswith("W") for k in keys)
    digits = residents.resident_ids(demo_db, F(text="4305"))
    assert digits == sorted(digits) and len(digits) > 100  # in the order they were registered
    first_page = residents.resident_ids(demo_db, F(text="4305"), limit=20)
    assert first_page == digits[:20]
    assert residents.resident_count(demo_db, F(text="4305")) == len(digits)
