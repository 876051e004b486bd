"""The audit trail cannot be cut without notice: the chain is checked against its head file before anything is
appended, the head only moves forward from a verified state, and a restore checks a backup against its own
head. Also: who may use the recovery key, and the password rule."""

from __future__ import annotations

import pytest

from desktop import audit, cli, db
from desktop.errors import AuditChainBroken, PermissionDenied, RecoveryKeyRejected, ValidationFailed
from desktop.models.enums import Role
from desktop.services import accounts, audit_log, backups
from desktop.services.accounts import RecoveryRefused
from tests.conftest import ADMIN, PASSWORD, raw


def entries_count(database) -> int:
    conn = raw(database)
    try:
        return conn.execute("SELECT count(*) FROM audit_entry").fetchone()[0]
    finally:
        conn.close()


def cut_tail(database, n: int) -> None:
    conn = raw(database)
    last = conn.execute("SELECT max(id) FROM audit_entry").fetchone()[0]
    conn.execute("DELETE FROM audit_entry WHERE id > ?", (last - n,))
    conn.commit()
    conn.close()


@pytest.fixture
def closed(installation, township_draft):
    """A database with some history, closed as the office leaves it at night."""
    from desktop.services import township

    d = installation.db
    township.initialize(d, township_draft)
    for name in ("东山新村", "东山村", "东山二村"):
        draft = township.load_units(d)
        draft.villages[0].name = name
        township.apply_units(d, draft)
    d.close()
    return d.path


def test_a_cut_tail_is_reported_at_every_log_in_and_never_repaired(closed):
    """Cut the last 3 entries: every later log-in (the window's, `wudu audit verify`'s) still finds the cut,
    although each appends its own entries, because none of them may move the head."""
    head_file = audit.head_path_for(closed)
    d = accounts.log_in(closed, ADMIN, PASSWORD)
    cut_tail(d, 3)
    d.close()
    head_before = head_file.read_bytes()
    for _ in range(3):
        d = accounts.log_in(closed, ADMIN, PASSWORD)
        assert d.audit_problem is not None and d.audit_problem.problem == "tail_cut"
        verdict = audit_log.verify_chain(d)
        assert not verdict.ok and verdict.problem == "tail_cut"
        d.close()
        assert head_file.read_bytes() == head_before


def test_audit_verify_on_the_command_line_exits_1_for_a_cut_tail_and_a_missing_head(
    closed, capsys, monkeypatch
):
    monkeypatch.setenv("WUDU_USER", ADMIN)
    monkeypatch.setenv("WUDU_PASSWORD", PASSWORD)
    args = ["--data-dir", str(closed.parent), "audit", "verify"]
    assert cli.main(args) == cli.EXIT_OK
    d = accounts.log_in(closed, ADMIN, PASSWORD)
    cut_tail(d, 3)
    d.close()
    capsys.readouterr()
    assert cli.main(args) == cli.EXIT_REFUSED
    assert "末尾的记录被截去" in capsys.readouterr().err
    assert cli.main(args) == cli.EXIT_REFUSED  # the first verify's own log-in repaired nothing
    audit.head_path_for(closed).unlink()
    capsys.readouterr()
    assert cli.main(args) == cli.EXIT_REFUSED
    assert "链头文件" in capsys.readouterr().err
    assert cli.main(args) == cli.EXIT_REFUSED
    assert not audit.head_path_for(closed).exists()


def test_a_head_left_behind_by_a_crash_is_moved_forward_after_the_tail_is_verified(closed):
    """A commit whose head write a kill cut short: the entries after the head follow from it, so the next open
    accepts them and moves the head to the end."""
    d = accounts.log_in(closed, ADMIN, PASSWORD)
    conn = raw(d)
    earlier = conn.execute("SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1 OFFSET 2").fetchone()
    conn.close()
    d.close()
    audit.write_head(audit.head_path_for(closed), (earlier[0], earlier[1]))
    d = accounts.log_in(closed, ADMIN, PASSWORD)
    assert d.audit_problem is None
    assert audit_log.verify_chain(d).ok
    d.close()
    assert audit.read_head(audit.head_path_for(closed))[0] > earlier[0] + 2


def test_a_changed_entry_after_the_head_is_not_accepted(closed):
    d = accounts.log_in(closed, ADMIN, PASSWORD)
    conn = raw(d)
    rows = conn.execute("SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 3").fetchall()
    conn.execute("UPDATE audit_entry SET detail = 'forged' WHERE id = ?", (rows[0][0],))
    conn.commit()
    conn.close()
    d.close()
    audit.write_head(audit.head_path_for(closed), (rows[2][0], rows[2][1]))
    d = accounts.log_in(closed, ADMIN, PASSWORD)
    assert d.audit_problem is not None and d.audit_problem.problem == "altered"
    d.close()


def test_an_administrator_re_anchors_with_a_reason_that_stays_in_the_chain(closed):
    audit.head_path_for(closed).unlink()
    d = accounts.log_in(closed, ADMIN, PASSWORD)
    assert d.audit_problem.problem == "head_missing"
    with pytest.raises(ValidationFailed):
        audit_log.reanchor(d, "  ")
    found = audit_log.reanchor(d, "清理磁盘时误删了链头文件")
    assert found.problem == "head_missing"
    assert audit_log.verify_chain(d).ok
    entry = next(e for e in audit_log.entries(d) if e.action == "audit_reanchor")
    assert "head_missing" in entry.detail and "误删了链头文件" in entry.detail
    d.close()
    d = accounts.log_in(closed, ADMIN, PASSWORD)
    assert d.audit_problem is None and audit_log.verify_chain(d).ok
    d.close()


