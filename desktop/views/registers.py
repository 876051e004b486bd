"""The four register tabs. Each starts as an honest, empty register with its columns; the issue that builds a
register replaces its model with an id-backed one (STYLE.md, 'Large registers')."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.views.tables import ListTableModel, read_only_table


@dataclass(frozen=True)
class RegisterSpec:
    key: str
    title: str
    columns: tuple[str, ...]
    empty_text: str
    first_step: str  # what a clerk does first when the register is empty


def _t(text: str) -> str:
    return QWidget.tr(text)


def register_specs() -> tuple[RegisterSpec, ...]:
    return (
        RegisterSpec(
            "screening",
            _t("排查登记"),
            (
                _t("姓名"),
                _t("身份证号码"),
                _t("性别"),
                _t("出生日期"),
                _t("村（社区）"),
                _t("小组"),
                _t("居住类型"),
                _t("联系电话"),
                _t("涉毒状态"),
            ),
            _t("排查登记簿：按村、组、户登记每一位居民，以及排查活动和重点人员档案。"),
            _t(
                "还没有登记居民。点上方的“新增居民”逐个登记；或点“Excel → 下载导入模板”，"
                "按村、组、户填好后用“Excel → 从Excel导入”。"
            ),
        ),
        RegisterSpec(
            "aftercare",
            _t("帮教小组"),
            (
                _t("帮教对象"),
                _t("身份证号码"),
                _t("帮教依据"),
                _t("起始日期"),
                _t("期限至"),
                _t("第一责任人"),
                _t("小组成员"),
                _t("最近谈话"),
                _t("期限提醒"),
            ),
            _t("帮教小组：出所人员和社区戒毒（康复）人员的帮教小组、谈心记录和接茬期限。"),
            _t(
                "还没有帮教对象。先在“排查登记”中为此人建立“重点人员档案”，涉毒状态记为社区戒毒、社区康复"
                "或出所待接茬；然后点上方的“新建帮教对象”。"
            ),
        ),
        RegisterSpec(
            "tests",
            _t("尿检通知"),
            (
                _t("通知编号"),
                _t("对象"),
                _t("身份证号码"),
                _t("应检日期"),
                _t("通知送达"),
                _t("检测日期"),
                _t("结果"),
                _t("状态"),
            ),
            _t("尿检通知：按规则排定、打印、送达、检测、结果登记和逾期提醒。"),
            _t("本登记簿将在后续版本中提供。"),
        ),
        RegisterSpec(
            "agreements",
            _t("责任书"),
            (
                _t("责任书类别"),
                _t("甲方"),
                _t("乙方"),
                _t("年度"),
                _t("打印日期"),
                _t("签订日期"),
                _t("归档"),
            ),
            _t("责任书：为各村（社区）、小组、农户和场所生成、打印、签订和归档。"),
            _t("本登记簿将在后续版本中提供。"),
        ),
    )


class RegisterTableModel(ListTableModel):
    """A register with its columns and, until its issue lands, no rows."""

    def __init__(self, columns: tuple[str, ...], parent=None) -> None:
        super().__init__(parent, headers=columns)
        self.columns = columns


class RegisterTab(QWidget):
    def __init__(self, spec: RegisterSpec, parent=None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"register-{spec.key}")
        self.model = RegisterTableModel(spec.columns, self)
        self.view = read_only_table(self.model)
        self.empty = QLabel(
            self.tr("{0}<br><br><span style='color:#555'>{1}</span>").format(spec.empty_text, spec.first_step)
        )
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setWordWrap(True)
        self.count_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.count_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 2)
        self.count_label.hide()

    def show_rows(self, model, count_text: str) -> None:
        """Replace the empty register by a filled one (its issue's id-backed model)."""
        self.model = model
        self.view.setModel(model)
        metrics = self.view.fontMetrics()
        self.view.verticalHeader().setDefaultSectionSize(metrics.height() + 10)
        for column, sample in enumerate(getattr(model, "width_samples", ())):
            self.view.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)
        self.show_count(count_text, model.rowCount() > 0)

    def show_count(self, text: str, has_rows: bool) -> None:
        self.empty.setVisible(not has_rows)
        self.count_label.setText(text)
        self.count_label.setVisible(bool(text))
