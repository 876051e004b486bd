"""Start the window: QApplication, the font, the database (created, backed up, migrated), the first run."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from desktop import APP_NAME, db, paths
from desktop.errors import DomainError
from desktop.views.errors import show_error
from desktop.views.fonts import apply_ui_font
from desktop.views.main_window import MainWindow
from desktop.views.tasks import TaskRunner, run_blocking

log = logging.getLogger("desktop.views")


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName("")  # so Qt's own AppDataLocation is desktop.paths.default_data_dir()
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(app.tr("无毒社区工作台"))
    apply_ui_font(app)
    install_qt_translations(app)
    from PySide6.QtGui import QIcon

    from desktop.resources import icon_path

    app.setWindowIcon(QIcon(str(icon_path())))  # the title bar, the taskbar, every dialog
    return app


def install_qt_translations(app: QApplication) -> bool:
    """Qt's own words in Simplified Chinese: 确定/取消 on standard buttons, 复制/粘贴 in text fields' menus,
    the file dialog. PySide6 ships qtbase_zh_CN.qm (in the frozen build too, under PySide6/Qt/translations)."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    if getattr(app, "_wudu_translator", None) is not None:
        return True
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load("qtbase_zh_CN", folder):
        log.warning("Qt's Chinese translations were not found in %s", folder)
        return False
    app.installTranslator(translator)
    app._wudu_translator = translator  # kept alive with the application
    return True


def setup_logging(data_dir: Path) -> None:
    (data_dir / "logs").mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        data_dir / "logs" / "wudu.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        root.addHandler(handler)
        root.setLevel(logging.INFO)


def first_run(database: db.Database, runner, parent=None, *, offer_demo: bool = True):
    """Offer setup or a look at the demo until one is done: the database to work in (this one once it is set
    up, or the demo's own), None when the clerk quits. The demo never goes into a real database: a real
    database with its administrator stays empty, and 文件 → 返回正式数据库 leads back to its setup."""
    from desktop.views.main_window import DEMO_FOLDER

    while database.township() is None:
        from desktop.views.dialogs import FirstRunDialog, setup_dialog

        chooser = FirstRunDialog(str(database.path), parent)
        chooser.demo_button.setVisible(offer_demo)
        if not chooser.exec():
            return None
        if chooser.choice == FirstRunDialog.SETUP:
            setup_dialog(database, parent).exec()
            continue
        try:
            if database.path.parent.name == DEMO_FOLDER:  # the demo's own database, not yet built
                build_demo(database, runner, parent)
                continue
            demo_db = open_demo(database.path.parent, runner, parent)
        except Exception as exc:
            show_error(parent, exc)
            continue
        database.close()
        return demo_db
    return database


def build_demo(database, runner, parent=None) -> None:
    """The synthetic township, built with a progress dialog (it takes a few seconds)."""
    from desktop.services import demo

    run_blocking(
        runner,
        lambda progress, cancelled: demo.build(database, "township", progress=progress, cancelled=cancelled),
        label=QDialog.tr("正在生成演示乡镇（约4万人）…"),
        parent=parent,
    )


def log_in(data_dir: Path, runner=None):
    """The log-in window, or on the very first start the first administrator and the recovery sheet.
    Returns a logged-in Database, or None when the clerk leaves or the database is refused."""
    from desktop import storage
    from desktop.errors import KeysMissing
    from desktop.keystore import KeyStore
    from desktop.views.login import LoginDialog

    path = paths.database_path(data_dir)
    try:
        storage.require_local(path)
        if not KeyStore.exists(path) and path.exists() and path.stat().st_size > 0:
            raise KeysMissing(path)
    except DomainError as exc:
        show_error(None, exc)
        return None
    if KeyStore.exists(path):
        dialog = LoginDialog(path)
        if not dialog.exec():
            return None
        return check_at_start(dialog.database)
    return create_real_database(path, runner)


