"""The 考核 tab (the fifth): every figure the county assesses for the chosen year, quarter or month — value,
numerator and denominator, target, met or not, what the score preview takes off — a chart of the selected
figure by month, and a double-click (or Enter) on a figure opens the records behind it. Beside the figures, the
records the plans ask the office to keep (宣传教育, 知晓率调查, meetings, 重大毒情, 禁种铲毒, 人户分离, 脱毒认定)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services.auth import Permission
from desktop.views.errors import show_error
from desktop.views.tables import ListTableModel, read_only_table

RED = QColor("#a61b1b")
GREEN = QColor("#1b6e2a")
PERIODS = ("全年", "Q1", "Q2", "Q3", "Q4", *(f"M{m}" for m in range(1, 13)))
PERIOD_WORDS = ("全年", "第一季度", "第二季度", "第三季度", "第四季度", *(f"{m}月" for m in range(1, 13)))


class FiguresModel(ListTableModel):
    HEADERS = ("类别", "指标", "数值", "分子/分母", "目标", "是否达标", "预计扣分")

    def cells(self, f) -> tuple:
        return (f.group, f.name, f.value_text, f.fraction, f.target_text, f.verdict,
                f"{f.points:g}" if f.points else "")  # fmt: skip

    def tooltip(self, f, column: int):
        return f.definition

    def data(self, index, role=Qt.DisplayRole):
        if index.isValid() and role == Qt.ForegroundRole:
            passed = self.rows[index.row()].passed
            return RED if passed is False else GREEN if passed and index.column() == 5 else None
        return super().data(index, role)


class AssessmentTab(QWidget):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("register-assessment")
        self.assessment = None
        self.trends: dict = {}  # the year's months, assessed once: {"year", "db", "points"}
        self.today = dt.date.today  # tests set the day
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(self.today().year)
        self.year.setSuffix(self.tr("年"))
        self.period = QComboBox()
        self.period.addItems([self.tr(p) for p in PERIOD_WORDS])
        self.score = QLabel()
        self.score.setObjectName("score")
        self.buttons = {
            "drill": QPushButton(self.tr("查看明细(&D)")),
            "targets": QPushButton(self.tr("年度考核目标(&T)…")),
            "report": QPushButton(self.tr("打印年度总结(&P)…")),
            "weekly": QPushButton(self.tr("一周一统计(&W)…")),
        }
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("考核期间：")))
        bar.addWidget(self.year)
        bar.addWidget(self.period)
        for b in self.buttons.values():
            bar.addWidget(b)
        bar.addStretch()
        bar.addWidget(self.score)
        self.model = FiguresModel(self)
        self.view = read_only_table(self.model)
        self.view.activated.connect(lambda _i: self.drill())  # Enter or a double-click, as in the registers
        from desktop.views.assessment_chart import TrendChart

        self.chart = TrendChart(self)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.view)
        split.addWidget(self.chart)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        figures = QWidget()
        layout = QVBoxLayout(figures)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        from desktop.views.assessment_records import RecordsPage

        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(figures, self.tr("考核指标"))
        self.records = RecordsPage.all_pages(window)
        for page in self.records:
            self.pages.addTab(page, page.title)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        self.year.valueChanged.connect(lambda _v: self.load(changed=False))  # the chart's months are by year
        self.period.currentIndexChanged.connect(lambda _i: self.load(changed=False))
        self.view.selectionModel().selectionChanged.connect(lambda _s, _d: self.show_trend())
        self.buttons["drill"].clicked.connect(self.drill)
        self.buttons["targets"].clicked.connect(window.edit_targets)
        self.buttons["report"].clicked.connect(window.print_year_report)
        self.buttons["weekly"].clicked.connect(window.print_weekly_counts)

    # --- figures -----------------------------------------------------------------------------------------
    stale = True  # the figures wait until the tab is shown: a window that starts on another tab costs nothing

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.stale:
            self.load()

    def load(self, changed: bool = True) -> None:
        """Assess the chosen period; `changed` (the default: a record or a target changed) also forgets the
        months of the chart, which another period of the same year reuses."""
        if changed:
            self.trends = {}
        if not self.isVisible():
            self.stale = True
            return
        self.stale = False
        from desktop.services import assessment

        database, year, code = self.window_.db, self.year.value(), PERIODS[self.period.currentIndex()]
        today = self.today()
        actor = database.actor
        for key, permission in (("targets", Permission.SETTINGS), ("report", Permission.PRINT),
                                ("weekly", Permission.PRINT)):  # fmt: skip
            self.buttons[key].setEnabled(bool(actor and actor.may(permission)))

        def fetch(progress, cancelled):
            period = assessment.parse_period(year, code)
            return assessment.assess(database, period, today=today)

        def shown(result) -> None:
            if database is not self.window_.db:
                return
            self.assessment = result
            self.model.set_rows(result.figures)
            self.view.resizeColumnsToContents()
            failed = sum(1 for f in result.figures if f.passed is False)
            self.score.setText(
                self.tr("{0}：未达标 {1} 项，预计得分 {2:g}").format(
                    result.period.label, failed, result.score
                )
            )
            self.score.setToolTip(
                self.tr(
                    "按默认评分规则预估：未达标的比率扣其分值，缺签的责任书每份扣1分（以县里的考核细则为准）"
                )
            )
            if self.model.rows:
                self.view.selectRow(0)
            for page in self.records:
                page.load()

        self.window_.runner.run(
            fetch, on_done=shown, on_error=lambda exc: show_error(self, exc), writes=False
        )

    def selected(self):
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.rows[rows[0].row()] if rows else None

    def drill(self) -> None:
        f = self.selected()
        if f is None or self.assessment is None:
            return
        from desktop.views.assessment_dialogs import DrillDialog

        DrillDialog(self.window_, self.assessment, f.key).exec()

    def show_trend(self) -> None:
        """The selected figure month by month (the months of the year are assessed once per year shown)."""
        f = self.selected()
        if f is None or self.assessment is None:
            return
        year = self.assessment.period.year
        if self.trends.get("year") == year and self.trends.get("db") is self.window_.db:
            self.chart.show_points(f.name, self.trends["points"].get(f.key, []))
            return
        from desktop.services import assessment_trend

        database, today = self.window_.db, self.today()
        self.chart.show_points(f.name, None)  # 计算中…

        def fetch(progress, cancelled):
            return assessment_trend.by_month(database, year, today=today, progress=progress)

        def shown(points) -> None:
            if database is self.window_.db:
                self.trends = {"year": year, "db": database, "points": points}
                current = self.selected()
                if current is not None:
                    self.chart.show_points(current.name, points.get(current.key, []))

        self.window_.runner.run(
            fetch, on_done=shown, on_error=lambda exc: show_error(self, exc), writes=False
        )


def load(window) -> None:
    window.assessment_tab.load()
