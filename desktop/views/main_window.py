"""The main window: four register tabs, the menu bar and the status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
)

from desktop import __version__, db, messages
from desktop.errors import DomainError
from desktop.services import audit_log
from desktop.services.auth import Permission
from desktop.views.backup_actions import BackupActions
from desktop.views.errors import show_error
from desktop.views.idle import IdleWatch
from desktop.views.registers import RegisterTab, register_specs

DEMO_FOLDER = "demo"
# The demo database holds only synthetic people; its account is known, so switching to it needs no password.
DEMO_USER, DEMO_PASSWORD = "demo", "wudu-demo-2026"
AUTO_BACKUP_MS = 30 * 60 * 1000


class MainWindow(BackupActions, QMainWindow):
    database_switched = Signal(object)

    def __init__(self, database: db.Database, runner, data_dir: Path) -> None:
        super().__init__()
        self.db = database
        self.runner = runner
        self.data_dir = data_dir
        self.setWindowTitle(self.tr("无毒社区工作台"))
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.register_tabs = [RegisterTab(spec, self) for spec in register_specs()]
        for i, tab in enumerate(self.register_tabs):
            self.tabs.addTab(tab, tab.spec.title)
            self.tabs.setTabToolTip(i, self.tr("Ctrl+{0}").format(i + 1))
        residents_view = self.register_tabs[0].view
        residents_view.setContextMenuPolicy(Qt.ActionsContextMenu)
        self.full_id_action = QAction(self.tr("显示完整身份证号码(&I)…"), residents_view)
        self.full_id_action.setShortcut(QKeySequence("Ctrl+I"))
        self.full_id_action.triggered.connect(self.show_full_id)
        residents_view.addAction(self.full_id_action)
        self.lock_page = QLabel(self.tr("窗口已锁定"))
        self.lock_page.setAlignment(Qt.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.lock_page)
        self.setCentralWidget(self.stack)
        self._build_menus()
        self.township_label = QLabel()
        self.database_label = QLabel()
        self.user_label = QLabel()
        for label in (self.township_label, self.database_label, self.user_label):
            label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.statusBar().addWidget(self.township_label)
        self.statusBar().addWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)
        self.refresh_status()
        self.resize(1340, 680)  # with its frame, inside 1366×728 (views/window_sizes.py)
        from desktop.views.printouts import clear_prints

        clear_prints(data_dir)  # what an earlier session left (a viewer held it open, or the PC lost power)
        header = self.db.township()
        self.idle = IdleWatch(header.idle_lock_minutes if header else 10, lambda: self.lock(idle=True), self)
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(AUTO_BACKUP_MS)
        self.backup_timer.timeout.connect(self.auto_backup)
        self.backup_timer.start()

    def load_registers(self) -> None:
        """Fill the registers that exist so far; called once the window is shown (and after a switch)."""
        from desktop.views.residents_tab import ResidentsController

        if not hasattr(self, "residents"):
            self.residents = ResidentsController(self, self.register_tabs[0])
        self.residents.refresh_villages()
        self.residents.reload()
        from desktop.views import aftercare_tab

        aftercare_tab.load(self)

    # --- menus -------------------------------------------------------------------------------------------
    def _action(
        self, menu, text: str, slot=None, shortcut=None, enabled: bool = True, tip: str = ""
    ) -> QAction:
        action = QAction(text, self)
        if slot is not None:
            action.triggered.connect(slot)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setEnabled(enabled)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("文件(&F)"))
        self.demo_action = self._action(file_menu, self.tr("切换到演示数据库(&D)"), self.toggle_demo_database)
        self._action(file_menu, self.tr("修改我的密码(&W)…"), self.change_password)
        self._action(file_menu, self.tr("锁定窗口(&L)"), lambda: self.lock(idle=False), "Ctrl+L")
        self._action(file_menu, self.tr("检查数据库(&C)"), self.check_database)
        file_menu.addSeparator()
        self.backup_action = self._action(file_menu, self.tr("立即备份(&B)"), lambda: self.backup_now(None))
        self.backup_to_action = self._action(file_menu, self.tr("备份到U盘或其他文件夹(&U)…"), self.backup_to)
        self.restore_action = self._action(file_menu, self.tr("从备份恢复(&R)…"), self.restore_backup)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("打开数据文件夹(&O)"), self.open_data_folder)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("退出(&X)"), self.close, QKeySequence.Quit)
        print_menu = bar.addMenu(self.tr("打印(&P)"))
        self.print_form_action = self._action(
            print_menu, self.tr("排查登记表（按村）(&F)…"), self.print_screening_form
        )
        self.print_summary_action = self._action(
            print_menu, self.tr("重点人员档案摘要（所选人员）(&S)"), self.print_person_summary
        )
        print_menu.addSeparator()
        self.print_group_roster_action = self._action(
            print_menu, self.tr("帮教小组成员名册(&Z)"), self.print_group_roster
        )
        self.print_informants_action = self._action(
            print_menu, self.tr("毒情信息员名册(&X)"), lambda: self.print_roster("毒情信息员")
        )
        self.print_propagandists_action = self._action(
            print_menu, self.tr("禁毒宣传员名册(&Y)"), lambda: self.print_roster("禁毒宣传员")
        )
        print_menu.addSeparator()
        self._action(
            print_menu,
            self.tr("打印测试页(&T)"),
            self.print_test_page,
            tip=self.tr("生成一页PDF，检查中文字体和打印机是否正常"),
        )
        export_menu = bar.addMenu(self.tr("导出(&E)"))
        self._action(export_menu, self.tr("导出到U盘，报送县禁毒办（尚未提供）"), enabled=False)
        settings_menu = bar.addMenu(self.tr("设置(&S)"))
        self.units_action = self._action(
            settings_menu, self.tr("行政区划：村（社区）和小组(&U)…"), self.edit_units
        )
        self.idle_action = self._action(settings_menu, self.tr("自动锁定时间(&I)…"), self.set_idle_minutes)
        self.rules_action = self._action(
            settings_menu, self.tr("帮教规则：小组成员、谈话间隔、期限(&R)…"), self.edit_aftercare_rules
        )
        settings_menu.addSeparator()
        self.accounts_action = self._action(settings_menu, self.tr("账户管理(&M)…"), self.manage_accounts)
        self.audit_action = self._action(settings_menu, self.tr("审计日志(&L)…"), self.show_audit)
        self.role_actions = {
            Permission.SETTINGS: [self.units_action, self.idle_action, self.rules_action],
            Permission.ACCOUNTS: [self.accounts_action],
            Permission.AUDIT: [self.audit_action],
            Permission.VIEW_FULL_ID: [self.full_id_action],
            Permission.BACKUP: [self.backup_action, self.backup_to_action],
            Permission.RESTORE: [self.restore_action],
            Permission.PRINT: [
                self.print_form_action,
                self.print_summary_action,
                self.print_group_roster_action,
                self.print_informants_action,
                self.print_propagandists_action,
            ],
        }
        help_menu = bar.addMenu(self.tr("帮助(&H)"))
        self._action(help_menu, self.tr("关于(&A)"), self.about)
        for i in range(len(self.register_tabs)):
            act = QAction(self)
            act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.triggered.connect(lambda _=False, i=i: self.tabs.setCurrentIndex(i))
            self.addAction(act)

    # --- status ------------------------------------------------------------------------------------------
    def refresh_status(self) -> None:
        info = self.db.township()  # standard library only: no ORM needed to paint the first window
        if info is None:
            text = self.tr("尚未设置乡镇")
        else:
            text = f"{info.county_name} {info.township_name}"
            if info.is_demo:
                text += self.tr("【演示数据】")
        self.township_label.setText(text)
        self.database_label.setText(self.tr("数据库：{0}").format(self.db.path))
        actor = self.db.actor
        self.user_label.setText(
            self.tr("操作员：{0}（{1}）").format(actor.display_name, actor.role.value) if actor else ""
        )
        for permission, actions in getattr(self, "role_actions", {}).items():
            for action in actions:
                action.setEnabled(bool(actor and actor.may(permission)))
        self.is_demo_database = (
            self.db.path.parent.name == DEMO_FOLDER and self.db.path.parent.parent == self.data_dir
        )
        self.demo_action.setText(
            self.tr("返回正式数据库(&D)") if self.is_demo_database else self.tr("切换到演示数据库(&D)")
        )
        # a database filled with the demo at its first start is demo data already: offering a switch to "the
        # demo" there would only open a second one
        already_demo = bool(info and info.is_demo) and not self.is_demo_database
        self.demo_action.setEnabled(not already_demo)
        if already_demo:
            self.demo_action.setText(self.tr("当前已是演示数据(&D)"))
        title = self.tr("无毒社区工作台")
        self.setWindowTitle(f"{title} — {text}" if info else title)

    # --- actions -----------------------------------------------------------------------------------------
    def edit_units(self) -> None:
        from desktop.views.dialogs import units_dialog

        try:
            dialog = units_dialog(self.db, self)
        except DomainError as exc:
            show_error(self, exc)
            return
        if dialog.exec():
            self.refresh_status()

    def toggle_demo_database(self) -> None:
        """To the demo's own database and back; back to a real database not made yet is its first setup."""
        from desktop import paths
        from desktop.services import accounts
        from desktop.views.app import create_real_database, first_run, open_demo

        if self.is_demo_database:
            from desktop.views.login import LoginDialog

            real = paths.database_path(self.data_dir)
            if accounts.is_installed(real):
                dialog = LoginDialog(real, parent=self)
                if not dialog.exec():
                    return
                new_db = dialog.database
            else:
                new_db = create_real_database(real, self.runner, self, offer_demo=False)
                if new_db is None:
                    return
                if not first_run(new_db, self.runner, self):
                    new_db.close()
                    return
        else:
            try:
                new_db = open_demo(self.data_dir, self.runner, self)
            except Exception as exc:
                show_error(self, exc)
                return
        old, self.db = self.db, new_db
        old.close()
        self.refresh_status()
        self.load_registers()
        self.database_switched.emit(new_db)

    def lock(self, idle: bool = False) -> None:
        """Hide every record until the same user's password is typed again (after the idle time, or Ctrl+L)."""
        from desktop.views.login import UnlockDialog

        if self.stack.currentWidget() is self.lock_page:
            return
        self.stack.setCurrentWidget(self.lock_page)
        self.menuBar().setEnabled(False)
        covers = self._cover_open_windows()
        dialog = UnlockDialog(self.db, self, idle=idle)
        if dialog.exec():
            self.stack.setCurrentWidget(self.tabs)
            self.menuBar().setEnabled(True)
            for cover in covers:
                cover.deleteLater()
        else:
            self.close()

    def _cover_open_windows(self) -> list[QLabel]:
        """A case file, a form or the reminder may be open when the lock comes: hiding one would end its dialog
        and lose what was typed, so each is covered instead, until the password is typed."""
        from PySide6.QtWidgets import QApplication

        covers = []
        for window in QApplication.topLevelWidgets():
            if window is self or not window.isVisible():
                continue
            cover = QLabel(self.tr("窗口已锁定"), window)
            cover.setAlignment(Qt.AlignCenter)
            cover.setAutoFillBackground(True)
            cover.setGeometry(window.rect())
            cover.show()
            cover.raise_()
            covers.append(cover)
        return covers

    def show_full_id(self) -> None:
        """A deliberate act: the full number of the selected resident, shown once and written to the audit."""
        from desktop.services import residents

        selected = self.residents.selected_person() if hasattr(self, "residents") else None
        if selected is None:
            return
        person_id, name = selected
        try:
            number = residents.full_id_number(self.db, person_id)
        except DomainError as exc:
            show_error(self, exc)
            return
        QMessageBox.information(
            self,
            self.tr("完整身份证号码"),
            self.tr("{0}：{1}\n（本次查看已记入审计日志）").format(name, number),
        )

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

    def print_test_page(self) -> None:
        from desktop.pdf.test_page import build_test_page

        info = self.db.township()
        self._write_print("打印测试页.pdf", build_test_page(info.township_name if info else "", __version__))

    def _write_print(self, name: str, data: bytes) -> Path | None:
        from desktop.views.printouts import write_print

        return self._printed(write_print(self, self.data_dir, name, data))

    def _print(self, name: str, make) -> None:
        """Make the PDF on a worker (the window stays alive), then hand it to the viewer."""
        from desktop.views.printouts import print_in_background

        print_in_background(self, self.runner, self.data_dir, name, make, on_done=self._printed)

    def _printed(self, target: Path | None) -> Path | None:
        if target is not None:
            self.last_printout = target
        return target

    def print_group_roster(self) -> None:
        from desktop.services import aftercare_print

        self._print("帮教小组成员名册.pdf", lambda: aftercare_print.group_roster(self.db))

    def print_roster(self, kind: str) -> None:
        from desktop.services import aftercare_print

        self._print(f"{kind}名册.pdf", lambda: aftercare_print.roster(self.db, kind))

    def edit_aftercare_rules(self) -> None:
        from desktop.views import aftercare_tab
        from desktop.views.aftercare_rules_dialog import AftercareRulesDialog

        try:
            dialog = AftercareRulesDialog(self.db, self)
        except DomainError as exc:
            show_error(self, exc)
            return
        if dialog.exec():
            aftercare_tab.load(self)  # the register is judged by the new rules at once

    def print_screening_form(self) -> None:
        from desktop.services import printing, residents

        villages = residents.villages(self.db)
        if not villages:
            return
        name, ok = QInputDialog.getItem(
            self, self.tr("排查登记表"), self.tr("打印哪个村（社区）："), [v for _, v in villages], 0, False
        )
        if not ok:
            return
        campaign, ok = QInputDialog.getText(self, self.tr("排查登记表"), self.tr("排查活动名称（可不填）："))
        if not ok:
            return
        village_id = next(vid for vid, v in villages if v == name)
        self._print(
            f"{name}排查登记表.pdf", lambda: printing.screening_form(self.db, village_id, campaign.strip())
        )

    def print_person_summary(self) -> None:
        from desktop.services import printing

        selected = self.residents.selected_person() if hasattr(self, "residents") else None
        if selected is None:
            QMessageBox.information(self, self.tr("档案摘要"), self.tr("请先在排查登记中选中一个人。"))
            return
        person_id, name = selected
        self._print(f"{name}档案摘要.pdf", lambda: printing.person_summary(self.db, person_id))

    def about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("关于"),
            self.tr(
                "<h3>无毒社区工作台 {0}</h3><p>乡镇禁毒办的排查登记、帮教小组、尿检通知和责任书。</p>"
                "<p>数据只保存在本机，不联网。</p>"
            ).format(__version__),
        )

    def closeEvent(self, event) -> None:
        from desktop.services import backups
        from desktop.views.printouts import clear_prints

        self.runner.wait()
        clear_prints(self.data_dir)  # printouts hold names and ID numbers: they do not outlive the session
        self.idle.stop()
        self.backup_timer.stop()
        from desktop.services import accounts

        try:  # the log-out, then the backup on exit (which so holds the log-out too)
            if self.db.actor is not None:
                accounts.note_log_out(self.db)
            if (
                self.db.actor
                and self.db.actor.may(Permission.BACKUP)
                and backups.changed_since_last_backup(self.db)
            ):
                backups.make_backup(self.db)
        except DomainError as exc:
            show_error(self, exc)
        super().closeEvent(event)
