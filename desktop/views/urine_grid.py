"""按名单登记结果: a test day at the police station in one grid — every delivered notice whose window has begun,
a result to choose on each row (blank: not tested today, left as it is), one date, tester and unit for all.
Saved in one transaction; then each warning result proposes its status entry for the clerk to confirm."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QStyledItemDelegate, QWidget

from desktop.models.enums import NoticeState, UrineResult
from desktop.services import urine, urine_register
from desktop.views.forms import Form, date_from_field
from desktop.views.tables import ListTableModel, read_only_table

BLANK = ""
CHOICES = (BLANK, *(x.value for x in UrineResult))


class ResultsModel(ListTableModel):
    """The notices of the test day, with the result chosen for each (blank: not tested today)."""

    HEADERS = ("通知编号", "对象", "检测期限", "结果")

    def __init__(self, rows, parent=None) -> None:
        super().__init__(parent)
        self.set_rows(rows)
        self.chosen = [BLANK] * len(rows)

    def cells(self, r) -> tuple:
        return (r.number, r.name, f"{r.window_from} 至 {r.window_to}", "")

    def data(self, index, role=Qt.DisplayRole):
        if index.isValid() and index.column() == 3 and role in (Qt.DisplayRole, Qt.EditRole):
            return self.chosen[index.row()]
        return super().data(index, role)

    def flags(self, index):
        flags = super().flags(index)
        return flags | Qt.ItemIsEditable if index.column() == 3 else flags

    def setData(self, index, value, role=Qt.EditRole) -> bool:
        if role != Qt.EditRole or index.column() != 3 or value not in CHOICES:
            return False
        self.chosen[index.row()] = value
        self.dataChanged.emit(index, index)
        return True


class ResultDelegate(QStyledItemDelegate):
    """The result column edited with a drop-down of the four results (and blank)."""

    def createEditor(self, parent, option, index):
        editor = QComboBox(parent)
        editor.addItems(CHOICES)
        return editor

    def setEditorData(self, editor, index) -> None:
        editor.setCurrentText(index.data() or BLANK)

    def setModelData(self, editor, model, index) -> None:
        model.setData(index, editor.currentText())


class ResultsGrid(Form):
    def __init__(self, database, parent=None, today: dt.date | None = None) -> None:
        super().__init__(self.tr("按名单登记检测结果"), self.tr("保存全部结果"), parent)
        self.database, self.today = database, today or dt.date.today()
        self.proposals: list[tuple[int, urine.Proposal]] = []
        self.rows = [
            r
            for r in urine_register.notice_rows(database, today=self.today, include_closed=False)
            if r.state == NoticeState.DELIVERED.value and r.window_from <= self.today
        ]
        self.on = QLineEdit(self.today.isoformat())
        self.tester = QLineEdit()
        self.tester.setPlaceholderText(self.tr("检测人"))
        self.unit = QLineEdit()
        self.unit.setPlaceholderText(self.tr("检测单位"))
        self.form.addRow(self.tr("检测日期："), self.on)
        self.form.addRow(self.tr("检测人："), self.tester)
        self.form.addRow(self.tr("检测单位："), self.unit)
        self.model = ResultsModel(self.rows, self)
        self.grid = read_only_table(self.model)
        self.grid.setItemDelegateForColumn(3, ResultDelegate(self.grid))
        self.grid.setEditTriggers(self.grid.EditTrigger.AllEditTriggers)  # a click or a key opens the list
        self.grid.resizeColumnsToContents()
        all_negative = QPushButton(self.tr("空着的都记为阴性(&N)"))
        all_negative.clicked.connect(self.fill_negative)
        bar = QWidget()
        line = QHBoxLayout(bar)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(all_negative)
        line.addStretch()
        self.layout_.insertWidget(1, self.grid, 1)
        self.layout_.insertWidget(2, bar)
        self.first_field = self.tester
        self.resize(760, 560)

    def choose(self, row: int, result: str) -> None:
        self.model.setData(self.model.index(row, 3), result)

    def fill_negative(self) -> None:
        for row, value in enumerate(self.model.chosen):
            if value == BLANK:
                self.choose(row, UrineResult.NEGATIVE.value)

    def _on_submit(self) -> None:
        chosen = {r.notice_id: c for r, c in zip(self.rows, self.model.chosen, strict=True) if c}

        def save() -> None:
            self.tested_on = date_from_field(self.on, "tested_on")
            self.proposals = urine.record_results(self.database, chosen, on=self.tested_on, tester=self.tester.text(),
                                                  unit=self.unit.text(), today=self.today)  # fmt: skip

        if not chosen:
            self.message.setText(self.tr("还没有为任何一人选择结果。"))
            self.message.show()
            return
        if self.run(save):
            self.accept()
