"""The county's first tab: every registered township, when it last reported, what its last bundle counted,
and whether its audit trail still continues the chain the county holds (a broken one in bold red)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop import messages
from desktop.views.tables import ListTableModel, read_only_table

RED = QColor("#b00020")


class StatusModel(ListTableModel):
    HEADERS = ("乡镇", "密钥指纹", "已收到", "最近一次导出", "导入时间", "在册人数", "重点人员", "帮教", "尿检通知书", "责任书", "审计日志")  # fmt: skip

    def cells(self, s) -> tuple:
        reg = s.registers
        audit = "—" if not s.bundles else ("完好，接续" if not s.audit_problem else "接不上")
        if s.audit_problem and s.first_bad_audit_id:
            audit += f"（第{s.first_bad_audit_id}条起）"
        if s.audit_problem:
            audit += "，已核查" if s.review else "，待核查"
        received = f"第{s.last_seq}号（共{s.bundles}个）" if s.bundles else "还没有报送"
        return (s.township, s.fingerprint, received, s.exported_at, s.imported_at, reg.get("persons", ""),
                reg.get("key_persons", ""), reg.get("aftercare_cases", ""), reg.get("urine_notices", ""),
                reg.get("agreements", ""), audit)  # fmt: skip

    def data(self, index, role=Qt.DisplayRole):
        row = self.rows[index.row()]
        if role == Qt.DisplayRole:
            return str(self.cells(row)[index.column()])
        flagged = bool(row.audit_problem) and index.column() == len(self.headers) - 1
        if role == Qt.ForegroundRole and flagged:
            return QBrush(RED)
        if role == Qt.FontRole and flagged and not row.review:  # bold until the county has looked into it
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ToolTipRole and flagged:
            return messages.describe_report(row)
        if role == Qt.TextAlignmentRole and 5 <= index.column() <= 9:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None


class CountyTab(QWidget):
    def __init__(self, window) -> None:
        super().__init__()
        self.window_ = window
        self.model = StatusModel(self)
        self.view = read_only_table(self.model)
        self.view.setAccessibleName(self.tr("各乡镇报送情况"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.import_button = QPushButton(self.tr("导入乡镇数据包(&I)…"))
        self.import_button.clicked.connect(window.import_bundles)
        self.register_button = QPushButton(self.tr("登记乡镇公钥(&G)…"))
        self.register_button.clicked.connect(window.register_township)
        self.open_button = QPushButton(self.tr("查看该乡镇的登记(&V)"))
        self.open_button.setToolTip(self.tr("排查登记、帮教小组、尿检通知、责任书，只读（也可双击一行）"))
        self.open_button.clicked.connect(self.open_selected)
        self.view.doubleClicked.connect(lambda _index: self.open_selected())
        self.figures_button = QPushButton(self.tr("各乡镇考核指标(&F)…"))
        self.figures_button.setToolTip(self.tr("各乡镇和全县合计的帮教率、尿检率、签订率等考核指标"))
        self.figures_button.clicked.connect(self.show_figures)
        self.review_button = QPushButton(self.tr("记录核查结果(&R)…"))
        self.review_button.setToolTip(
            self.tr("审计日志接不上的乡镇：记下县里核查的经过和结论（保留，不能修改）")
        )
        self.review_button.clicked.connect(self.review_selected)
        self.review_button.setEnabled(False)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.windows: list = []
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.register_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.figures_button)
        buttons.addWidget(self.review_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)

    def _chosen(self):
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            rows = [self.model.index(0, 0)] if self.model.rowCount() == 1 else []
        return self.model.rows[rows[0].row()] if rows else None

    def _selection_changed(self, *_args) -> None:
        chosen = self._chosen()
        self.review_button.setEnabled(bool(chosen and chosen.audit_problem))

    def review_selected(self) -> None:
        """The county's finding on the selected township's broken audit chain, kept beside the flag."""
        from PySide6.QtWidgets import QInputDialog

        from desktop.errors import DomainError
        from desktop.exchange import county_status
        from desktop.views.errors import show_error

        chosen = self._chosen()
        if chosen is None or not chosen.audit_problem:
            return
        finding, ok = QInputDialog.getMultiLineText(
            self,
            self.tr("记录核查结果"),
            self.tr("{0}的审计日志从第{1}条起与以前报送的接不上。\n"
                    "请写下核查经过和结论（何时、向谁核实、原因）。记录保留，不能修改；警示仍然显示。").format(
                chosen.township, chosen.first_bad_audit_id or "?"
            ),
        )  # fmt: skip
        if not ok:
            return
        try:
            county_status.review_flag(self.window_.db, chosen.id, finding)
        except DomainError as exc:
            show_error(self, exc)
            return
        self.load()

    def show_figures(self) -> None:
        from desktop.views.county_figures import CountyFiguresDialog

        CountyFiguresDialog(self.window_).exec()

    def open_selected(self):
        """The selected township's registers in a window of their own; None when nothing can be shown."""
        from desktop.errors import DomainError
        from desktop.exchange import county_status
        from desktop.views.errors import show_error
        from desktop.views.township_records import TownshipRecordsWindow

        chosen = self._chosen()
        if chosen is None:
            return None
        try:
            records = county_status.township_records(self.window_.db, chosen.id)
            viewer = TownshipRecordsWindow(records, self.window_.runner, self.window_.data_dir)
        except DomainError as exc:
            show_error(self, exc)
            return None
        self.windows = [w for w in self.windows if w.isVisible()] + [viewer]
        viewer.show()
        viewer.load_registers()
        return viewer

    def load(self) -> None:
        from desktop.exchange import county_status

        rows = county_status.status(self.window_.db)
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        reported = [r for r in rows if r.bundles]
        flagged = [r.township + ("（已核查）" if r.review else "") for r in rows if r.audit_problem]
        text = self.tr("已登记{0}个乡镇，{1}个已报送；合计在册{2}人，重点人员{3}人，帮教{4}人。").format(
            len(rows),
            len(reported),
            sum(r.registers.get("persons", 0) for r in reported),
            sum(r.registers.get("key_persons", 0) for r in reported),
            sum(r.registers.get("aftercare_cases", 0) for r in reported),
        )
        if flagged:
            text += self.tr("审计日志接不上：{0}。").format("、".join(flagged))
        if not rows:
            text = self.tr("还没有登记任何乡镇。先把本县的公钥文件交给各乡镇，再登记各乡镇交来的公钥文件。")
        self.summary.setText(text)
        self._selection_changed()
