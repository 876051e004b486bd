"""名册: the township's 毒情信息员 and 禁毒宣传员 — who serves, where, since when; ending a service keeps the
line, in grey; and the roster printed for filing with the county."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.models.enums import RosterKind, Sex
from desktop.services import aftercare_print, residents, rosters
from desktop.services.auth import Permission
from desktop.views.forms import Form, close_buttons, date_from_field
from desktop.views.printouts import print_pdf
from desktop.views.tables import ListTableModel, read_only_table

GONE = QColor("#888888")


class RosterTableModel(ListTableModel):
    HEADERS = ("姓名", "性别", "村（社区）", "单位及职务", "联系电话", "聘任日期", "离任日期", "备注")

    def cells(self, r: rosters.RosterRow) -> tuple:
        until = r.until.isoformat() if r.until else ""
        return (r.name, r.sex, r.village, r.unit, r.phone, r.since.isoformat(), until, r.notes)

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.ForegroundRole and index.isValid() and self.rows[index.row()].until is not None:
            return GONE
        return super().data(index, role)


class EntryForm(Form):
    def __init__(self, database, kind: str, parent=None) -> None:
        super().__init__(self.tr("添加{0}").format(kind), self.tr("添加"), parent)
        self.database, self.kind = database, kind
        self.name = QLineEdit()
        self.sex = QComboBox()
        self.sex.addItems(["", *(s.value for s in Sex)])
        self.village = QComboBox()
        self.village.addItems(["", *(name for _, name in residents.villages(database))])
        self.unit = QLineEdit()
        self.unit.setPlaceholderText(self.tr("如：一组组长、村卫生室医生"))
        self.phone = QLineEdit()
        self.since = QLineEdit(dt.date.today().isoformat())
        self.notes = QLineEdit()
        for label, w in (
            (self.tr("姓名："), self.name),
            (self.tr("性别："), self.sex),
            (self.tr("村（社区）："), self.village),
            (self.tr("单位及职务："), self.unit),
            (self.tr("联系电话："), self.phone),
            (self.tr("聘任日期："), self.since),
            (self.tr("备注："), self.notes),
        ):
            self.form.addRow(label, w)
        self.first_field = self.name
        self.resize(440, 300)

    def _on_submit(self) -> None:
        if self.run(
            lambda: rosters.add_entry(
                self.database,
                kind=self.kind,
                name=self.name.text(),
                sex=self.sex.currentText(),
                village=self.village.currentText(),
                unit=self.unit.text(),
                phone=self.phone.text(),
                since=date_from_field(self.since, "roster_since"),
                notes=self.notes.text(),
            )
        ):
            self.accept()


class EndForm(Form):
    def __init__(self, database, row: rosters.RosterRow, parent=None) -> None:
        super().__init__(self.tr("离任"), self.tr("确定"), parent)
        self.database, self.row = database, row
        self.until = QLineEdit(dt.date.today().isoformat())
        self.form.addRow(self.tr("姓名："), QLineEdit(f"{row.name}（{row.kind}）", readOnly=True))
        self.form.addRow(self.tr("离任日期："), self.until)
        self.first_field = self.until

    def _on_submit(self) -> None:
        if self.run(
            lambda: rosters.end_entry(
                self.database, self.row.id, until=date_from_field(self.until, "roster_until")
            )
        ):
            self.accept()


class RostersDialog(QDialog):
    def __init__(self, database, parent=None, *, data_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.data_dir = data_dir or database.path.parent
        self.setWindowTitle(self.tr("名册：毒情信息员、禁毒宣传员"))
        self.kinds = [k.value for k in RosterKind]
        self.models, self.views = {}, {}
        self.pages = QTabWidget()
        for kind in self.kinds:
            model = RosterTableModel(self)
            view = read_only_table(model)
            add, end, show = (
                QPushButton(self.tr("添加(&A)…")),
                QPushButton(self.tr("所选人员离任(&L)…")),
                QPushButton(self.tr("打印名册(&P)")),
            )
            actor = database.actor
            for button, permission in (
                (add, Permission.WRITE),
                (end, Permission.WRITE),
                (show, Permission.PRINT),
            ):
                button.setEnabled(bool(actor and actor.may(permission)))
            add.clicked.connect(lambda _=False, k=kind: self.add(k))
            end.clicked.connect(lambda _=False, k=kind: self.end(k))
            show.clicked.connect(lambda _=False, k=kind: self.print_roster(k))
            page = QWidget()
            layout = QVBoxLayout(page)
            layout.addWidget(view, 1)
            row = QHBoxLayout()
            for b in (add, end):
                row.addWidget(b)
            row.addStretch()
            row.addWidget(show)
            layout.addLayout(row)
            self.pages.addTab(page, kind)
            self.models[kind], self.views[kind] = model, view
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(close_buttons(self))
        self.last_printout: Path | None = None
        self.resize(900, 520)
        self.refresh()

    def refresh(self) -> None:
        for kind in self.kinds:
            self.models[kind].set_rows(rosters.entries(self.database, kind))
            self.views[kind].resizeColumnsToContents()

    def add(self, kind: str) -> None:
        if EntryForm(self.database, kind, self).exec():
            self.refresh()

    def end(self, kind: str) -> None:
        index = self.views[kind].currentIndex()
        if not index.isValid():
            return
        row = self.models[kind].rows[index.row()]
        if row.until is None and EndForm(self.database, row, self).exec():
            self.refresh()

    def print_roster(self, kind: str) -> None:
        self.last_printout = print_pdf(
            self, self.data_dir, f"{kind}名册.pdf", lambda: aftercare_print.roster(self.database, kind)
        )
