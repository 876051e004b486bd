"""Log-in, the first administrator, the recovery sheet, recovery, and the idle unlock.

This module is what the clerk sees first, so it imports no ORM: the services behind each button load while the
clerk types (see `_preload`), keeping the log-in window quick to appear (benchmarks/startup.py).
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from desktop import tempfiles
from desktop.errors import Problem, ValidationFailed
from desktop.views.errors import show_error
from desktop.views.forms import Form as _Form
from desktop.views.forms import password_field as _password_field
from desktop.views.forms import password_rule


def _preload() -> None:
    """Import the ORM-backed services on a worker thread while the clerk types their password."""

    def work() -> None:
        import desktop.services.accounts  # noqa: F401
        import desktop.services.township  # noqa: F401

    threading.Thread(target=work, name="preload-services", daemon=True).start()


class LoginDialog(_Form):
    def __init__(self, db_path: Path, username: str = "admin", parent=None) -> None:
        super().__init__(self.tr("登录 — 无毒社区工作台"), self.tr("登录(&L)"), parent)
        self.db_path = Path(db_path)
        self.database = None
        self.username = QLineEdit(username)
        self.password = _password_field()
        self.form.addRow(self.tr("用户名(&U)："), self.username)
        self.form.addRow(self.tr("密码(&P)："), self.password)
        self.recover_button = QPushButton(self.tr("忘记密码？用恢复密钥重设…"))
        self.recover_button.setFlat(True)
        self.recover_button.clicked.connect(self._recover)
        self.layout_.insertWidget(2, self.recover_button, 0, Qt.AlignLeft)
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("退出"))
        self.first_field = self.password if username else self.username
        self.resize(380, 180)
        _preload()

    def _on_submit(self) -> None:
        from PySide6.QtWidgets import QApplication

        from desktop.services import accounts

        # opening takes a moment (the key derivation), and after an update of the program a verified backup and
        # the schema upgrade: say so, rather than look frozen
        self.message.setStyleSheet("")
        self.message.setText(self.tr("正在打开数据库……（新版本首次使用时会先备份、再升级数据库，请稍候）"))
        self.message.show()
        QApplication.setOverrideCursor(Qt.WaitCursor)
        QApplication.processEvents()
        try:
            self.database = accounts.log_in(self.db_path, self.username.text(), self.password.text())
        except Exception as exc:
            QApplication.restoreOverrideCursor()
            self.message.setStyleSheet("color: #a61b1b;")
            self.message.hide()
            self.password.clear()
            self.password.setFocus()
            self.refuse(exc)
            return
        QApplication.restoreOverrideCursor()
        self.accept()

    def _recover(self) -> None:
        dialog = RecoverDialog(self.db_path, self)
        if dialog.exec():
            self.database = dialog.database
            self.accept()


class RecoverDialog(_Form):
    def __init__(self, db_path: Path, parent=None) -> None:
        super().__init__(self.tr("用恢复密钥重设管理员密码"), self.tr("重设密码"), parent)
        self.db_path = Path(db_path)
        self.database = None
        self.recovery_key = QLineEdit()
        self.recovery_key.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
        self.username = QLineEdit("admin")
        self.password = _password_field()
        self.confirm = _password_field()
        self.form.addRow(self.tr("恢复密钥："), self.recovery_key)
        self.form.addRow(self.tr("管理员用户名："), self.username)
        self.form.addRow(self.tr("新密码："), self.password)
        self.form.addRow(self.tr("再输入一次："), self.confirm)
        password_rule(self)
        self.first_field = self.recovery_key
        self.resize(560, 260)

    def _on_submit(self) -> None:
        from desktop.services import accounts

        if self.password.text() != self.confirm.text():
            self.refuse(ValidationFailed([Problem("new_password", "password_mismatch")]))
            return
        try:
            self.database = accounts.recover(
                self.db_path, self.recovery_key.text(), self.username.text().strip(), self.password.text()
            )
        except Exception as exc:
            self.refuse(exc)
            return
        self.accept()


class CreateAdminDialog(_Form):
    """First start: there is no database yet. Create it, encrypted, with its first administrator."""

    def __init__(self, db_path: Path, parent=None) -> None:
        super().__init__(self.tr("首次使用：创建管理员"), self.tr("创建(&C)"), parent)
        self.db_path = Path(db_path)
        self.installation = None
        intro = QLabel(
            self.tr(
                "数据库将加密保存在：<br><code>{0}</code><br>请设置第一位管理员的账户。管理员可以再为录入员和"
                "查看人员开设账户。"
            ).format(db_path)
        )
        intro.setWordWrap(True)
        self.layout_.insertWidget(0, intro)
        self.username = QLineEdit("admin")
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText(self.tr("例如：张伟"))
        self.password = _password_field()
        self.confirm = _password_field()
        self.form.addRow(self.tr("用户名(&U)："), self.username)
        self.form.addRow(self.tr("姓名(&N)："), self.display_name)
        self.form.addRow(self.tr("密码(&P)："), self.password)
        self.form.addRow(self.tr("再输入一次："), self.confirm)
        password_rule(self)
        # a county officer or a clerk in training may only want to look first: the demo has its own database
        self.wants_demo = False
        self.demo_button = QPushButton(self.tr("先看看演示数据(&D)…"))
        self.demo_button.setToolTip(
            self.tr(
                "打开一个合成的演示乡镇（单独的数据库，不对应任何真人，也不会混入正式数据）；以后可从“文件”菜单回来创建正式数据库。"
            )
        )
        self.buttons.addButton(self.demo_button, QDialogButtonBox.ResetRole)
        self.demo_button.clicked.connect(self._demo)
        self.first_field = self.display_name
        self.resize(520, 340)
        _preload()

    def _demo(self) -> None:
        self.wants_demo = True
        self.accept()

    def _on_submit(self) -> None:
        from desktop.services import accounts

        if self.password.text() != self.confirm.text():
            self.refuse(ValidationFailed([Problem("password", "password_mismatch")]))
            return
        try:
            self.installation = accounts.create_installation(
                self.db_path, self.username.text(), self.password.text(), self.display_name.text()
            )
        except Exception as exc:
            self.refuse(exc)
            return
        self.accept()


class RecoverySheetDialog(QDialog):
    """Shows the recovery key once, prints it as 密钥恢复单, and lets the clerk go on only once it is printed."""

    def __init__(self, database, recovery_key: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("密钥恢复单"))
        self.database = database
        self.recovery_key = recovery_key
        scratch = tempfiles.scratch_dir(database.path.parent)  # inside the data folder, never the system's
        self._tmp = tempfile.TemporaryDirectory(dir=scratch, prefix="wudu-sheet-")
        text = QLabel(
            self.tr(
                "<p>这是数据库的<b>恢复密钥</b>。所有管理员都忘记密码时，只有它能打开数据。</p>"
                "<p>请现在打印<b>密钥恢复单</b>，签字、装入信封密封，交负责人锁进保险柜。本窗口关闭后不会再显示。</p>"
            )
        )
        text.setWordWrap(True)
        groups = recovery_key.split("-")
        self.key_label = QLabel("  ".join(groups[:4]) + "\n" + "  ".join(groups[4:]))
        self.key_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        font = QFont(self.key_label.font())
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        self.key_label.setFont(font)
        self.key_label.setAlignment(Qt.AlignCenter)
        self.key_label.setWordWrap(True)
        self.print_button = QPushButton(self.tr("打开恢复单并打印(&P)"))
        self.save_button = QPushButton(self.tr("另存为PDF(&S)…"))
        self.printed = QCheckBox(self.tr("我已打印密钥恢复单并交负责人封存"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("继续"))
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(False)
        self.printed.toggled.connect(self.buttons.button(QDialogButtonBox.Ok).setEnabled)
        self.buttons.accepted.connect(self.accept)
        self.print_button.clicked.connect(self.open_for_printing)
        self.save_button.clicked.connect(self.save_as)
        row = QHBoxLayout()
        row.addWidget(self.print_button)
        row.addWidget(self.save_button)
        row.addStretch()
        layout = QVBoxLayout(self)
        for w in (text, self.key_label):
            layout.addWidget(w)
        layout.addLayout(row)
        layout.addWidget(self.printed)
        layout.addWidget(self.buttons)
        self.resize(620, 300)

    def sheet_bytes(self) -> bytes:
        from desktop import audit
        from desktop.pdf.recovery_sheet import build_recovery_sheet

        header = self.database.township()
        data = build_recovery_sheet(
            self.recovery_key, header.township_name if header else "", str(self.database.path)
        )
        with self.database.session() as s:
            audit.record(s, [audit.Change("print", detail="密钥恢复单")])
        return data

    def open_for_printing(self) -> Path:
        target = Path(self._tmp.name) / "密钥恢复单.pdf"  # removed when this dialog goes
        target.write_bytes(self.sheet_bytes())
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        return target

    def save_as(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存密钥恢复单"), "密钥恢复单.pdf", "PDF (*.pdf)"
        )
        if name:
            try:
                Path(name).write_bytes(self.sheet_bytes())
            except OSError as exc:
                show_error(self, exc)

    def done(self, result: int) -> None:
        super().done(result)
        self._tmp.cleanup()


class UnlockDialog(_Form):
    """After the idle time: the same user's password, or leave the program."""

    def __init__(self, database, parent=None, *, idle: bool = True) -> None:
        super().__init__(self.tr("已锁定 — 无毒社区工作台"), self.tr("解锁(&U)"), parent)
        self.database = database
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("退出程序"))
        why = self.tr("长时间未操作，窗口已锁定。") if idle else self.tr("窗口已锁定。")
        note = QLabel(why + self.tr("请输入 {0} 的密码继续。").format(database.actor.username))
        note.setWordWrap(True)
        self.layout_.insertWidget(0, note)
        self.password = _password_field()
        self.form.addRow(self.tr("密码(&P)："), self.password)
        self.first_field = self.password
        self.resize(400, 160)

    def _on_submit(self) -> None:
        from desktop.services import accounts

        try:
            accounts.confirm_password(self.database, self.password.text())
        except Exception as exc:
            self.password.clear()
            self.refuse(exc)
            return
        self.accept()
