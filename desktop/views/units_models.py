"""Editable table models over the township draft's villages and the selected village's groups.

They edit the plain drafts of `desktop.models.units` in memory; nothing is written until the dialog submits.
Cells named by a refused `Problem` are painted red and carry the reason as a tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.models.enums import VillageKind
from desktop.models.units import GroupDraft, VillageDraft

ERROR_BACKGROUND = QColor("#f8d7da")


class _DraftTableModel(QAbstractTableModel):
    FIELDS: tuple[str, ...] = ()
    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list = []
        self.errors: dict[tuple[int, str], str] = {}  # (row, field) -> message

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.FIELDS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.HEADERS[section]
        if role == Qt.DisplayRole and orientation == Qt.Vertical:
            return str(section + 1)
        return None

    def flags(self, index):
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsEditable

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        name = self.FIELDS[index.column()]
        if role in (Qt.DisplayRole, Qt.EditRole):
            return getattr(self.rows[index.row()], name)
        if role == Qt.BackgroundRole and (index.row(), name) in self.errors:
            return ERROR_BACKGROUND
        if role == Qt.ToolTipRole:
            return self.errors.get((index.row(), name))
        return None

    def setData(self, index, value, role=Qt.EditRole) -> bool:
        if role != Qt.EditRole or not index.isValid():
            return False
        name = self.FIELDS[index.column()]
        setattr(self.rows[index.row()], name, str(value).strip())
        self.errors.pop((index.row(), name), None)
        self.dataChanged.emit(index, index, [Qt.DisplayRole, Qt.EditRole, Qt.BackgroundRole])
        return True

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = rows  # the draft's own list: edits land in the draft
        self.errors = {}
        self.endResetModel()

    def set_errors(self, errors: dict[tuple[int, str], str]) -> None:
        self.errors = dict(errors)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.FIELDS) - 1))

    def append(self, row) -> int:
        n = len(self.rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self.rows.append(row)
        self.endInsertRows()
        return n

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.rows[row]
        self.errors = {}
        self.endRemoveRows()

    def next_code(self, width: int) -> str:
        numbers = [int(r.code) for r in self.rows if r.code.isdigit()]
        return f"{(max(numbers) + 1) if numbers else 1:0{width}d}"


class VillagesTableModel(_DraftTableModel):
    FIELDS = ("code", "name", "kind")
    HEADERS = ("代码", "村（社区）名称", "类别")
    KINDS = tuple(k.value for k in VillageKind)

    def add_village(self) -> int:
        return self.append(VillageDraft(code=self.next_code(3), name="", kind=VillageKind.VILLAGE.value))


class GroupsTableModel(_DraftTableModel):
    FIELDS = ("code", "name")
    HEADERS = ("代码", "小组名称")

    def add_group(self) -> int:
        return self.append(GroupDraft(code=self.next_code(2), name=""))
