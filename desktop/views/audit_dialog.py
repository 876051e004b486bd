"""审计日志 for the administrator: filter by user, date and record; verify the hash chain."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from desktop import labels, messages
from desktop.errors import DomainError
from desktop.services import audit_log
from desktop.views.errors import show_error
from desktop.views.forms import close_buttons
from desktop.views.tables import ListTableModel, read_only_table

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
    "audit_reanchor": "重新确立链头",
    "recovery_failed": "恢复密钥未能使用",
    "backup_failed": "备份失败",
    "export_failed": "导出失败",
    "bulk": "批量修改",
    "view_attachment": "查看附件",
    "receipt_import": "导入县回执",
    "county_import": "导入乡镇数据包",
}


class AuditTableModel(ListTableModel):
    HEADERS = ("序号", "时间", "用户", "操作", "记录", "编号", "内容")

    @staticmethod
    def content(r: audit_log.AuditRow) -> str:
        """The entry in the office's words: 名称：东山村 → 东山新村, never the stored JSON."""
        import json

        from desktop.models.idnumber import mask

        before = json.loads(r.before) if r.before else {}
        after = json.loads(r.after) if r.after else {}
        if r.action == "update":
            values = messages.describe_change(before, after, mask, r.entity)
        else:
            values = messages.describe_values(after or before, mask, r.entity)
        return "；".join(part for part in (r.detail, values) if part)

    def cells(self, r: audit_log.AuditRow) -> tuple:
        entity_id = "" if r.entity_id is None else r.entity_id
        action = ACTIONS.get(r.action, r.action)
        kind = labels.RECORD_KINDS.get(r.entity, r.entity)
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
        for key, name in labels.RECORD_KINDS.items():
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
            QMessageBox.information(self, self.tr("审计日志"), messages.describe_audit(verdict))
            return
        if verdict.problem not in ("tail_cut", "head_missing"):
            QMessageBox.warning(self, self.tr("审计日志"), messages.describe_audit(verdict))
            return
        # The chain and its head disagree: say so, and let the administrator record why and go on from here.
        box = QMessageBox(
            QMessageBox.Warning, self.tr("审计日志"), messages.describe_audit(verdict), parent=self
        )
        box.setInformativeText(
            self.tr(
                "查明原因之前，链头不会被改动。查明后，可以把原因记入审计日志，并从这一条起重新确立链头；"
                "这次不一致会永久留在日志中。"
            )
        )
        reanchor = box.addButton(self.tr("记录原因并重新确立链头…"), QMessageBox.ActionRole)
        box.addButton(QMessageBox.Close)
        box.exec()
        if box.clickedButton() is not reanchor:
            return
        reason, ok = QInputDialog.getText(self, self.tr("重新确立链头"), self.tr("原因（将记入审计日志）："))
        if not ok:
            return
        try:
            audit_log.reanchor(self.database, reason)
        except DomainError as exc:
            show_error(self, exc)
            return
        QMessageBox.information(self, self.tr("审计日志"), self.tr("已记录原因，链头已重新确立。"))
        self.search()
