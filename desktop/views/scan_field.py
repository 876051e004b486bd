"""The scan field the 尿检通知 and 责任书 tabs share: a USB barcode scanner types a returned paper's number and
Enter; the field asks its service, says the outcome in green or red (a beep when nothing changed: the clerk looks
at the paper, not the screen), keeps this session's scans newest first, and is ready for the next at once."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QLineEdit, QListWidget, QVBoxLayout, QWidget

from desktop.errors import DomainError
from desktop.services.scanning import ScanOutcome
from desktop.views.errors import show_error

GREEN, RED = QColor("#1b7a2e"), QColor("#a61b1b")
WORDS = {
    "done": "✔ {number} {name}：{done}",
    "already": "● {number} {name}：已是“{detail}”，未改动",
    "void": "✖ {number} {name}：已作废（{detail}），未改动",
    "unknown": "✖ {number}：没有这个编号，未改动",
    "unreadable": "✖ “{number}”不是编号，未改动",
}


class ScanField(QWidget):
    scanned = Signal(object)  # the ScanOutcome, after each scan

    def __init__(
        self, label: str, placeholder: str, done: str, scan: Callable[[str], ScanOutcome], parent=None
    ):
        super().__init__(parent)
        self.scan, self.done = scan, done
        self.field = QLineEdit()
        self.field.setPlaceholderText(placeholder)
        self.result = QLabel()
        self.history = QListWidget()  # this session's scans, newest first; shown from the first scan
        self.history.setMaximumHeight(90)
        self.history.hide()
        self.row = row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(label))
        row.addWidget(self.field, 1)
        row.addWidget(self.result, 2)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.history)
        self.field.returnPressed.connect(self._scan)

    def add_beside(self, label: str, widget: QWidget) -> None:
        """A field of what the scans record besides the number (set once for a stack of papers), after the
        scan field."""
        at = self.row.indexOf(self.field) + 1
        self.row.insertWidget(at, widget)
        self.row.insertWidget(at, QLabel(label))

    def focus(self) -> None:
        self.field.setFocus()
        self.field.selectAll()

    def _scan(self) -> None:
        text = self.field.text()
        self.field.clear()
        if not text.strip():
            return
        try:
            out = self.scan(text)
        except DomainError as exc:
            show_error(self, exc)
            return
        line = self.tr(WORDS[out.kind]).format(
            number=out.number, name=out.name, detail=out.detail, done=self.done
        )
        colour = GREEN if out.kind == "done" else RED
        self.result.setText(line)
        self.result.setStyleSheet(f"color: {colour.name()}; font-weight: bold;")
        self.history.show()
        self.history.insertItem(0, line)
        self.history.item(0).setForeground(colour)
        if out.kind != "done":
            QApplication.beep()
        self.scanned.emit(out)
