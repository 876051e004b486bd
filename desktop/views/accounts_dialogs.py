"""Accounts in the window: change my password; the administrator's list of users (add, role, disable, reset)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from desktop import messages
from desktop.errors import DomainError, Problem, ValidationFailed
from desktop.models.enums import Role
from desktop.services import accounts
from desktop.services.accounts import UserInfo
from desktop.views.errors import show_error
from desktop.views.forms import Form as _Form
from desktop.views.forms import close_buttons, password_rule
from desktop.views.forms import password_field as _password_field
from desktop.views.tables import ListTableModel, read_only_table


class ChangePasswordDialog(_Form):
    def __init__(self, database, parent=None) -> None:
        super().__init__(self.tr("修改我的密码"), self.tr("修改"), parent)
        self.database = database
        self.old = _password_field()
        self.new = _password_field()
        self.confirm = _password_field()
        self.form.addRow(self.tr("原密码："), self.old)
        self.form.addRow(self.tr("新密码："), self.new)
        self.form.addRow(self.tr("再输入一次："), self.confirm)
        password_rule(self)
        self.first_field = self.old

    def _on_submit(self) -> None:
        if self.new.text() != self.confirm.text():
            self.refuse(ValidationFailed([Problem("new_password", "password_mismatch")]))
            return
        try:
            accounts.change_own_password(self.database, self.old.text(), self.new.text())
        except Exception as exc:
            self.refuse(exc)
            return
        self.accept()


class AddUserDialog(_Form):
    def __init__(self, database, parent=None) -> None:
        super().__init__(self.tr("添加账户"), self.tr("添加"), parent)
        self.database = database
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.role = QComboBox()
        self.role.addItems([Role.CLERK.value, Role.VIEWER.value, Role.ADMIN.value])
        self.password = _password_field()
        self.confirm = _password_field()
        for label, widget in (
            (self.tr("用户名："), self.username),
            (self.tr("姓名："), self.display_name),
            (self.tr("角色："), self.role),
            (self.tr("初始密码："), self.password),
            (self.tr("再输入一次："), self.confirm),
        ):
            self.form.addRow(label, widget)
        password_rule(self)
        self.first_field = self.username

    def _on_submit(self) -> None:
        if self.password.text() != self.confirm.text():
            self.refuse(ValidationFailed([Problem("password", "password_mismatch")]))
            return
        try:
            accounts.create_user(
                self.database,
                self.username.text(),
                self.display_name.text(),
                Role(self.role.currentText()),
                self.password.text(),
            )
        except Exception as exc:
            self.refuse(exc)
            return
        self.accept()


class UsersTableModel(ListTableModel):
    HEADERS = ("用户名", "姓名", "角色", "状态")

    def cells(self, u: UserInfo) -> tuple:
        return (u.username, u.display_name, u.role.value, self.tr("在用") if u.active else self.tr("已停用"))


class AccountsDialog(QDialog):
    def __init__(self, database, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("账户管理"))
        self.database = database
        self.model = UsersTableModel(self)
        self.view = read_only_table(self.model)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("添加账户(&A)…"))
        self.role_button = QPushButton(self.tr("更改角色(&R)…"))
        self.reset_button = QPushButton(self.tr("重设密码(&P)…"))
        self.toggle_button = QPushButton(self.tr("停用/启用(&D)"))
        for b in (self.add_button, self.role_button, self.reset_button, self.toggle_button):
            buttons.addWidget(b)
        buttons.addStretch()
        close = close_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.add_button.clicked.connect(self.add_user)
        self.role_button.clicked.connect(self.change_role)
        self.reset_button.clicked.connect(self.reset_password)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.resize(560, 360)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(accounts.list_users(self.database))

    def selected(self) -> UserInfo | None:
        index = self.view.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def _run(self, action) -> None:
        try:
            action()
        except DomainError as exc:
            show_error(self, exc)
        self.reload()

    def add_user(self) -> None:
        if AddUserDialog(self.database, self).exec():
            self.reload()

    def change_role(self) -> None:
        user = self.selected()
        if user is None:
            return
        roles = [r.value for r in Role]
        role, ok = QInputDialog.getItem(
            self,
            self.tr("更改角色"),
            self.tr("{0} 的角色：").format(user.username),
            roles,
            roles.index(user.role.value),
            False,
        )
        if ok:
            self._run(lambda: accounts.update_user(self.database, user.username, role=Role(role)))

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        password, ok = QInputDialog.getText(
            self,
            self.tr("重设密码"),
            self.tr("{0} 的新密码：").format(user.username) + "\n" + messages.PASSWORD_RULE,
            QLineEdit.Password,
        )
        if ok:
            self._run(lambda: accounts.reset_password(self.database, user.username, password))

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        if user.active:
            if (
                QMessageBox.question(
                    self,
                    self.tr("停用账户"),
                    self.tr("停用 {0}？停用后该账户不能再登录。").format(user.username),
                )
                == QMessageBox.Yes
            ):
                self._run(lambda: accounts.update_user(self.database, user.username, active=False))
            return
        password, ok = QInputDialog.getText(
            self,
            self.tr("启用账户"),
            self.tr("启用 {0}，并设置新密码：").format(user.username) + "\n" + messages.PASSWORD_RULE,
            QLineEdit.Password,
        )
        if ok:

            def enable() -> None:
                accounts.reset_password(self.database, user.username, password)
                accounts.update_user(self.database, user.username, active=True)

            self._run(enable)
