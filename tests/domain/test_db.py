"""The store: safe pragmas, schema only from migrations, one program per file, refusals that touch nothing."""

import datetime as dt
import hashlib
import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import desktop.models.tables  # noqa: F401 - registers the tables on SQLModel.metadata
from desktop import db, storage
from desktop.errors import (
    BackupFailed,
    DatabaseInUse,
    DatabaseTooNew,
    StorageLocationRefused,
    WrongKey,
)
from desktop.services import township
from desktop.services.residents import SEARCH_TABLES
from tests.conftest import raw


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_connection_uses_wal_full_sync_and_foreign_keys(database):
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_the_schema_head_constant_is_alembics_head():
    """Start-up compares against a constant so as not to import Alembic; it must name the newest migration."""
    assert db.alembic_head() == db.SCHEMA_HEAD


def test_migrations_from_an_empty_file_build_exactly_the_models(database):
    """The schema the migrations build equals the tables the code describes (no forgotten migration)."""
    assert db.current_revision(database.engine) == db.head_revision()
    with database.engine.connect() as conn:
        # the search indexes are SQLite's full-text tables, kept by triggers: not tables of the models
        ours = lambda name, type_, _parent: not (type_ == "table" and name.startswith(SEARCH_TABLES))  # noqa: E731
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True, "include_name": ours}),
            SQLModel.metadata,
        )
    assert diff == []


def test_a_foreign_key_violation_is_refused(database):
    import sqlalchemy.exc
    from sqlalchemy import insert

    from desktop.models import VillageGroup

    with pytest.raises(sqlalchemy.exc.IntegrityError), database.session() as s:
        s.execute(insert(VillageGroup).values(village_id=999, code="01", name="一组", sort_order=0))


def test_a_second_copy_on_the_same_database_is_refused_until_the_first_closes(database):
    with pytest.raises(DatabaseInUse) as caught:
        db.open_database(database.path, database.key)
    assert str(os.getpid()) in caught.value.holder
    database.close()
    again = db.open_database(database.path, database.key)
    again.close()


def test_a_database_from_a_newer_program_is_refused_and_left_untouched(database, township_draft):
    township.initialize(database, township_draft)
    path, key = database.path, database.key
    database.close()
    conn = raw(database)
    conn.execute("UPDATE alembic_version SET version_num='9999_future'")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(DatabaseTooNew) as caught:
        db.open_database(path, key)
    assert caught.value.revision == "9999_future"
    assert digest(path) == before
    assert not (path.parent / "backups").exists()


def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / db.DB_FILENAME
    path.write_bytes(b"this is a letter, not a database" * 100)
    before = digest(path)
    with pytest.raises(WrongKey):
        db.open_database(path, os.urandom(32))
    assert digest(path) == before


def test_a_wrong_key_is_refused_and_never_creates_a_new_database_over_the_old(database, township_draft):
    from desktop.services import township

    township.initialize(database, township_draft)
    path = database.path
    database.close()
    before = digest(path)
    with pytest.raises(WrongKey):
        db.open_database(path, os.urandom(32))
    assert digest(path) == before
    assert not list(path.parent.glob("*.partial"))


def test_an_older_database_is_backed_up_and_verified_before_upgrading(database, township_draft, monkeypatch):
    """Before any migration runs on an existing file, a verified copy of it is in backups/."""
    township.initialize(database, township_draft)
    path, key = database.path, database.key
    database.close()
    monkeypatch.setattr(db, "head_revision", lambda: "0003_next")  # as if this program were one version on
    import alembic.command

    monkeypatch.setattr(alembic.command, "upgrade", lambda cfg, rev: None)
    reopened = db.open_database(path, key)
    reopened.close()
    backups = list((path.parent / "backups").glob(f"before-upgrade-{db.SCHEMA_HEAD}-*.sqlite3"))
    assert len(backups) == 1
    assert db.quick_check(backups[0], key) == "ok"
    copy = db.connect_raw(backups[0], key)
    assert copy.execute("SELECT township_name FROM township").fetchone() == ("严塘镇",)
    assert copy.execute("SELECT count(*) FROM village_group").fetchone() == (3,)
    copy.close()
    # like every backup it carries its key store and audit head, so 从备份恢复 can take it back
    assert backups[0].with_suffix(".keys").exists() and backups[0].with_suffix(".audit-head").exists()


