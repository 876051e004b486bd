"""Protection of the records below the UI: roles, lock-out, encryption at rest, the audit chain."""

import pytest

from desktop import audit, db
from desktop.errors import AccountLocked, BadCredentials, PermissionDenied, ValidationFailed
from desktop.keystore import MAX_FAILURES, KeyStore
from desktop.models.enums import Role
from desktop.services import accounts, audit_log, demo, residents, township
from tests.conftest import ADMIN, AS_OF, PASSWORD, raw


# --- roles -----------------------------------------------------------------------------------------------------
def login_as(database, username, role, password="role-pass-123"):
    accounts.create_user(database, username, username, role, password)
    return accounts.log_in(database.path, username, password)


def test_a_clerk_may_read_and_see_full_ids_but_not_change_settings_or_accounts(database, township_draft):
    township.initialize(database, township_draft)
    path = database.path
    accounts.create_user(database, "luru", "王芳", Role.CLERK, "clerk-pass-1")
    database.close()
    clerk = accounts.log_in(path, "luru", "clerk-pass-1")
    try:
        assert township.summary(clerk).township_name == "严塘镇"
        with pytest.raises(PermissionDenied):
            township.apply_units(clerk, township.load_units(clerk))
        with pytest.raises(PermissionDenied):
            accounts.list_users(clerk)
        with pytest.raises(PermissionDenied):
            audit_log.verify_chain(clerk)
    finally:
        clerk.close()


def test_a_viewer_may_not_see_a_full_id_number(database):
    demo.build(database, "small", seed=4, as_of=AS_OF)
    path = database.path
    accounts.create_user(database, "chakan", "李娜", Role.VIEWER, "viewer-pass-1")
    database.close()
    viewer = accounts.log_in(path, "chakan", "viewer-pass-1")
    try:
        first = residents.resident_ids(viewer)[0]
        assert "********" in residents.resident_rows(viewer, [first])[first].id_number_masked
        with pytest.raises(PermissionDenied):
            residents.full_id_number(viewer, first)
    finally:
        viewer.close()


def test_nobody_logged_in_may_do_anything(database, township_draft):
    database.actor = None
    with pytest.raises(PermissionDenied) as caught:
        township.initialize(database, township_draft)
    assert caught.value.role is None


def test_the_last_administrator_cannot_be_disabled(database):
    with pytest.raises(accounts.LastAdministrator):
        accounts.update_user(database, ADMIN, active=False)
    with pytest.raises(accounts.LastAdministrator):
        accounts.update_user(database, ADMIN, role=Role.CLERK)
    assert accounts.list_users(database)[0].active


def test_a_disabled_user_cannot_log_in(database):
    accounts.create_user(database, "luru", "王芳", Role.CLERK, "clerk-pass-1")
    accounts.update_user(database, "luru", active=False)
    with pytest.raises(BadCredentials):
        accounts.log_in(database.path, "luru", "clerk-pass-1")


def test_weak_passwords_are_refused(database):
    with pytest.raises(ValidationFailed) as caught:
        accounts.create_user(database, "luru", "王芳", Role.CLERK, "1234")
    assert caught.value.problems[0].reason == "password_short"
    with pytest.raises(ValidationFailed):
        accounts.create_user(database, "luru", "王芳", Role.CLERK, "aaaaaaaaaa")


# --- lock-out --------------------------------------------------------------------------------------------------
def test_five_failures_lock_the_account_with_a_growing_back_off(installation):
    path = installation.db.path
    installation.db.close()
    store = KeyStore.load(path)
    now = 1_000_000.0
    for i in range(MAX_FAILURES):
        with pytest.raises(BadCredentials) as caught:
            store.unlock(ADMIN, "wrong", now=now)
        assert caught.value.remaining == MAX_FAILURES - i - 1
    with pytest.raises(AccountLocked) as locked:
        store.unlock(ADMIN, PASSWORD, now=now + 1)
    first_lock = locked.value.until - now
    assert first_lock >= 30
    with pytest.raises(BadCredentials):
        store.unlock(ADMIN, "wrong", now=now + first_lock + 1)  # a sixth failure after the wait
    with pytest.raises(AccountLocked) as again:
        store.unlock(ADMIN, PASSWORD, now=now + first_lock + 2)
    assert again.value.until - (now + first_lock + 1) >= 2 * first_lock  # backs off
    assert store.unlock(ADMIN, PASSWORD, now=now + 10_000) == KeyStore.load(path).unlock(
        ADMIN, PASSWORD, now=now + 10_001
    )


