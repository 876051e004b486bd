"""按组录入: a group's screening sheet, handed in after a field day, entered in one grid.

Every household of the group is listed in 户号 order with 正常 already in place; the clerk changes only the
exceptions (a result from the list, a note), then saves the whole sheet in one step. Households visited before
keep their result unless it is changed here."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLineEdit, QStyledItemDelegate

from desktop.models.enums import ScreeningResult
from desktop.services import campaigns, residents
from desktop.views.forms import Form, date_from_field
from desktop.views.tables import ListTableModel, read_only_table

RESULT, NOTES = 3, 4
EXCEPTION = QColor("#a61b1b")  # a result other than 正常 stands out on the sheet


class GroupSheetTableModel(ListTableModel):
    """The group's households; the result and the note are edited in place, changes kept apart."""

    HEADERS = ("户号", "户主", "住址", "排查结果", "备注")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.changed: dict[int, list[str]] = {}  # household id -> [result, notes]

    def set_rows(self, rows) -> None:
        self.changed = {}
        super().set_rows(rows)

    def entry(self, row: campaigns.GroupHousehold) -> list[str]:
        return self.changed.get(row.household_id, [row.result or ScreeningResult.NORMAL.value, row.notes])

    def cells(self, row: campaigns.GroupHousehold) -> tuple:
        result, notes = self.entry(row)
        return (row.number, row.head, row.address, result, notes)

    def flags(self, index):
        base = super().flags(index)
        return base | Qt.ItemIsEditable if index.column() in (RESULT, NOTES) else base

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.EditRole:
            return self.data(index, Qt.DisplayRole)
        if role == Qt.ForegroundRole and index.isValid() and index.column() == RESULT:
            result = self.entry(self.rows[index.row()])[0]
            return None if result == ScreeningResult.NORMAL.value else EXCEPTION
        return super().data(index, role)

    def setData(self, index, value, role=Qt.EditRole) -> bool:
        if role != Qt.EditRole or index.column() not in (RESULT, NOTES):
            return False
        row = self.rows[index.row()]
        entry = list(self.entry(row))
        entry[0 if index.column() == RESULT else 1] = str(value).strip()
        self.changed[row.household_id] = entry
        self.dataChanged.emit(index, index)
        return True


class ResultDelegate(QStyledItemDelegate):
    """The 排查结果 cell is picked from the list, never typed."""

    def createEditor(self, parent, option, index):
        box = QComboBox(parent)
        box.addItems([r.value for r in ScreeningResult])
        return box

    def setEditorData(self, editor, index) -> None:
        editor.setCurrentText(index.data(Qt.EditRole))

    def setModelData(self, editor, model, index) -> None:
        model.setData(index, editor.currentText(), Qt.EditRole)


class GroupSheetDialog(Form):
    def __init__(self, database, campaign: campaigns.CampaignInfo, parent=None) -> None:
        super().__init__(
            self.tr("按组录入排查表 — {0}").format(campaign.name), self.tr("保存整组(&S)"), parent
        )
        self.database, self.campaign = database, campaign
        names = campaigns.village_names(database)
        self.village = QComboBox()
        for village_id in campaign.village_ids:
            self.village.addItem(names.get(village_id, ""), village_id)
        self.group = QComboBox()
        self.screened_on = QLineEdit(min(dt.date.today(), campaign.end_on).isoformat())
        self.screener = QLineEdit()
        self.model = GroupSheetTableModel(self)
        self.view = read_only_table(self.model)
        self.view.setEditTriggers(QAbstractItemView.AllEditTriggers)
        self.view.setItemDelegateForColumn(RESULT, ResultDelegate(self.view))
        for label, w in (
            (self.tr("村（社区）："), self.village),
            (self.tr("小组："), self.group),
            (self.tr("排查日期："), self.screened_on),
            (self.tr("排查人："), self.screener),
        ):
            self.form.addRow(label, w)
        self.layout_.insertWidget(1, self.view, 1)
        self.village.currentIndexChanged.connect(self._fill_groups)
        self.group.currentIndexChanged.connect(self._load)
        self._fill_groups()
        self.first_field = self.screener
        self.resize(820, 620)

    def _fill_groups(self) -> None:
        self.group.blockSignals(True)
        self.group.clear()
        for group_id, name in residents.groups(self.database, self.village.currentData()):
            self.group.addItem(name, group_id)
        self.group.blockSignals(False)
        self._load()

    def _load(self) -> None:
        group_id = self.group.currentData()
        self.model.set_rows(
            [] if group_id is None else campaigns.group_sheet(self.database, self.campaign.id, group_id)
        )
        self.view.resizeColumnsToContents()
        widest = max(self.view.fontMetrics().horizontalAdvance(r.value) for r in ScreeningResult)
        self.view.setColumnWidth(RESULT, widest + 40)  # room for the longest result and the list's arrow

    def _on_submit(self) -> None:
        group_id = self.group.currentData()
        if group_id is None:
            return
        results = {hid: (r, n) for hid, (r, n) in self.model.changed.items()}
        if self.run(
            lambda: campaigns.record_group(
                self.database,
                self.campaign.id,
                group_id,
                screened_on=date_from_field(self.screened_on, "screened_on"),
                screener=self.screener.text(),
                results=results,
            )
        ):
            self.accept()
