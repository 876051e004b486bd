"""按名单登记结果: a test day at the police station in one grid — every delivered notice whose window has begun,
a result to choose on each row (blank: not tested today, left as it is), one date, tester and unit for all.
Saved in one transaction; then each warning result proposes its status entry for the clerk to confirm."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.models.enums import NoticeState, UrineResult
from desktop.services import urine, urine_register
from desktop.views.forms import Form, date_from_field

BLANK = ""


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
        self.grid = QTableWidget(len(self.rows), 4)
        self.grid.setHorizontalHeaderLabels(
            [self.tr("通知编号"), self.tr("对象"), self.tr("检测期限"), self.tr("结果")]
        )
        self.grid.verticalHeader().hide()
        self.choices: list[QComboBox] = []
        for i, r in enumerate(self.rows):
            for column, text in enumerate((r.number, r.name, f"{r.window_from} 至 {r.window_to}")):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~item.flags().ItemIsEditable)
                self.grid.setItem(i, column, item)
            choice = QComboBox()
            choice.addItems([BLANK, *(x.value for x in UrineResult)])
            self.grid.setCellWidget(i, 3, choice)
            self.choices.append(choice)
        self.grid.resizeColumnsToContents()
        self.grid.horizontalHeader().setStretchLastSection(True)
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

    def fill_negative(self) -> None:
        for choice in self.choices:
            if choice.currentText() == BLANK:
                choice.setCurrentText(UrineResult.NEGATIVE.value)

    def _on_submit(self) -> None:
        chosen = {
            r.notice_id: c.currentText()
            for r, c in zip(self.rows, self.choices, strict=True)
            if c.currentText()
        }

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