def test_failed_log_ins_reach_the_audit_trail_at_the_next_log_in(installation):
    path = installation.db.path
    installation.db.close()
    for _ in range(2):
        with pytest.raises(BadCredentials):
            accounts.log_in(path, ADMIN, "wrong")
    with pytest.raises(BadCredentials):
        accounts.log_in(path, "nobody", "wrong")
    d = accounts.log_in(path, ADMIN, PASSWORD)
    failed = [e.detail for e in audit_log.entries(d) if e.action == "login_failed"]
    d.close()
    assert len(failed) == 3 and any("用户“nobody”：没有这个用户" in f for f in failed)
    assert sum("用户“admin”：密码错误" in f for f in failed) == 2


# --- encryption at rest ------------------------------------------------------------------------------------------
def test_no_plaintext_id_name_or_phone_is_in_the_database_its_wal_or_a_backup(database, tmp_path):
    """The demo's numbers, names and phones appear in no byte of any file the program wrote."""
    demo.build(database, "small", seed=9, as_of=AS_OF)
    conn = raw(database)
    samples = conn.execute("SELECT id_number, name, phone FROM person WHERE phone != '' LIMIT 50").fetchall()
    conn.close()
    backup = db.backup(database.path, tmp_path / "backup" / "copy.sqlite3", database.key)
    files = [p for p in database.path.parent.rglob("*") if p.is_file()] + [backup]
    assert any(p.name.endswith("-wal") for p in files)
    needles = [s.encode() for row in samples for s in row if len(s) >= 3]
    for path in files:
        content = path.read_bytes()
        leaked = [n.decode() for n in needles if n in content]
        assert not leaked, f"{path.name} holds {leaked[:3]}"


def test_the_recovery_key_opens_the_database_and_nothing_else_does(installation):
    store = KeyStore.load(installation.db.path)
    assert store.unlock_with_recovery(installation.recovery_key) == installation.db.key


# --- the audit chain -------------------------------------------------------------------------------------------
@pytest.fixture
def audited(database, township_draft):
    township.initialize(database, township_draft)
    draft = township.load_units(database)
    draft.villages[0].name = "东山新村"
    township.apply_units(database, draft)
    assert audit_log.verify_chain(database).ok
    return database


def tamper(database, sql, *params):
    conn = raw(database)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def test_every_change_is_in_the_audit_with_who_before_and_after(audited):
    """One entry per row and transaction with its net change: the rename, and nothing for untouched rows."""
    updates = [e for e in audit_log.entries(audited) if e.action == "update"]
    assert len(updates) == 1
    assert updates[0].username == ADMIN and updates[0].entity == "village"
    assert updates[0].before == '{"name": "东山村"}' and updates[0].after == '{"name": "东山新村"}'


def test_an_altered_entry_in_the_middle_is_found(audited):
    tamper(audited, "UPDATE audit_entry SET username = 'someone' WHERE id = 3")
    verdict = audit_log.verify_chain(audited)
    assert (verdict.ok, verdict.first_bad_id, verdict.problem) == (False, 3, "altered")


def test_a_deleted_entry_in_the_middle_is_found(audited):
    tamper(audited, "DELETE FROM audit_entry WHERE id = 4")
    verdict = audit_log.verify_chain(audited)
    assert (verdict.ok, verdict.first_bad_id) == (False, 4)


def test_an_inserted_entry_in_the_middle_is_found(audited):
    """A forged entry with a fresh id placed between two real ones breaks the chain at the next real one."""
    conn = raw(audited)
    rows = conn.execute("SELECT id, hash FROM audit_entry ORDER BY id").fetchall()
    for entry_id, _ in reversed(rows[4:]):
        conn.execute("UPDATE audit_entry SET id = ? WHERE id = ?", (entry_id + 1, entry_id))
    prev = rows[3][1]
    at, user, action = "2026-11-29T03:00:00", "admin", "delete"
    h = audit.entry_hash(5, at, user, action, "person", 1, "", "", "", prev)
    conn.execute(
        "INSERT INTO audit_entry (id, at, username, action, entity, entity_id, before, after, detail, "
        "prev_hash, hash) VALUES (5, ?, ?, ?, 'person', 1, '', '', '', ?, ?)",
        (at, user, action, prev, h),
    )
    conn.commit()
    conn.close()
    verdict = audit_log.verify_chain(audited)
    assert (verdict.ok, verdict.first_bad_id) == (False, 6)