def test_only_an_administrator_may_re_anchor(database):
    from desktop.services.auth import Actor

    database.actor = Actor("luru", "王芳", Role.CLERK)
    with pytest.raises(PermissionDenied):
        audit_log.reanchor(database, "原因")


# --- restore --------------------------------------------------------------------------------------------------
@pytest.fixture
def backup_of(database, tmp_path):
    made = backups.make_backup(database, tmp_path / "usb")
    return made


def test_a_restore_refuses_a_backup_whose_tail_was_cut(database, backup_of):
    conn = db.connect_raw(backup_of, database.key)
    conn.execute("DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)")
    conn.commit()
    conn.close()
    before = entries_count(database)
    with pytest.raises(AuditChainBroken) as caught:
        backups.restore(database, backup_of)
    assert caught.value.detail == "tail_cut"
    assert entries_count(database) == before  # the live database was not touched


def test_a_restore_refuses_a_backup_without_its_head_file(database, backup_of):
    backup_of.with_suffix(".audit-head").unlink()
    with pytest.raises(AuditChainBroken) as caught:
        backups.restore(database, backup_of)
    assert caught.value.detail == "head_missing"


def test_a_restore_of_a_sound_backup_anchors_the_head_to_it(database, backup_of):
    backups.restore(database, backup_of)
    assert database.audit_problem is None and audit_log.verify_chain(database).ok


# --- the recovery key -----------------------------------------------------------------------------------------
@pytest.fixture
def with_recovery(tmp_path):
    made = accounts.create_installation(tmp_path / db.DB_FILENAME, ADMIN, PASSWORD)
    accounts.create_user(made.db, "chakan", "李娜", Role.VIEWER, "viewer-pass-1")
    made.db.close()
    return made.db.path, made.recovery_key


def test_recover_resets_an_existing_administrator(with_recovery):
    path, key = with_recovery
    d = accounts.recover(path, key, ADMIN, "another-strong-9")
    assert d.actor.role == Role.ADMIN
    assert any(e.action == "recovery_reset" for e in audit_log.entries(d))
    d.close()
    accounts.log_in(path, ADMIN, "another-strong-9").close()


@pytest.mark.parametrize("who", ["ghost", "chakan"], ids=["unknown name", "a viewer"])
def test_recover_makes_no_new_administrator_and_promotes_nobody(with_recovery, who):
    path, key = with_recovery
    with pytest.raises(RecoveryRefused):
        accounts.recover(path, key, who, "another-strong-9")
    d = accounts.log_in(path, ADMIN, PASSWORD)
    users = {u.username: u.role for u in accounts.list_users(d)}
    failed = [e for e in audit_log.entries(d) if e.action == "recovery_failed"]
    d.close()
    assert users == {ADMIN: Role.ADMIN, "chakan": Role.VIEWER}
    assert failed and who in failed[0].detail
    if who == "chakan":  # the viewer's own password still works and still only reads
        v = accounts.log_in(path, "chakan", "viewer-pass-1")
        assert v.actor.role == Role.VIEWER
        v.close()


def test_recover_creates_an_administrator_only_when_none_is_left(with_recovery):
    path, key = with_recovery
    d = accounts.log_in(path, ADMIN, PASSWORD)
    conn = raw(d)
    conn.execute("UPDATE user_account SET active = 0 WHERE username = ?", (ADMIN,))
    conn.commit()
    conn.close()
    d.close()
    d = accounts.recover(path, key, "xinguan", "another-strong-9")
    entry = next(e for e in audit_log.entries(d) if e.action == "recovery_reset")
    assert "已没有管理员" in entry.detail
    d.close()


def test_a_wrong_recovery_key_reaches_the_audit_trail(with_recovery):
    path, _ = with_recovery
    with pytest.raises(RecoveryKeyRejected):
        accounts.recover(path, "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF-GGGGG-HHHHH", ADMIN, "another-strong-9")
    d = accounts.log_in(path, ADMIN, PASSWORD)
    failed = [e.detail for e in audit_log.entries(d) if e.action == "login_failed"]
    d.close()
    assert any("恢复密钥错误" in f for f in failed)


# --- the password rule ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "password", ["12345678", "password", "qwertyui", "qwertyuiop", "1234567890", "password12", "admin12345"]
)
def test_guessable_passwords_are_refused_everywhere(password, database, with_recovery):
    """The same rule for new accounts, resets, the first administrator and the recovery key."""
    with pytest.raises(ValidationFailed):
        accounts.create_user(database, "luru", "王芳", Role.CLERK, password)
    with pytest.raises(ValidationFailed):
        accounts.reset_password(database, ADMIN, password)
    path, key = with_recovery
    with pytest.raises(ValidationFailed):
        accounts.recover(path, key, ADMIN, password)


def test_a_short_password_is_refused_for_its_length_and_a_long_phrase_is_accepted(database, tmp_path):
    with pytest.raises(ValidationFailed) as caught:
        accounts.create_user(database, "luru", "王芳", Role.CLERK, "Xy7#kq2")
    assert caught.value.problems[0].reason == "password_short"
    assert caught.value.problems[0].params["min"] == 10
    accounts.create_user(database, "luru", "王芳", Role.CLERK, "河口-春耕-2718")
    with pytest.raises(ValidationFailed):
        accounts.create_installation(tmp_path / "x" / db.DB_FILENAME, "admin", "1234567890")
    assert not (tmp_path / "x" / db.DB_FILENAME).exists()


def test_the_rule_is_said_the_same_way_it_is_checked():
    from desktop import messages

    assert "10" in messages.PASSWORD_RULE and accounts.MIN_PASSWORD == 10
