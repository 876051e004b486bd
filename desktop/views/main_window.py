"""The main window: four register tabs, the menu bar and the status bar."""

from __future__ import annotations

import getpass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget

from desktop import __version__, db
from desktop.services.errors import DomainError
from desktop.views.errors import show_error
from desktop.views.registers import RegisterTab, register_specs
from desktop.views.tasks import run_blocking

DEMO_FOLDER = "demo"


class MainWindow(QMainWindow):
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
        self.setCentralWidget(self.tabs)
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
        self.resize(1180, 720)

    def load_registers(self) -> None:
        """Fill the registers that exist so far; called once the window is shown (and after a switch)."""
        from desktop.services import residents
        from desktop.views.residents_model import ResidentsTableModel

        database = self.db

        def shown(ids: list[int]) -> None:
            if database is not self.db:
                return  # the clerk switched databases meanwhile
            model = ResidentsTableModel(lambda page: residents.resident_rows(database, page), self)
            model.set_ids(ids)
            self.register_tabs[0].show_rows(
                model, self.tr("在册居民共 {0} 人（身份证号码已隐去中间8位）").format(f"{len(ids):,}")
            )

        self.runner.run(
            lambda progress, cancelled: residents.resident_ids(database),
            on_done=shown,
            on_error=lambda exc: show_error(self, exc),
            writes=False,
        )

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
        self._action(file_menu, self.tr("检查数据库(&C)"), self.check_database)
        self._action(file_menu, self.tr("打开数据文件夹(&O)"), self.open_data_folder)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("退出(&X)"), self.close, QKeySequence.Quit)
        print_menu = bar.addMenu(self.tr("打印(&P)"))
        self._action(
            print_menu,
            self.tr("打印测试页(&T)"),
            self.print_test_page,
            tip=self.tr("生成一页PDF，检查中文字体和打印机是否正常"),
        )
        export_menu = bar.addMenu(self.tr("导出(&E)"))
        self._action(export_menu, self.tr("导出到U盘，报送县禁毒办（尚未提供）"), enabled=False)
        settings_menu = bar.addMenu(self.tr("设置(&S)"))
        self._action(settings_menu, self.tr("行政区划：村（社区）和小组(&U)…"), self.edit_units)
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
            county, name, is_demo = info
            text = f"{county} {name}"
            if is_demo:
                text += self.tr("【演示数据】")
        self.township_label.setText(text)
        self.database_label.setText(self.tr("数据库：{0}").format(self.db.path))
        self.user_label.setText(self.tr("操作员：{0}").format(getpass.getuser()))
        self.is_demo_database = (
            self.db.path.parent.name == DEMO_FOLDER and self.db.path.parent.parent == self.data_dir
        )
        self.demo_action.setText(
            self.tr("返回正式数据库(&D)") if self.is_demo_database else self.tr("切换到演示数据库(&D)")
        )
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
        from desktop import paths
        from desktop.services import demo, township

        if self.is_demo_database:
            target = paths.database_path(self.data_dir)
        else:
            target = paths.database_path(self.data_dir / DEMO_FOLDER)
        try:
            new_db = db.open_database(target)
        except DomainError as exc:
            show_error(self, exc)
            return
        try:
            if not township.is_set_up(new_db):
                if self.is_demo_database:
                    raise AssertionError("the real database was set up before the demo could be opened")
                run_blocking(
                    self.runner,
                    lambda progress, cancelled: demo.build(
                        new_db, "township", progress=progress, cancelled=cancelled
                    ),
                    label=self.tr("正在生成演示乡镇（约4万人）…"),
                    parent=self,
                )
        except Exception as exc:
            new_db.close()
            show_error(self, exc)
            return
        old, self.db = self.db, new_db
        old.close()
        self.refresh_status()
        self.load_registers()
        self.database_switched.emit(new_db)

    def check_database(self) -> None:
        from desktop.services.check import check_database

        report = check_database(self.db.path)
        ok = report.integrity == "ok"
        text = self.tr("数据库：{0}\n完整性检查：{1}\n结构版本：{2}").format(
            report.path, self.tr("正常") if ok else report.integrity, report.revision
        )
        (QMessageBox.information if ok else QMessageBox.warning)(self, self.tr("检查数据库"), text)

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.db.path.parent)))

    def print_test_page(self) -> None:
        from desktop.pdf.test_page import build_test_page

        info = self.db.township()
        target = self.data_dir / "prints" / "打印测试页.pdf"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(build_test_page(info[1] if info else "", __version__))
        except OSError as exc:
            show_error(self, exc)
            return
        self.last_printout = target
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

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
        self.runner.wait()
        super().closeEvent(event)
