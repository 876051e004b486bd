"""从Excel导入: the preview of every row before anything is written, then the import the clerk chooses."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QPushButton, QVBoxLayout

from desktop.services import people_excel
from desktop.views.errors import show_error
from desktop.views.tables import ListTableModel, read_only_table

STATUS = {
    "new": "可导入",
    "changed": "更正已登记的结果",
    "unchanged": "已登记，无变化",
    "skipped": "空白，跳过",
    "refused": "不合格",
}
REFUSED_COLOR = QColor("#a61b1b")


class ImportRowsTableModel(ListTableModel):
    HEADERS = ("行号", "姓名", "结果", "原因")

    def cells(self, r: people_excel.RowOutcome) -> tuple:
        return (r.row, r.name, self.tr(STATUS[r.status]), r.reasons())

    def tooltip(self, r, column: int):
        return r.reasons() if column == 3 else None

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.ForegroundRole and index.isValid() and self.rows[index.row()].status == "refused":
            return REFUSED_COLOR
        return super().data(index, role)


class ImportDialog(QDialog):
    """Opens on a file; the preview runs on a worker with a progress bar, then the clerk decides."""

    title = "从Excel导入居民 — {0}"

    def __init__(self, database, path: Path, runner, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr(self.title).format(Path(path).name))
        self.refused_hint = self.tr(
            "有不合格的行时，“全部导入”不可用；可以只导入合格的行，不合格的行会另存为一个表格，"
            "写明原因，改正后再导入。"
        )
        self.database, self.path, self.runner = database, Path(path), runner
        self.plan: people_excel.ImportPreview | None = None
        self.result_value: people_excel.ImportResult | None = None
        self.summary = QLabel(self.tr("正在检查每一行…"))
        self.summary.setWordWrap(True)
        self.model = ImportRowsTableModel(self)
        self.view = read_only_table(self.model)
        self.buttons = QDialogButtonBox()
        self.import_button = QPushButton(self.tr("全部导入(&I)"))
        self.valid_button = QPushButton(self.tr("只导入合格的行(&V)"))
        cancel = self.buttons.addButton(self.tr("取消"), QDialogButtonBox.RejectRole)
        self.buttons.addButton(self.import_button, QDialogButtonBox.AcceptRole)
        self.buttons.addButton(self.valid_button, QDialogButtonBox.ActionRole)
        self.import_button.setEnabled(False)
        self.valid_button.setEnabled(False)
        cancel.clicked.connect(self.reject)
        self.import_button.clicked.connect(lambda: self.run_import(only_valid=False))
        self.valid_button.clicked.connect(lambda: self.run_import(only_valid=True))
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.view.selectionModel().currentRowChanged.connect(self._show_detail)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.buttons)
        self.resize(900, 560)

    def _show_detail(self, current, _previous) -> None:
        if current.isValid():
            r = self.model.rows[current.row()]
            self.detail.setText(
                self.tr("第{0}行 {1}：{2}").format(r.row, r.name, r.reasons() or self.tr(STATUS[r.status]))
            )

    def make_preview(self, progress):
        return people_excel.preview(self.database, self.path, progress=progress)

    def make_import(self, only_valid: bool, progress):
        return people_excel.import_file(self.database, self.path, only_valid=only_valid, progress=progress)

    def describe_plan(self, plan) -> tuple[str, int]:
        """The summary over the rows, and how many rows an import would write."""
        text = self.tr("共{0}行：可导入{1}行，已登记且无变化{2}行，不合格{3}行。").format(
            len(plan.rows), plan.new, plan.unchanged, len(plan.refused)
        )
        return text, plan.new

    def describe_result(self, result) -> str:
        text = self.tr("已导入{0}人；{1}人已登记且无变化。").format(result.added, result.unchanged)
        if result.error_workbook:
            text += self.tr("\n不合格的{0}行已另存为：\n{1}").format(result.refused, result.error_workbook)
        return text

    def start(self) -> None:
        self.runner.run(
            lambda progress, cancelled: self.make_preview(progress),
            on_done=self.show_plan,
            on_error=self.failed,
            label=self.tr("正在检查表格…"),
            parent=self,
            writes=False,
        )

    def failed(self, exc: BaseException) -> None:
        show_error(self, exc)
        self.reject()

    def show_plan(self, plan: people_excel.ImportPreview) -> None:
        self.plan = plan
        # refused rows first: they are what the clerk has to act on
        self.model.set_rows(sorted(plan.rows, key=lambda r: (r.status != "refused", r.row)))
        self.view.resizeColumnsToContents()
        self.view.setColumnWidth(3, max(self.view.columnWidth(3), 400))
        if plan.rows:
            self.view.setCurrentIndex(self.model.index(0, 0))
        refused = len(plan.refused)
        text, ready = self.describe_plan(plan)
        if refused:
            text += "\n" + self.refused_hint
        self.summary.setText(text)
        self.import_button.setEnabled(refused == 0 and ready > 0)
        self.valid_button.setEnabled(refused > 0 and ready > 0)

    def run_import(self, *, only_valid: bool) -> None:
        def done(result: people_excel.ImportResult) -> None:
            self.result_value = result
            text = self.describe_result(result)
            box = QMessageBox(QMessageBox.Information, self.tr("导入完成"), text, QMessageBox.Ok, self)
            if getattr(result, "error_workbook", None):
                open_button = box.addButton(self.tr("打开错误表"), QMessageBox.ActionRole)
                open_button.clicked.connect(
                    lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.error_workbook)))
                )
            box.exec()
            self.accept()

        self.import_button.setEnabled(False)
        self.valid_button.setEnabled(False)
        self.runner.run(
            lambda progress, cancelled: self.make_import(only_valid, progress),
            on_done=done,
            on_error=self.failed,
            label=self.tr("正在导入…"),
            parent=self,
            cancellable=False,
        )
