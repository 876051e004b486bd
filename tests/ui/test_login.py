"""Log-in as the clerk meets it: the first administrator, the recovery sheet, log-in, lock-out, idle lock, roles."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QLabel, QMessageBox

from desktop import db
from desktop.models.enums import Role
from desktop.services import accounts, audit_log, demo
from desktop.views import app as app_module
from desktop.views.login import LoginDialog
from desktop.views.main_window import MainWindow
from desktop.views.tasks import InlineRunner
from tests.conftest import ADMIN, AS_OF, PASSWORD, damage_pages, raw
from tests.ui.helpers import answer_modals, names, type_chinese


def test_first_start_creates_the_administrator_prints_the_recovery_sheet_then_offers_setup(
    qtbot, tmp_path, monkeypatch
):
    opened = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(Path(url.toLocalFile()).read_bytes())
    )

    def create(dialog):
        dialog.display_name.setText("")
        type_chinese(dialog.display_name, "张伟")
        dialog.password.setText(PASSWORD)
        dialog.confirm.setText(PASSWORD)
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.LeftButton)

    def sheet(dialog):
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        assert not ok.isEnabled()  # not before the clerk confirms it was printed
        qtbot.mouseClick(dialog.print_button, Qt.LeftButton)
        dialog.printed.setChecked(True)
        qtbot.mouseClick(ok, Qt.LeftButton)

    seen = answer_modals(create, sheet, lambda chooser: chooser.reject())
    assert app_module.open_main_window(tmp_path, InlineRunner()) is None  # quit at the first-run choice
    assert names(seen) == ["CreateAdminDialog", "RecoverySheetDialog", "FirstRunDialog"]
    assert opened and opened[0].startswith(b"%PDF")
    assert not list(tmp_path.rglob("密钥恢复单.pdf"))  # the sheet does not stay on disk
    d = accounts.log_in(tmp_path / db.DB_FILENAME, "admin", PASSWORD)
    actions = [e.action for e in audit_log.entries(d)]
    assert "install" in actions and "print" in actions
    d.close()


def test_a_wrong_password_is_refused_then_the_account_locks(qtbot, installation):
    path = installation.db.path
    installation.db.close()
    dialog = LoginDialog(path)
    qtbot.addWidget(dialog)
    for _ in range(5):
        dialog.password.setText("wrong-password")
        dialog._on_submit()
    assert dialog.database is None and dialog.password.text() == ""
    assert "错误次数过多" in dialog.message.text()
    dialog.password.setText(PASSWORD)  # even the right password waits out the lock
    dialog._on_submit()
    assert "已被锁定" in dialog.message.text() and dialog.database is None


def test_a_database_in_use_is_refused_at_log_in(qtbot, installation):
    dialog = LoginDialog(installation.db.path)
    qtbot.addWidget(dialog)
    dialog.password.setText(PASSWORD)
    dialog._on_submit()
    assert dialog.database is None
    assert "正被另一个程序窗口使用" in dialog.message.text()


def lock_note(dialog) -> str:
    return next(label.text() for label in dialog.findChildren(QLabel) if "已锁定" in label.text())


def test_the_idle_lock_hides_the_records_until_the_password_is_typed(qtbot, database):
    demo.build(database, "small", seed=2, as_of=AS_OF)
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.show()
    states, notes = [], []

    def unlock(dialog):
        states.append((w.stack.currentWidget() is w.lock_page, w.menuBar().isEnabled()))
        notes.append(lock_note(dialog))
        dialog.password.setText("wrong-password")
        dialog._on_submit()
        states.append(dialog.message.text())
        dialog.password.setText(PASSWORD)
        dialog._on_submit()

    answer_modals(unlock)
    clock = w.idle.clock
    w.idle.clock = lambda: w.idle.last_activity + 11 * 60  # eleven minutes without a key or a click
    w.idle.check()
    assert states[0] == (True, False)
    assert "密码不正确" in states[1]
    assert w.stack.currentWidget() is w.tabs and w.menuBar().isEnabled()
    assert "unlock" in [e.action for e in audit_log.entries(database)]
    assert "长时间未操作" in notes[0]
    # Ctrl+L is the clerk's own act: the prompt does not say the window was left idle
    w.idle.clock = clock  # the clerk is back at the keyboard
    w.idle.last_activity = clock()
    answer_modals(lambda dialog: notes.append(lock_note(dialog)) or dialog.reject())
    lock_action = next(a for a in w.findChildren(QAction) if a.shortcut().toString() == "Ctrl+L")
    lock_action.trigger()
    qtbot.waitUntil(lambda: len(notes) == 2)
    assert "窗口已锁定" in notes[1] and "长时间未操作" not in notes[1]


def test_a_viewer_sees_no_settings_and_the_services_refuse_them_too(qtbot, database, township_draft):
    from desktop.errors import PermissionDenied
    from desktop.services import township

    township.initialize(database, township_draft)
    accounts.create_user(database, "chakan", "李娜", Role.VIEWER, "viewer-pass-1")
    path = database.path
    database.close()
    viewer = accounts.log_in(path, "chakan", "viewer-pass-1")
    w = MainWindow(viewer, InlineRunner(), path.parent)
    qtbot.addWidget(w)
    assert not w.units_action.isEnabled() and not w.accounts_action.isEnabled()
    assert not w.full_id_action.isEnabled()
    assert w.user_label.text() == "操作员：李娜（查看）"
    try:
        township.apply_units(viewer, township.load_units(viewer))
    except PermissionDenied as exc:
        assert exc.role == "查看"
    else:
        raise AssertionError("a viewer changed the admin units")
    viewer.close()


def test_showing_a_full_id_number_is_deliberate_and_audited(qtbot, database, monkeypatch):
    demo.build(database, "small", seed=2, as_of=AS_OF)
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.load_registers()
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    w.register_tabs[0].view.setCurrentIndex(w.register_tabs[0].model.index(3, 0))
    w.full_id_action.trigger()
    masked = w.register_tabs[0].model.data(w.register_tabs[0].model.index(3, 1))
    assert masked[:6] in shown[0] and "********" not in shown[0]
    assert [e.action for e in audit_log.entries(database)][0] == "view_full_id"


def test_log_in_opens_the_main_window_for_the_user(qtbot, installation, township_draft):
    from desktop.services import township

    township.initialize(installation.db, township_draft)
    data_dir = installation.db.path.parent
    installation.db.close()

    def login(dialog):
        dialog.password.setText(PASSWORD)
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.LeftButton)

    answer_modals(login)
    w = app_module.open_main_window(data_dir, InlineRunner())
    qtbot.addWidget(w)
    assert w.db.actor.username == ADMIN and w.township_label.text() == "新邵县 严塘镇"
    w.db.close()


def test_a_damaged_database_at_start_offers_the_newest_good_backup(qtbot, database, monkeypatch):
    from desktop.services import backups

    demo.build(database, "small", seed=2, as_of=AS_OF)
    backups.make_backup(database)
    path, key = database.path, database.key
    database.close_engine()
    damage_pages(path)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.Yes)
    assert app_module.check_at_start(database) is database
    assert "数据库检查未通过" in asked[0] and "最近的完好备份" in asked[0]
    assert db.quick_check(path, key) == "ok"


def test_each_form_opens_with_the_cursor_where_the_clerk_starts_typing(qtbot, installation):
    """Found by driving the real window with the keyboard: typed passwords went into the user-name field."""
    from desktop.views.login import CreateAdminDialog

    path = installation.db.path
    login = LoginDialog(path)
    qtbot.addWidget(login)
    login.show()
    qtbot.waitUntil(lambda: login.focusWidget() is login.password)
    create = CreateAdminDialog(path.parent / "other" / db.DB_FILENAME)
    qtbot.addWidget(create)
    create.show()
    qtbot.waitUntil(lambda: create.focusWidget() is create.display_name)


def test_the_lock_covers_a_case_file_left_open_without_losing_it(qtbot, database):
    """Found while adding the 帮教 dialogs: the lock hid the main window but not a dialog open on top of it."""
    from desktop.services import aftercare_register
    from desktop.views.case_dialog import CaseDialog

    demo.build(database, "small", seed=2, as_of=AS_OF)
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.show()
    row = aftercare_register.case_rows(database)[0]
    dialog = CaseDialog(database, row.case_id, row.name, w)
    dialog.show()
    seen = []

    def unlock(unlock_dialog):
        covers = [c for c in dialog.findChildren(QLabel) if c.text() == "窗口已锁定"]
        seen.append(len(covers) == 1 and covers[0].isVisible() and covers[0].geometry() == dialog.rect())
        unlock_dialog.password.setText(PASSWORD)
        unlock_dialog._on_submit()

    answer_modals(unlock)
    w.idle.clock = lambda: w.idle.last_activity + 11 * 60
    w.idle.check()
    assert seen == [True]
    qtbot.waitUntil(lambda: not [c for c in dialog.findChildren(QLabel) if c.text() == "窗口已锁定"])
    assert dialog.isVisible()  # still open, as it was left


def test_an_administrator_is_told_at_log_in_when_the_audit_tail_was_cut(qtbot, installation, township_draft):
    """The chain lost its last entries while the program was closed: the administrator reads it on opening,
    and the head file is left as the evidence, not rewritten by this log-in."""
    from desktop import audit
    from desktop.services import township

    township.initialize(installation.db, township_draft)
    data_dir = installation.db.path.parent
    conn = raw(installation.db)
    conn.execute("DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)")
    conn.commit()
    conn.close()
    installation.db.close()
    head_before = audit.head_path_for(installation.db.path).read_bytes()

    def login(dialog):
        dialog.password.setText(PASSWORD)
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.LeftButton)

    warned = []

    def read_warning(box):
        warned.append(box.text())
        box.accept()

    answer_modals(login, read_warning)
    w = app_module.open_main_window(data_dir, InlineRunner())
    qtbot.addWidget(w)
    assert warned and "末尾的记录被截去" in warned[0]
    w.db.close()
    assert audit.head_path_for(installation.db.path).read_bytes() == head_before


def test_the_recovery_sheet_and_attachments_wait_inside_the_data_folder(qtbot, database):
    """The printed recovery sheet and an opened scan pass through a temporary folder: it is the data folder's
    own owner-only tmp/, never the system's temp folder."""
    from desktop.views.key_file_dialog import KeyFileDialog
    from desktop.views.login import RecoverySheetDialog

    sheet = RecoverySheetDialog(database, "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF-GGGGG-HHHHH")
    scan = KeyFileDialog(database, 1, "某人")
    for dialog in (sheet, scan):
        qtbot.addWidget(dialog)
        folder = Path(dialog._tmp.name)
        assert folder.is_relative_to(database.path.parent / "tmp")
        assert folder.parent.stat().st_mode & 0o077 == 0
