"""The 设置 menu and the window's own small commands (password, idle lock, database check, data folder, about),
a mixin of the main window."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QInputDialog, QMessageBox

from desktop import __version__, messages
from desktop.errors import DomainError
from desktop.services import audit_log
from desktop.services.auth import Permission
from desktop.views.errors import show_error


class SettingsActions:
    def edit_units(self) -> None:
        from desktop.views.dialogs import units_dialog

        try:
            dialog = units_dialog(self.db, self)
        except DomainError as exc:
            show_error(self, exc)
            return
        if dialog.exec():
            self.refresh_status()

    def manage_accounts(self) -> None:
        from desktop.views.accounts_dialogs import AccountsDialog

        try:
            AccountsDialog(self.db, self).exec()
        except DomainError as exc:
            show_error(self, exc)

    def show_audit(self) -> None:
        from desktop.views.audit_dialog import AuditDialog

        try:
            AuditDialog(self.db, self).exec()
        except DomainError as exc:
            show_error(self, exc)

    def change_password(self) -> None:
        from desktop.views.accounts_dialogs import ChangePasswordDialog

        ChangePasswordDialog(self.db, self).exec()

    def set_idle_minutes(self) -> None:
        from desktop.services import township

        header = self.db.township()
        minutes, ok = QInputDialog.getInt(
            self,
            self.tr("自动锁定时间"),
            self.tr("多少分钟无操作后锁定窗口（1–120）："),
            header.idle_lock_minutes if header else 10,
            1,
            120,
        )
        if not ok:
            return
        try:
            township.set_idle_lock_minutes(self.db, minutes)
        except DomainError as exc:
            show_error(self, exc)
            return
        self.idle.minutes = minutes

    def check_database(self) -> None:
        from desktop.services.check import check_database

        try:
            report = check_database(self.db.path, self.db.key)
        except DomainError as exc:
            show_error(self, exc)
            return
        ok = report.integrity == "ok"
        text = self.tr("数据库：{0}\n完整性检查：{1}\n结构版本：{2}").format(
            report.path, self.tr("正常") if ok else report.integrity, report.revision
        )
        if self.db.actor is not None and self.db.actor.may(Permission.AUDIT):
            verdict = audit_log.verify_chain(self.db)
            ok = ok and verdict.ok
            text += "\n" + messages.describe_audit(verdict)
        (QMessageBox.information if ok else QMessageBox.warning)(self, self.tr("检查数据库"), text)

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.db.path.parent)))

    def _rules_dialog(self, make, tab) -> None:
        """A rules dialog; once saved, the tab it governs is judged by the new rules at once."""
        try:
            dialog = make(self.db, self)
        except DomainError as exc:
            show_error(self, exc)
            return
        if dialog.exec():
            tab.load(self)

    def edit_aftercare_rules(self) -> None:
        from desktop.views import aftercare_tab
        from desktop.views.aftercare_rules_dialog import AftercareRulesDialog

        self._rules_dialog(AftercareRulesDialog, aftercare_tab)

    def edit_urine_rules(self) -> None:
        from desktop.views import urine_tab
        from desktop.views.urine_dialogs import UrineRulesDialog

        self._rules_dialog(UrineRulesDialog, urine_tab)

    def about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("关于"),
            self.tr(
                "<h3>无毒社区工作台 {0}</h3><p>乡镇禁毒办的排查登记、帮教小组、尿检通知和责任书。</p>"
                "<p>数据只保存在本机，不联网。</p>"
            ).format(__version__),
        )
