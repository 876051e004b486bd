"""Every menu action of the main window, triggered once as a clerk would click it: each opens its dialog or does
its work, and none ends in an unexpected error (文件 → 检查数据库 once showed the clerk nothing and raised
TypeError). Dialogs that open are closed as a person would close them."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from desktop.services import demo
from desktop.views.main_window import MainWindow
from desktop.views.tasks import InlineRunner
from tests.conftest import AS_OF

# Leaving, locking and switching the database are driven by their own tests (test_login, test_main_window).
NOT_HERE = ("退出", "锁定窗口", "切换到演示数据库")


def close_what_opens(seen: list[tuple[str, str]]) -> QTimer:
    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            return
        text = modal.text() if isinstance(modal, QMessageBox) else ""
        icon = modal.icon() if isinstance(modal, QMessageBox) else None
        seen.append((type(modal).__name__, text, icon))
        if isinstance(modal, QDialog):
            modal.reject()
        else:
            modal.close()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(30)
    return timer


def test_every_menu_action_runs_without_an_unexpected_error(qtbot, database, tmp_path):
    demo.build(database, "small", seed=4, as_of=AS_OF)
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.show()
    w.load_registers()
    w.register_tabs[0].view.selectRow(0)
    triggered = []
    seen: list = []
    timer = close_what_opens(seen)
    try:
        for menu_action in w.menuBar().actions():
            for action in menu_action.menu().actions():
                label = action.text().replace("&", "")
                if action.isSeparator() or not action.isEnabled() or label.startswith(NOT_HERE):
                    continue
                action.trigger()
                qtbot.wait(50)
                triggered.append(label)
    finally:
        timer.stop()
    assert len(triggered) >= 18, triggered
    assert any(label.startswith("检查数据库") for label in triggered)
    unexpected = [s for s in seen if s[2] == QMessageBox.Critical or "意外错误" in s[1]]
    assert unexpected == [], unexpected
    checked = [s for s in seen if "完整性检查" in s[1]]
    assert checked and "正常" in checked[0][1] and "审计日志完好" in checked[0][1]
