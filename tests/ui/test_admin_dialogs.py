"""The administrator's dialogs: accounts (add, disable) and the audit viewer (filter, verify)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.models.enums import Role
from desktop.services import accounts
from desktop.views.accounts_dialogs import AccountsDialog, AddUserDialog
from desktop.views.audit_dialog import AuditDialog
from tests.conftest import raw
from tests.ui.helpers import type_chinese


def test_adding_a_clerk_through_the_dialog_lets_them_log_in(qtbot, database):
    dialog = AddUserDialog(database)
    qtbot.addWidget(dialog)
    dialog.username.setText("luru")
    type_chinese(dialog.display_name, "王芳")
    dialog.role.setCurrentText(Role.CLERK.value)
    dialog.password.setText("clerk-pass-1")
    dialog.confirm.setText("clerk-pass-2")
    dialog._on_submit()
    assert "两次输入的密码不一致" in dialog.message.text()
    dialog.confirm.setText("clerk-pass-1")
    dialog._on_submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    database.close()
    clerk = accounts.log_in(database.path, "luru", "clerk-pass-1")
    assert clerk.actor.role is Role.CLERK and clerk.actor.display_name == "王芳"
    clerk.close()


def test_disabling_an_account_in_the_list(qtbot, database, monkeypatch):
    accounts.create_user(database, "luru", "王芳", Role.CLERK, "clerk-pass-1")
    dialog = AccountsDialog(database)
    qtbot.addWidget(dialog)
    assert [u.username for u in dialog.model.rows] == ["admin", "luru"]
    dialog.view.setCurrentIndex(dialog.model.index(1, 0))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.Yes)
    qtbot.mouseClick(dialog.toggle_button, Qt.LeftButton)
    assert dialog.model.data(dialog.model.index(1, 3)) == "已停用"


def test_the_audit_viewer_filters_and_reports_a_broken_chain(qtbot, database, monkeypatch):
    accounts.create_user(database, "luru", "王芳", Role.CLERK, "clerk-pass-1")
    dialog = AuditDialog(database)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() >= 3
    dialog.entity.setCurrentText("账户")  # record kinds in the office's words, not table names
    assert dialog.model.rowCount() >= 1
    assert {dialog.model.data(dialog.model.index(r, 4)) for r in range(dialog.model.rowCount())} == {"账户"}
    dialog.user.setText("nobody")
    dialog.search()
    assert dialog.model.rowCount() == 0
    said = []
    monkeypatch.setattr(QMessageBox, "information", lambda p, t, text: said.append(("ok", text)))
    monkeypatch.setattr(QMessageBox, "warning", lambda p, t, text: said.append(("bad", text)))
    dialog.verify()
    conn = raw(database)
    conn.execute("UPDATE audit_entry SET detail = 'x' WHERE id = 1")
    conn.commit()
    conn.close()
    dialog.verify()
    assert said[0][0] == "ok" and said[1] == (
        "bad",
        "审计日志校验失败：第 1 条 — 内容被改动。记录可能被篡改、删除或截断。",
    )


def test_the_audit_viewer_says_each_entry_in_the_office_s_words(qtbot, database, township_draft):
    """No stored JSON, no column names, no raw action codes in the viewer's list."""
    from desktop.services import township
    from desktop.views.audit_dialog import AuditDialog, AuditTableModel

    township.initialize(database, township_draft)
    draft = township.load_units(database)
    draft.villages[0].name = "东山新村"
    township.apply_units(database, draft)
    dialog = AuditDialog(database)
    qtbot.addWidget(dialog)
    rows = dialog.model.rows
    texts = [AuditTableModel.content(r) for r in rows]
    update = next(t for r, t in zip(rows, texts, strict=True) if r.action == "update")
    assert "名称：东山村 → 东山新村" in update
    assert not any("{" in t or '"' in t or "_id" in t for t in texts), texts
    actions = [dialog.model.data(dialog.model.index(i, 3)) for i in range(len(rows))]
    assert all(not a.isascii() for a in actions), actions


def test_the_audit_viewer_names_a_shared_column_as_its_own_table_does(qtbot, database, township_draft):
    """报告日期 on a 重大毒情报告, 报到日期 on a 帮教 case: the same column name, each in its table's words."""
    import datetime as dt

    from desktop.services import assessment_records, township
    from desktop.views.audit_dialog import AuditDialog, AuditTableModel

    township.initialize(database, township_draft)
    day = dt.date(2026, 5, 3)
    values = {"found_on": day, "what": "发现可疑种植", "reported_to": "县禁毒办", "reported_on": day}
    assessment_records.add(database, "major", values, today=dt.date(2026, 5, 4))
    dialog = AuditDialog(database)
    qtbot.addWidget(dialog)
    (report,) = [AuditTableModel.content(r) for r in dialog.model.rows if r.entity == "major_report"]
    assert "报告日期：2026-05-03" in report and "报到日期" not in report
