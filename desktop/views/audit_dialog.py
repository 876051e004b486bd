"""审计日志 for the administrator: filter by user, date and record; verify the hash chain."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from desktop import messages
from desktop.services import audit_log
from desktop.errors import DomainError
from desktop.views.errors import show_error
from desktop.views.forms import close_buttons
from desktop.views.tables import ListTableModel, read_only_table

PROBLEMS = {
    "altered": "内容被改动",
    "gap": "有记录被删除",
    "chain": "链被插入或打断",
    "tail_cut": "末尾的记录被截去",
}
ACTIONS = {
    "create": "新增",
    "update": "修改",
    "delete": "删除",
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出",
    "unlock": "解锁",
    "install": "建库",
    "view_full_id": "查看完整身份证号",
    "print": "打印",
    "export": "导出",
    "import": "导入",
    "backup": "备份",
    "restore": "恢复",
    "bulk_create": "批量新增",
    "password_change": "改密码",
    "password_reset": "重设密码",
    "recovery_reset": "恢复密钥重设",
}


class AuditTableModel(ListTableModel):
    HEADERS = ("序号", "时间", "用户", "操作", "记录", "编号", "内容")

    @staticmethod
    def content(r: audit_log.AuditRow) -> str:
        return " ".join(
            part for part in (r.detail, f"{r.before} → {r.after}" if r.before else r.after) if part
        )

    def cells(self, r: audit_log.AuditRow) -> tuple:
        entity_id = "" if r.entity_id is None else r.entity_id
        action = ACTIONS.get(r.action, r.action)
        kind = messages.RECORD_KINDS.get(r.entity, r.entity)
        return (r.id, r.at.replace("T", " "), r.username, action, kind, entity_id, self.content(r))

    def tooltip(self, r: audit_log.AuditRow, column: int):
        return self.content(r) if column == 6 else None


class AuditDialog(QDialog):
    def __init__(self, database, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("审计日志"))
        self.database = database
        self.user = QLineEdit()
        self.user.setPlaceholderText(self.tr("用户名"))
        self.date_from = QLineEdit()
        self.date_from.setPlaceholderText(self.tr("起 2026-01-01"))
        self.date_to = QLineEdit()
        self.date_to.setPlaceholderText(self.tr("止 2026-12-31"))
        self.entity = QComboBox()
        self.entity.addItem(self.tr("全部记录"), "")
        for key, name in messages.RECORD_KINDS.items():
            self.entity.addItem(name, key)
        self.search_button = QPushButton(self.tr("查询(&Q)"))
        self.verify_button = QPushButton(self.tr("校验完整性(&V)"))
        filters = QHBoxLayout()
        for w in (
            self.user,
            self.date_from,
            self.date_to,
            self.entity,
            self.search_button,
            self.verify_button,
        ):
            filters.addWidget(w)
        self.model = AuditTableModel(self)
        self.view = read_only_table(self.model)
        self.count = QLabel()
        close = close_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        layout.addWidget(close)
        self.search_button.clicked.connect(self.search)
        self.verify_button.clicked.connect(self.verify)
        for w in (self.user, self.date_from, self.date_to):
            w.returnPressed.connect(self.search)
        self.entity.currentIndexChanged.connect(self.search)
        self.resize(1000, 560)
        self.search()

    def search(self) -> None:
        try:
            rows = audit_log.entries(
                self.database,
                username=self.user.text().strip(),
                date_from=self.date_from.text().strip(),
                date_to=self.date_to.text().strip(),
                entity=self.entity.currentData(),
            )
        except DomainError as exc:
            show_error(self, exc)
            return
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        self.count.setText(self.tr("显示最近 {0} 条").format(len(rows)))

    def verify(self) -> None:
        verdict = audit_log.verify_chain(self.database)
        if verdict.ok:
            QMessageBox.information(
                self,
                self.tr("审计日志"),
                self.tr("审计日志完好：共 {0} 条，哈希链连续。").format(verdict.entries),
            )
        else:
            QMessageBox.warning(
                self,
                self.tr("审计日志"),
                self.tr("校验失败：第 {0} 条 — {1}。").format(
                    verdict.first_bad_id, PROBLEMS.get(verdict.problem, verdict.problem)
                ),
            )