def create_real_database(path: Path, runner=None, parent=None, *, offer_demo: bool = True):
    """The first administrator and the recovery sheet of the real database; or, when the clerk asks to look
    first, the demo's own database (None when they leave)."""
    from desktop.views.login import CreateAdminDialog, RecoverySheetDialog

    create = CreateAdminDialog(path, parent)
    create.demo_button.setVisible(offer_demo)
    if not create.exec():
        return None
    if create.wants_demo:
        try:
            return open_demo(path.parent, runner or TaskRunner(), parent)
        except Exception as exc:
            show_error(parent, exc)
            return None
    sheet = RecoverySheetDialog(create.installation.db, create.installation.recovery_key, parent)
    while not sheet.exec():  # the key is shown only once: closing the window does not skip printing it
        pass
    return create.installation.db


def open_demo(data_dir: Path, runner, parent=None):
    """Log in to the demo database in <data>/demo, making it (a synthetic township) the first time."""
    from desktop.services import accounts
    from desktop.views.main_window import DEMO_FOLDER, DEMO_PASSWORD, DEMO_USER

    target = paths.database_path(data_dir / DEMO_FOLDER)
    if accounts.is_installed(target):
        return accounts.log_in(target, DEMO_USER, DEMO_PASSWORD)
    new_db = accounts.create_installation(target, DEMO_USER, DEMO_PASSWORD, "演示管理员").db
    try:
        build_demo(new_db, runner, parent)
    except Exception:
        new_db.close()
        raise
    return new_db


def report_audit_problem(database) -> None:
    """The chain and its head file disagreed when the database was opened: the administrator is told, every
    time until it is resolved under 设置 → 审计日志 (the head is never rewritten silently)."""
    from PySide6.QtWidgets import QMessageBox

    from desktop import messages
    from desktop.services.auth import Permission

    problem = database.audit_problem
    if problem is None or database.actor is None or not database.actor.may(Permission.AUDIT):
        return
    QMessageBox.warning(
        None,
        QDialog.tr("审计日志异常"),
        messages.describe_audit(problem)
        + QDialog.tr(
            "\n\n程序照常可用，但在查明原因之前不会改动链头。"
            "请在“设置 → 审计日志”中点“校验完整性”查看，查明原因后记录下来。"
        ),
    )


def check_at_start(database):
    """quick_check after log-in: a damaged file is never repaired silently; the newest good backup is offered."""
    from PySide6.QtWidgets import QMessageBox

    from desktop.services import backups

    verdict = db.quick_check(database.path, database.key)
    if verdict == "ok":
        report_audit_problem(database)
        return database
    good = backups.newest_good_backup(database.backup_dir, database.key)
    text = QDialog.tr("数据库检查未通过：\n{0}\n\n程序不会自动修复。").format(verdict)
    if good is None:
        QMessageBox.critical(
            None, QDialog.tr("数据库损坏"), text + QDialog.tr("没有找到完好的备份，请联系技术支持。")
        )
        database.close()
        return None
    answer = QMessageBox.question(
        None,
        QDialog.tr("数据库损坏"),
        text + QDialog.tr("是否用最近的完好备份恢复？\n{0}\n（当前文件会先另存一份。）").format(good.name),
    )
    if answer != QMessageBox.Yes:
        database.close()
        return None
    try:
        backups.restore(database, good)
    except DomainError as exc:
        show_error(None, exc)
        database.close()
        return None
    return database


def open_main_window(data_dir: Path, runner=None) -> MainWindow | None:
    """Everything `wudu` does before the event loop; None when the clerk quits or the database is refused."""
    setup_logging(data_dir)
    runner = runner or TaskRunner()
    database = log_in(data_dir, runner)
    if database is None:
        return None
    working = first_run(database, runner)
    if working is None:
        database.close()
        return None
    return MainWindow(working, runner, data_dir)


def run(data_dir: Path) -> int:
    from desktop.views import window_sizes

    app = make_app()
    window_sizes.install(app, data_dir)
    window = open_main_window(data_dir)
    if window is None:
        return 0
    window.show()
    # The ORM is not needed to paint the window; the registers load on the first turn of the event loop.
    QTimer.singleShot(0, window.load_registers)
    code = app.exec()
    window.db.close()  # the log-out was recorded, and the backup made, as the window closed
    return code
