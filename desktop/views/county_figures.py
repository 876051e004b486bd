"""The county's 考核 figures: a line per figure, the county's total first, then each township that reported;
a township that misses its target is red in its own column."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout

from desktop.views.errors import show_error
from desktop.views.forms import close_buttons
from desktop.views.tables import ListTableModel, read_only_table

RED = QColor("#a61b1b")


class CountyFiguresModel(ListTableModel):
    def __init__(self, figures, parent=None) -> None:
        super().__init__(parent, headers=("指标", "全县合计", *[name for name, _ in figures.townships]))
        self.figures = figures
        self.set_rows(figures.names)

    def cells(self, row) -> tuple:
        key, name = row
        total, rate, _ = self.figures.total(key)
        fraction = f"（{rate.numerator}/{rate.denominator}）" if rate is not None else ""
        mine = []
        for _, a in self.figures.townships:
            f = a.figure(key)
            mine.append(f.rate.text() if f.rate is not None else "" if f.count is None else str(f.count))
        return (name, total + fraction, *mine)

    def data(self, index, role=Qt.DisplayRole):
        if index.isValid() and role == Qt.ForegroundRole and index.column() >= 2:
            key = self.rows[index.row()][0]
            if self.figures.townships[index.column() - 2][1].figure(key).passed is False:
                return RED
        return super().data(index, role)


class CountyFiguresDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle(self.tr("各乡镇考核指标"))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.year.setSuffix(self.tr("年"))
        from desktop.views.assessment_tab import PERIOD_WORDS

        self.period = QComboBox()
        self.period.addItems([self.tr(p) for p in PERIOD_WORDS])
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.view = read_only_table(ListTableModel(self, headers=("指标",)))
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("考核期间：")))
        row.addWidget(self.year)
        row.addWidget(self.period)
        row.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)
        layout.addWidget(close_buttons(self))
        self.year.valueChanged.connect(lambda _v: self.load())
        self.period.currentIndexChanged.connect(lambda _i: self.load())
        self.resize(1180, 620)
        self.load()

    def load(self) -> None:
        from desktop.exchange.county_figures import county_figures
        from desktop.services import assessment
        from desktop.views.assessment_tab import PERIODS

        database = self.window_.db
        year, code = self.year.value(), PERIODS[self.period.currentIndex()]

        def fetch(progress, cancelled):
            return county_figures(database, assessment.parse_period(year, code), progress=progress)

        def shown(figures) -> None:
            self.view.setModel(CountyFiguresModel(figures, self))
            self.view.resizeColumnsToContents()
            self.note.setText(
                self.tr("{0}：已报送的 {1} 个乡镇，按各乡镇最近一次报送的数据和各自的年度目标计算；"
                        "全县合计的比率为各乡镇分子之和除以分母之和。").format(figures.period.label, len(figures.townships))
            )  # fmt: skip

        self.window_.runner.run(fetch, on_done=shown, on_error=lambda exc: show_error(self, exc),
                                label=self.tr("正在计算各乡镇的考核指标…"), parent=self, writes=False)  # fmt: skip