def test_backup_copies_committed_data_and_leaves_no_partial_file(database, township_draft, tmp_path):
    township.initialize(database, township_draft)
    target = db.backup(database.path, tmp_path / "usb" / "copy.sqlite3", database.key)
    conn = db.connect_raw(target, database.key)
    assert conn.execute("SELECT count(*) FROM village").fetchone() == (2,)
    conn.close()
    assert not list(target.parent.glob("*.partial"))


def test_a_failed_backup_says_so_and_leaves_nothing(database, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    with pytest.raises(BackupFailed):
        db.backup(database.path, blocked / "copy.sqlite3", database.key)


MOUNTS = """\
/dev/vda1 / ext4 rw,relatime 0 0
/dev/sdb1 /media/clerk/KINGSTON vfat rw 0 0
/dev/sdc1 /data ext4 rw 0 0
//server/share /mnt/share cifs rw 0 0
server:/export /srv/nfs nfs4 rw 0 0
/dev/sdd1 /mnt/my\\040stick exfat rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/home/clerk/.local/share/wudu", "local"),
        ("/media/clerk/KINGSTON/wudu", "removable"),
        ("/mnt/share/wudu", "network"),
        ("/srv/nfs/wudu", "network"),
        ("/data/wudu", "local"),
        ("/mnt/my stick/wudu", "removable"),
    ],
)
def test_linux_locations_are_classified(path, kind):
    removable_disks = {"/dev/sdd1"}
    assert storage.classify_linux(path, MOUNTS, removable=lambda dev: dev in removable_disks) == kind


@pytest.mark.parametrize(
    ("path", "drive_type", "kind"),
    [
        ("C:\\Users\\clerk\\AppData", 3, "local"),
        ("E:\\wudu", 2, "removable"),
        ("Z:\\wudu", 4, "network"),
        ("\\\\server\\share\\wudu", 3, "network"),
    ],
)
def test_windows_locations_are_classified(path, drive_type, kind):
    assert storage.classify_windows(path, drive_type=lambda root: drive_type) == kind


def test_the_live_database_is_refused_on_a_usb_stick(tmp_path, monkeypatch):
    monkeypatch.setattr(storage, "classify", lambda path: "removable")
    with pytest.raises(StorageLocationRefused) as caught:
        db.open_database(tmp_path / "stick" / db.DB_FILENAME, os.urandom(32))
    assert caught.value.kind == "removable"
    assert not (tmp_path / "stick" / db.DB_FILENAME).exists()


def test_the_upgrade_writes_the_cadre_role_with_full_width_brackets(database, aftercare_case):
    """Members recorded as 村(社区)干部 before 0010, and the township's required roles, read 村（社区）干部 after."""
    import alembic.command
    import sqlalchemy as sa

    from desktop.services import aftercare

    path, key = database.path, database.key
    aftercare.add_member(
        database, aftercare_case, role="村（社区）干部", name="李主任", since=dt.date(2026, 6, 1)
    )
    database.close()
    engine = db.make_engine(path, key)
    with engine.begin() as conn:
        alembic.command.downgrade(db._alembic_config(conn), "0009")
        assert conn.execute(sa.text("SELECT role FROM aftercare_member")).scalar() == "村(社区)干部"
        assert (
            "村(社区)干部" in conn.execute(sa.text("SELECT aftercare_required_roles FROM township")).scalar()
        )
    engine.dispose()
    reopened = db.open_database(path, key)
    conn = raw(reopened)
    assert conn.execute("SELECT role FROM aftercare_member").fetchone() == ("村（社区）干部",)
    assert conn.execute("SELECT aftercare_required_roles FROM township").fetchone() == (
        "社区民警,村（社区）干部,家庭成员/监护人",
    )
    conn.close()
    reopened.actor = database.actor
    # the rules read back name a role the members can have
    assert "村（社区）干部" in township.aftercare_rules(reopened).required_roles
    reopened.close()
