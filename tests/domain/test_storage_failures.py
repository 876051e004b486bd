"""A full disk and a read-only database: a clear message, the failed change rolled back, nothing committed lost."""

import pytest

from desktop import db, messages
from desktop.errors import StorageFull, StorageReadOnly
from desktop.models.units import VillageDraft
from desktop.services import audit_log, township
from tests.conftest import raw


def add_villages(database, start, count):
    draft = township.load_units(database)
    for i in range(start, start + count):
        draft.villages.append(VillageDraft(f"{i:03d}", f"新建村{i}", "村"))
    township.apply_units(database, draft)


def set_on_every_connection(database, pragma):
    from sqlalchemy import event

    event.listen(database.engine, "connect", lambda conn, _rec: conn.execute(pragma))
    database.engine.dispose()


def test_a_full_disk_rolls_back_the_change_says_so_and_keeps_what_was_committed(database, township_draft):
    township.initialize(database, township_draft)
    add_villages(database, 10, 5)
    committed = [v.name for v in township.load_units(database).villages]
    conn = raw(database)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    # SQLite reports SQLITE_FULL when the file may not grow: the same path as a full disk
    set_on_every_connection(database, f"PRAGMA max_page_count = {pages + 1}")
    with pytest.raises(StorageFull) as caught:
        add_villages(database, 100, 400)
    assert "磁盘空间已满" in messages.describe(caught.value)
    assert [v.name for v in township.load_units(database).villages] == committed
    assert db.quick_check(database.path, database.key, full=True) == "ok"
    assert audit_log.verify_chain(database).ok


def test_a_read_only_database_refuses_the_change_with_a_message_and_keeps_everything(
    database, township_draft
):
    township.initialize(database, township_draft)
    committed = [v.name for v in township.load_units(database).villages]
    set_on_every_connection(database, "PRAGMA query_only = ON")
    with pytest.raises(StorageReadOnly) as caught:
        add_villages(database, 10, 1)
    assert "只读" in messages.describe(caught.value)
    assert [v.name for v in township.load_units(database).villages] == committed


def test_a_folder_that_cannot_be_written_is_refused_at_open(tmp_path, monkeypatch):
    import builtins

    real_open = builtins.open

    def deny_lock(path, *args, **kwargs):
        if str(path).endswith(".lock"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", deny_lock)
    with pytest.raises(StorageReadOnly):
        db.open_database(tmp_path / db.DB_FILENAME, b"k" * 32)
