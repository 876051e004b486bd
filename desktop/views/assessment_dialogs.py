"""The 考核 tab's dialogs: the records behind a figure (drill-down), and the year's targets (设置 → 年度考核目标)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.views.errors import show_error
from desktop.views.forms import Form, close_buttons
from desktop.views.tables import ListTableModel, read_only_table

RED = QColor("#a61b1b")


class DrillModel(ListTableModel):
    def __init__(self, drill, parent=None) -> None:
        marker = ("",) if drill.yes or drill.no else ()
        super().__init__(parent, headers=marker + drill.columns)
        self.drill = drill
        self.marked = bool(marker)
        self.set_rows(range(len(drill.rows)))
        self.only_missing = False

    def cells(self, i) -> tuple:
        d = self.drill
        return ((d.yes if d.counted[i] else d.no),) + d.rows[i] if self.marked else d.rows[i]

    def data(self, index, role=Qt.DisplayRole):
        if (
            index.isValid()
            and role == Qt.ForegroundRole
            and self.marked
            and not self.drill.counted[self.rows[index.row()]]
        ):
            return RED
        return super().data(index, role)

    def show_missing(self, only: bool) -> None:
        d = self.drill
        self.set_rows([i for i in range(len(d.rows)) if not (only and d.counted[i])])


class DrillDialog(QDialog):
    """The records a figure counted: those not counted (in red) can be shown alone."""

    def __init__(self, window, a, key: str) -> None:
        super().__init__(window)
        from desktop.services import assessment_drill

        f = a.figure(key)
        try:
            drill = assessment_drill.drill(window.db, a, key)
        except Exception as exc:  # noqa: BLE001 - said in Chinese, the dialog shows nothing
            show_error(window, exc)
            drill = assessment_drill.Drill(f.name, (), [], [])
        self.setWindowTitle(self.tr("明细：{0}").format(drill.title))
        head = QLabel(self.tr("{0}：{1}　目标：{2}　{3}<br><span style='color:#555'>{4}</span>").format(
            f.name, f.value_text, f.target_text or "—", self._fraction(f, drill), f.definition))  # fmt: skip
        head.setWordWrap(True)
        self.model = DrillModel(drill, self)
        self.view = read_only_table(self.model)
        self.view.resizeColumnsToContents()
        self.missing = QCheckBox(self.tr("只看{0}的").format(drill.no or "未计入"))
        self.missing.setEnabled(bool(drill.no))
        self.missing.toggled.connect(self.model.show_missing)
        row = QHBoxLayout()
        row.addWidget(self.missing)
        row.addStretch()
        row.addWidget(QLabel(self.tr("共 {0} 条").format(len(drill.rows))))
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addWidget(close_buttons(self))
        self.resize(980, 560)

    @staticmethod
    def _fraction(f, drill) -> str:
        if f.rate is not None:
            return f"（{f.rate.numerator}/{f.rate.denominator}）"
        return ""


class TargetsDialog(Form):
    """设置 → 年度考核目标: the year's targets, the plans' defaults until changed, and the baseline year."""

    def __init__(self, window, year: int) -> None:
        super().__init__(window.tr("{0}年度考核目标").format(year), window.tr("保存"), window)
        from desktop.services import assessment_targets as t

        self.window_, self.year = window, year
        plan = t.plan(window.db, year)
        self.baseline = QSpinBox()
        self.baseline.setRange(2000, year - 1)
        self.baseline.setValue(plan.baseline_year)
        self.baseline.setSuffix(self.tr("年"))
        grid = QFormLayout()  # two dozen targets: they scroll inside a 768-pixel screen
        holder = QWidget()
        holder.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        self.layout_.insertWidget(0, scroll, 1)
        grid.addRow(self.tr("新增吸毒人员的基准年"), self.baseline)
        self.fields = {}
        for spec in t.SPECS:
            box = QDoubleSpinBox()
            box.setDecimals(0 if spec.unit == "人" else 1)
            box.setRange(spec.low, spec.high)
            box.setValue(plan.target(spec.key))
            box.setSuffix(spec.unit)
            changed = spec.key in plan.changed
            label = QLabel(self.tr(spec.label) + (self.tr("（默认{0:g}{1}）").format(spec.default, spec.unit)
                                                  if changed else ""))  # fmt: skip
            self.fields[spec.key] = box
            grid.addRow(label, box)
        note = QLabel(self.tr("默认值取自工作方案；改动只对本年度有效，并记入审计日志。"))
        note.setStyleSheet("color:#555")
        self.layout_.insertWidget(1, note)
        self.first_field = self.baseline
        self.resize(560, 620)

    def _on_submit(self) -> None:
        from desktop.services import assessment_targets

        def save():
            assessment_targets.set_plan(
                self.window_.db, self.year, targets={k: box.value() for k, box in self.fields.items()},
                baseline_year=self.baseline.value(),
            )  # fmt: skip

        if self.run(save):
            self.accept()


class SummaryDialog(Form):
    """The year-end report's 工作总结: the office writes it here, it is kept with the year's plan (and in the
    audit trail), and the report prints it under the figures."""

    def __init__(self, window, year: int) -> None:
        super().__init__(window.tr("{0}年度工作总结").format(year), window.tr("保存并打印"), window)
        from PySide6.QtWidgets import QPlainTextEdit

        from desktop.services import assessment_targets

        self.window_, self.year = window, year
        self.text = QPlainTextEdit(assessment_targets.plan(window.db, year).summary)
        self.text.setPlaceholderText(
            self.tr(
                "一年来的主要工作、成效、存在的问题和下一年的打算。每段一行；留空则报告中写“（未填写）”。"
            )
        )
        self.text.setTabChangesFocus(True)
        self.form.addRow(self.text)
        self.first_field = self.text
        self.resize(720, 460)

    def _on_submit(self) -> None:
        from desktop.services import assessment_targets

        if self.run(
            lambda: assessment_targets.set_plan(self.window_.db, self.year, summary=self.text.toPlainText())
        ):
            self.accept()
