"""The township and its villages/communities and groups, as one form: used by the first-run setup and by
设置 → 行政区划. Layout only, with `load(draft)` and `to_data()`; the dialogs own submitting."""

from __future__ import annotations

import copy
import re

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import messages
from desktop.errors import Problem
from desktop.models.units import TownshipDraft
from desktop.views.units_models import GroupsTableModel, VillagesTableModel

_PATH = re.compile(r"^villages\[(\d+)\](?:\.groups\[(\d+)\])?\.(\w+)$")


class _KindDelegate(QStyledItemDelegate):
    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.addItems(VillagesTableModel.KINDS)
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentText(index.data(Qt.EditRole) or VillagesTableModel.KINDS[0])

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentText(), Qt.EditRole)


def _table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.setEditTriggers(
        QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed | QAbstractItemView.AnyKeyPressed
    )
    header = view.horizontalHeader()
    for column in range(model.columnCount()):
        header.setSectionResizeMode(
            column, QHeaderView.Stretch if column == 1 else QHeaderView.ResizeToContents
        )
    view.verticalHeader().setDefaultSectionSize(26)
    return view


class AdminUnitsEditor(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._draft = TownshipDraft("", "")
        self._problems: list[Problem] = []
        self.county = QLineEdit()
        self.county.setPlaceholderText(self.tr("例如：新邵县"))
        self.township = QLineEdit()
        self.township.setPlaceholderText(self.tr("例如：严塘镇"))
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("9位或12位统计用区划代码，可不填"))
        head = QFormLayout()
        head.addRow(self.tr("县（市、区）(&C)："), self.county)
        head.addRow(self.tr("乡镇（街道）(&T)："), self.township)
        head.addRow(self.tr("乡镇代码："), self.code)

        self.villages = VillagesTableModel(self)
        self.groups = GroupsTableModel(self)
        self.village_view = _table(self.villages)
        self.village_view.setItemDelegateForColumn(2, _KindDelegate(self.village_view))
        self.group_view = _table(self.groups)
        self.add_village_button = QPushButton(self.tr("添加村（社区）(&V)"))
        self.remove_village_button = QPushButton(self.tr("删除"))
        self.add_group_button = QPushButton(self.tr("添加小组(&G)"))
        self.remove_group_button = QPushButton(self.tr("删除"))
        self.groups_box = QGroupBox(self.tr("小组"))

        vbox = QGroupBox(self.tr("村（社区）"))
        vl = QVBoxLayout(vbox)
        vl.addWidget(self.village_view)
        vb = QHBoxLayout()
        vb.addWidget(self.add_village_button)
        vb.addWidget(self.remove_village_button)
        vb.addStretch()
        vl.addLayout(vb)
        gl = QVBoxLayout(self.groups_box)
        gl.addWidget(self.group_view)
        gb = QHBoxLayout()
        gb.addWidget(self.add_group_button)
        gb.addWidget(self.remove_group_button)
        gb.addStretch()
        gl.addLayout(gb)
        lists = QHBoxLayout()
        lists.addWidget(vbox, 3)
        lists.addWidget(self.groups_box, 2)

        self.problem_label = QLabel()
        self.problem_label.setObjectName("problems")
        self.problem_label.setStyleSheet("color: #a61b1b;")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(lists, 1)
        layout.addWidget(self.problem_label)

        self.add_village_button.clicked.connect(self._add_village)
        self.remove_village_button.clicked.connect(self._remove_village)
        self.add_group_button.clicked.connect(self._add_group)
        self.remove_group_button.clicked.connect(self._remove_group)
        self.village_view.selectionModel().currentRowChanged.connect(lambda *_: self._show_groups())
        self.villages.dataChanged.connect(lambda *_: self._update_groups_title())

    # --- data in and out -------------------------------------------------------------------------------
    def load(self, draft: TownshipDraft) -> None:
        self._draft = copy.deepcopy(draft)
        self.county.setText(self._draft.county_name)
        self.township.setText(self._draft.township_name)
        self.code.setText(self._draft.code)
        self.villages.set_rows(self._draft.villages)
        self.show_problems([])
        if self._draft.villages:
            self._select_village(0)
        else:
            self._show_groups()

    def to_data(self) -> TownshipDraft:
        self._commit_open_editors()
        self._draft.county_name = self.county.text()
        self._draft.township_name = self.township.text()
        self._draft.code = self.code.text()
        return copy.deepcopy(self._draft)

    def _commit_open_editors(self) -> None:
        """A cell still being typed in counts: commit its text, as pressing Enter would."""
        for view in (self.village_view, self.group_view):
            for editor in view.viewport().findChildren(QWidget):
                if isinstance(editor, (QLineEdit, QComboBox)) and editor.isVisible():
                    view.commitData(editor)
                    view.closeEditor(editor, QStyledItemDelegate.NoHint)

    # --- problems ----------------------------------------------------------------------------------------
    def show_problems(self, problems: list[Problem]) -> None:
        self._problems = list(problems)
        for widget, name in (
            (self.county, "county_name"),
            (self.township, "township_name"),
            (self.code, "code"),
        ):
            bad = [p for p in problems if p.field == name]
            widget.setStyleSheet("border: 1px solid #c62828;" if bad else "")
            widget.setToolTip(messages.describe_problem(bad[0]) if bad else "")
        village_errors = {}
        for p in problems:
            m = _PATH.match(p.field)
            if m and m.group(2) is None:
                village_errors[(int(m.group(1)), m.group(3))] = messages.describe_problem(p)
        self.villages.set_errors(village_errors)
        self._show_group_errors()
        self.problem_label.setText("\n".join(messages.describe_problem(p) for p in problems))
        self.problem_label.setVisible(bool(problems))

    def _show_group_errors(self) -> None:
        row = self._current_village()
        errors = {}
        for p in self._problems:
            m = _PATH.match(p.field)
            if m and m.group(2) is not None and int(m.group(1)) == row:
                errors[(int(m.group(2)), m.group(3))] = messages.describe_problem(p)
        self.groups.set_errors(errors)

    # --- actions -----------------------------------------------------------------------------------------
    def _current_village(self) -> int:
        index = self.village_view.currentIndex()
        return index.row() if index.isValid() else -1

    def _select_village(self, row: int) -> None:
        self.village_view.selectionModel().setCurrentIndex(  # on the name: typing there names the village
            self.villages.index(row, 1), QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows
        )
        self._show_groups()

    def _show_groups(self) -> None:
        row = self._current_village()
        has_village = 0 <= row < len(self._draft.villages)
        self.groups.set_rows(self._draft.villages[row].groups if has_village else [])
        self._update_groups_title()
        for w in (self.add_group_button, self.remove_group_button, self.group_view):
            w.setEnabled(has_village)
        self.remove_village_button.setEnabled(has_village)
        self._show_group_errors()

    def _update_groups_title(self) -> None:
        row = self._current_village()
        name = self._draft.villages[row].name if 0 <= row < len(self._draft.villages) else ""
        self.groups_box.setTitle(self.tr("小组 — {0}").format(name) if name else self.tr("小组"))

    def _add_village(self) -> None:
        row = self.villages.add_village()
        self._select_village(row)
        self.village_view.edit(self.villages.index(row, 1))

    def _remove_village(self) -> None:
        row = self._current_village()
        if row >= 0:
            self.villages.remove(row)
            if self._draft.villages:
                self._select_village(min(row, len(self._draft.villages) - 1))
            else:
                self._show_groups()

    def _add_group(self) -> None:
        row = self.groups.add_group()
        self.group_view.setCurrentIndex(self.groups.index(row, 1))
        self.group_view.edit(self.groups.index(row, 1))

    def _remove_group(self) -> None:
        index = self.group_view.currentIndex()
        if index.isValid():
            self.groups.remove(index.row())
