"""The main window: it assembles the register tabs (each its own module), the menus (from views/menus.py's
table), the status bar, the idle lock and the automatic backup."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
)

from desktop import db
from desktop.errors import DomainError
from desktop.services.auth import Permission
from desktop.views import aftercare_tab, agreements_tab, residents_tab, urine_tab
from desktop.views.assessment_actions import AssessmentActions
from desktop.views.backup_actions import BackupActions
from desktop.views.errors import show_error
from desktop.views.exchange_actions import ExchangeActions
from desktop.views.idle import IdleWatch
from desktop.views.print_actions import PrintActions
from desktop.views.registers import RegisterTab
from desktop.views.settings_actions import SettingsActions

DEMO_FOLDER = "demo"
# The demo database holds only synthetic people; its account is known, so switching to it needs no password.
DEMO_USER, DEMO_PASSWORD = "demo", "wudu-demo-2026"
AUTO_BACKUP_MS = 30 * 60 * 1000
# The tabs, in order (Ctrl+1 … Ctrl+4): each module gives its register's spec() and load(window).
TABS = (residents_tab, aftercare_tab, urine_tab, agreements_tab)


class MainWindow(
    BackupActions, PrintActions, SettingsActions, ExchangeActions, AssessmentActions, QMainWindow
):
    database_switched = Signal(object)

    def __init__(self, database: db.Database, runner, data_dir: Path) -> None:
        super().__init__()
        self.db = database
        self.runner = runner
        self.data_dir = data_dir
        self.setWindowTitle(self.tr("无毒社区工作台"))
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.register_tabs = [RegisterTab(module.spec(), self) for module in TABS]
        for i, tab in enumerate(self.register_tabs):
            self.tabs.addTab(tab, tab.spec.title)
            self.tabs.setTabToolTip(i, self.tr("Ctrl+{0}").format(i + 1))
        from desktop.views.assessment_tab import AssessmentTab
        from desktop.views.county_tab import CountyTab

        self.assessment_tab = AssessmentTab(
            self
        )  # the fifth tab (Ctrl+5): the figures and the plans' records
        self.tabs.addTab(self.assessment_tab, self.tr("考核"))
        self.tabs.setTabToolTip(self.tabs.count() - 1, self.tr("Ctrl+{0}").format(self.tabs.count()))

        self.county_mode = False  # the county's installation: refresh_status shows its tab instead
        self.county_tab = CountyTab(self)
        self.tabs.addTab(self.county_tab, self.tr("各乡镇报送"))
        residents_view = self.tab("screening").view
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

    def tab(self, key: str) -> RegisterTab:
        """The register tab of that key ("screening", "aftercare", "tests", "agreements")."""
        return next(t for t in self.register_tabs if t.spec.key == key)

    def load_registers(self) -> None:
        """Fill every register; called once the window is shown (and after a switch of database). The county's
        installation keeps no registers of its own: it shows what the townships reported."""
        if self.county_mode:
            self.load_county()
            return
        for module in TABS:
            module.load(self)
        self.assessment_tab.load()

    # --- menus -------------------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        from desktop.views import menus

        self.role_actions = menus.build(self)
        self.role_actions.setdefault(Permission.VIEW_FULL_ID, []).append(self.full_id_action)
        for i in range(len(self.register_tabs) + 1):  # the registers, then 考核
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
        self._show_mode(bool(info and info.is_county))
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

    def _show_mode(self, county_mode: bool) -> None:
        from desktop.views import menus

        self.county_mode = county_mode
        for tab in (*self.register_tabs, self.assessment_tab):
            self.tabs.setTabVisible(self.tabs.indexOf(tab), not county_mode)
        self.tabs.setTabVisible(self.tabs.indexOf(self.county_tab), county_mode)
        if county_mode:
            self.tabs.setCurrentWidget(self.county_tab)
        self.menus[menus.EXPORT].menuAction().setVisible(not county_mode)
        self.menus[menus.COUNTY].menuAction().setVisible(county_mode)

    # --- actions -----------------------------------------------------------------------------------------
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
                if first_run(new_db, self.runner, self, offer_demo=False) is None:
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
