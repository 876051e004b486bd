"""ResidentsTableModel: the 排查登记 register, backed by a list of ids, rows fetched a page at a time."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.services.residents import ResidentRow

PAGE = 200
CACHE_LIMIT = 5_000
COLUMNS = (
    ("姓名", "name"),
    ("身份证号码", "id_number_masked"),
    ("性别", "sex"),
    ("出生年月", "birth_month"),
    ("村（社区）", "village"),
    ("小组", "group"),
    ("居住类型", "residence_type"),
    ("联系电话", "phone"),
    ("涉毒状态", "drug_status"),
)
# Widest typical content per column: widths come from these, not from scanning every row.
WIDTH_SAMPLES = (
    "欧阳晓明明",
    "430522**********3X",
    "性别",
    "2026-11",
    "河口镇东山社区",
    "十二组",
    "外出务工",
    "13912345678",
    "戒断三年未复吸",
)
KEY_PERSON_COLOR = QColor("#8a1c1c")


class ResidentsTableModel(QAbstractTableModel):
    width_samples = WIDTH_SAMPLES

    def __init__(self, fetch_rows: Callable[[list[int]], dict[int, ResidentRow]], parent=None) -> None:
        super().__init__(parent)
        self._fetch = fetch_rows
        self.database = None  # the database the rows come from (a switch of database makes a new model)
        self.ids: list[int] = []
        self._cache: dict[int, ResidentRow] = {}

    def set_ids(self, ids: list[int]) -> None:
        self.beginResetModel()
        self.ids = list(ids)
        self._cache.clear()
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.tr(COLUMNS[section][0])
        return None

    def row(self, row: int) -> ResidentRow:
        pid = self.ids[row]
        if pid not in self._cache:
            if len(self._cache) > CACHE_LIMIT:
                self._cache.clear()
            start = (row // PAGE) * PAGE
            self._cache.update(self._fetch(self.ids[start : start + PAGE]))
        return self._cache[pid]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.DisplayRole:
            value = getattr(self.row(index.row()), COLUMNS[index.column()][1])
            return value.isoformat() if hasattr(value, "isoformat") else value
        if role == Qt.ForegroundRole and self.row(index.row()).drug_status:
            return KEY_PERSON_COLOR
        return None
