"""Backups and restore: verified copies that open with the same key, rotation, and a restore that loses nothing."""

import datetime as dt
import hashlib

import pytest

from desktop import db
from desktop.errors import DatabaseDamaged, PermissionDenied
from desktop.models.enums import Role
from desktop.services import accounts, audit_log, backups, demo, township
from tests.conftest import AS_OF, damage_pages, raw

TABLES = ("township", "village", "village_group", "household", "person", "drug_file", "drug_status_entry")


def content(database_or_path, key=None) -> str:
    conn = raw(database_or_path) if key is None else db.connect_raw(database_or_path, key)
    h = hashlib.sha256()
    for t in TABLES:
        for row in conn.execute(f"SELECT * FROM {t} ORDER BY id"):
            h.update(repr(row).encode())
    conn.close()
    return h.hexdigest()


def test_a_backup_is_verified_and_carries_its_key_store_and_audit_head(database):
    demo.build(database, "small", seed=8, as_of=AS_OF)
    target = backups.make_backup(database)
    assert target.parent == database.backup_dir
    assert db.quick_check(target, database.key, full=True) == "ok"
    assert target.with_suffix(".keys").exists() and target.with_suffix(".audit-head").exists()
    assert content(target, database.key) == content(database)
    assert audit_log.entries(database)[0].action == "backup"


def test_backup_then_restore_gives_back_exactly_the_backed_up_records(database, township_draft, tmp_path):
    demo.build(database, "small", seed=8, as_of=AS_OF)
    saved = content(database)
    target = backups.make_backup(database, tmp_path / "usb")
    draft = township.load_units(database)
    draft.villages[0].name = "改过的名字"
    township.apply_units(database, draft)
    assert content(database) != saved
    safety = backups.restore(database, target)
    assert content(database) == saved
    assert content(safety, database.key) != saved  # the replaced state was kept, not lost
    verdict = audit_log.verify_chain(database)
    assert verdict.ok, verdict
    assert audit_log.entries(database)[0].action == "restore"


def test_a_damaged_backup_is_refused_and_the_database_is_untouched(database, tmp_path):
    demo.build(database, "small", seed=8, as_of=AS_OF)
    target = backups.make_backup(database, tmp_path / "usb")
    data = bytearray(target.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\0" * 4096
    target.write_bytes(bytes(data))
    before = content(database)
    with pytest.raises(DatabaseDamaged):
        backups.restore(database, target)
    assert content(database) == before


def test_only_an_administrator_may_restore(database, tmp_path):
    target = backups.make_backup(database, tmp_path / "usb")
    accounts.create_user(database, "luru", "王芳", Role.CLERK, "clerk-pass-1")
    path = database.path
    database.close()
    clerk = accounts.log_in(path, "luru", "clerk-pass-1")
    try:
        backups.make_backup(clerk, tmp_path / "usb2")  # a clerk may back up
        with pytest.raises(PermissionDenied):
            backups.restore(clerk, target)
    finally:
        clerk.close()


def test_rotation_keeps_12_daily_10_weekly_9_monthly(tmp_path):
    start = dt.datetime(2024, 1, 1, 17, 0)
    for day in range(800):  # two backups a day for over two years
        for hour in (9, 17):
            at = start + dt.timedelta(days=day, hours=hour - 17)
            (tmp_path / f"wudu-{at:%Y%m%d-%H%M%S}.sqlite3").write_bytes(b"x")
    backups.rotate(tmp_path)
    kept = backups.list_backups(tmp_path)
    newest = kept[0].at
    assert newest == start + dt.timedelta(days=799)
    days = {b.at.date() for b in kept}
    assert all((newest - dt.timedelta(days=i)).date() in days for i in range(12))
    assert len({b.at.isocalendar()[:2] for b in kept}) >= 10
    assert len({(b.at.year, b.at.month) for b in kept}) >= 9
    assert len(kept) <= 12 + 10 + 9


def test_only_changes_since_the_last_backup_call_for_another(database, township_draft):
    """The 30-minute timer backs up only when something changed since the newest backup."""
    assert backups.changed_since_last_backup(database)
    backups.make_backup(database)
    assert not backups.changed_since_last_backup(database)
    township.initialize(database, township_draft)
    assert backups.changed_since_last_backup(database)
    backups.make_backup(database, now=dt.datetime.now() + dt.timedelta(seconds=5))
    assert not backups.changed_since_last_backup(database)


def test_a_damaged_database_is_found_at_start_and_restored_from_the_newest_good_backup(database):
    """quick_check finds the damage; the restore keeps the damaged bytes and brings back the backed-up records."""
    demo.build(database, "small", seed=8, as_of=AS_OF)
    good = backups.make_backup(database)
    saved = content(database)
    path, key = database.path, database.key
    database.close_engine()
    data = damage_pages(path)
    (path.parent / (path.name + "-wal")).unlink(missing_ok=True)
    assert db.quick_check(path, key) != "ok"
    assert backups.newest_good_backup(database.backup_dir, key) == good
    safety = backups.restore(database, good)
    assert db.quick_check(path, key) == "ok" and content(database) == saved
    assert safety.read_bytes() == bytes(data)  # nothing thrown away, not even the damaged file