def test_a_cut_off_tail_is_found_through_the_head_kept_outside(audited):
    conn = raw(audited)
    last = conn.execute("SELECT max(id) FROM audit_entry").fetchone()[0]
    conn.close()
    tamper(audited, "DELETE FROM audit_entry WHERE id >= ?", last - 1)
    verdict = audit_log.verify_chain(audited)
    assert (verdict.ok, verdict.problem) == (False, "tail_cut")


def test_bulk_updates_that_would_bypass_the_audit_are_refused(database, township_draft):
    from sqlalchemy import update

    from desktop.models import Village

    township.initialize(database, township_draft)
    with pytest.raises(RuntimeError, match="bypasses the audit trail"), database.session() as s:
        s.execute(update(Village).values(name="x"))
    assert [v.name for v in township.load_units(database).villages] == ["东山村", "河口社区"]


def test_a_new_installation_derives_its_keys_with_argon2id_at_its_library_defaults(real_argon2, tmp_path):
    """What the program writes (the tests elsewhere use cheap parameters, conftest.CHEAP_ARGON2)."""
    from argon2 import PasswordHasher
    from argon2.low_level import Type

    defaults = PasswordHasher()
    assert defaults.type is Type.ID and defaults.memory_cost >= 64 * 1024
    path = tmp_path / "data" / db.DB_FILENAME
    accounts.create_installation(path, ADMIN, PASSWORD).db.close()
    entry = KeyStore.load(path).data["users"][ADMIN]
    assert entry["kdf"] == {"t": defaults.time_cost, "m": defaults.memory_cost, "p": defaults.parallelism}
    assert entry["hash"].startswith("$argon2id$") and not defaults.check_needs_rehash(entry["hash"])


def test_a_password_hashed_with_old_parameters_is_rehashed_at_log_in(installation, real_argon2):
    """When argon2-cffi's defaults change, the next log-in rehashes and rewraps with the new ones."""
    from argon2 import PasswordHasher

    path = installation.db.path
    installation.db.close()
    store = KeyStore.load(path)
    entry = store.data["users"][ADMIN]
    entry["hash"] = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    store.save()
    key = KeyStore.load(path).unlock(ADMIN, PASSWORD)
    fresh = KeyStore.load(path).data["users"][ADMIN]
    assert not PasswordHasher().check_needs_rehash(fresh["hash"])
    assert KeyStore.load(path).unlock(ADMIN, PASSWORD) == key


def test_error_messages_carry_no_personal_data_to_the_log(database):
    """A refused write's message (which the log keeps) names no value, only the statement."""
    import sqlalchemy.exc
    from sqlalchemy import insert

    from desktop.models import Person

    row = {
        "id_number": "110105199001011232",
        "name": "测试人",
        "sex": "男",
        "birth_date": AS_OF,
        "household_id": 999,
    }
    with pytest.raises(sqlalchemy.exc.IntegrityError) as caught, database.session() as s:
        s.execute(insert(Person), [row])
    assert "110105199001011232" not in str(caught.value) and "测试人" not in str(caught.value)


def test_leaving_the_program_is_recorded(installation):
    path = installation.db.path
    accounts.log_out(installation.db)
    d = accounts.log_in(path, ADMIN, PASSWORD)
    assert [e.action for e in audit_log.entries(d)][:2] == ["login", "logout"]
    d.close()


def test_every_kind_of_record_has_a_name_in_the_audit_viewer():
    """A table added later without a Chinese name would show its SQL name to the office head."""
    from sqlmodel import SQLModel

    import desktop.models.tables  # noqa: F401 - registers the tables
    from desktop.labels import RECORD_KINDS

    tables = set(SQLModel.metadata.tables) - {"audit_entry"}
    assert tables <= set(RECORD_KINDS), tables - set(RECORD_KINDS)
