"""Small pieces every table in the window shares: a model for a short in-memory list, and a read-only view.

Large registers do not use ListTableModel: they are id-backed and fetch rows on demand (residents_model.py).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView


class ListTableModel(QAbstractTableModel):
    """A short list of plain rows (accounts, audit entries…); subclasses say how a row reads in `cells`."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent=None, headers: tuple[str, ...] | None = None) -> None:
        super().__init__(parent)
        self.headers = headers if headers is not None else self.HEADERS
        self.rows: list = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def remove_row(self, index: int) -> None:
        """Take one row out without resetting the model (a long list keeps its scroll position and speed)."""
        self.beginRemoveRows(QModelIndex(), index, index)
        del self.rows[index]
        self.endRemoveRows()

    def replace_row(self, index: int, row) -> None:
        self.rows[index] = row
        self.dataChanged.emit(self.index(index, 0), self.index(index, self.columnCount() - 1))

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.tr(self.headers[section])
        return None

    def cells(self, row) -> tuple:
        raise NotImplementedError

    def tooltip(self, row, column: int):
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.DisplayRole:
            return self.cells(row)[index.column()]
        if role == Qt.ToolTipRole:
            return self.tooltip(row, index.column())
        return None


def read_only_table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    return view
