"""The shape every small form shares: fields, a red line for what was refused, 确定/取消, and the cursor in the
first field when shown. Refusals of any kind go through `refuse`, so every form says them the same way."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from desktop import messages
from desktop.errors import DomainError, Problem, ValidationFailed
from desktop.views.errors import show_error


def date_from_field(field: QLineEdit, name: str) -> dt.date:
    """The date typed in `field` (2026-01-05, 2026/1/5, 2026.1.5 or 2026年1月5日), or ValidationFailed on `name`."""
    from desktop.services.people_excel import parse_date

    try:
        value = parse_date(field.text().strip())
    except ValueError:
        value = None
    if value is None:
        raise ValidationFailed([Problem(name, "date_format", {"value": field.text()})])
    return value


def close_buttons(dialog: QDialog) -> QDialogButtonBox:
    """The 关闭 button of a dialog that saves as it goes."""
    box = QDialogButtonBox(QDialogButtonBox.Close)
    box.button(QDialogButtonBox.Close).setText(dialog.tr("关闭"))
    box.rejected.connect(dialog.reject)
    return box


def password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.Password)
    return field


def password_rule(form: Form) -> QLabel:
    """The password rule, shown under the fields before anyone types (not only after a refusal)."""
    rule = QLabel(messages.PASSWORD_RULE)
    rule.setObjectName("password_rule")
    rule.setWordWrap(True)
    rule.setStyleSheet("color: #555;")
    form.layout_.insertWidget(form.layout_.indexOf(form.message), rule)
    return rule


class Form(QDialog):
    """A small form: fields, a red line for what was refused, and 确定/取消."""

    def __init__(self, title: str, ok_text: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setStyleSheet("color: #a61b1b;")
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(ok_text)
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self._on_submit)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(self.buttons)

    first_field = None  # where the cursor starts: the first field the clerk has to type in

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.first_field is not None:
            self.activateWindow()
            self.first_field.setFocus()

    def refuse(self, error: BaseException | str) -> None:
        if isinstance(error, BaseException) and not isinstance(error, DomainError):
            show_error(self, error)
            return
        self.message.setText(error if isinstance(error, str) else messages.describe(error))
        self.message.show()

    def run(self, action) -> bool:
        """Call `action`; a refusal is shown in the form and False returned, so the dialog stays open."""
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - shown to the clerk, unexpected ones logged by show_error
            self.refuse(exc)
            return False
        self.message.hide()
        return True

    def _on_submit(self) -> None:  # pragma: no cover - each form has its own
        raise NotImplementedError
