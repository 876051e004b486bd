"""The main window: four register tabs, menus, status bar, the units dialog and the demo switch."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLineEdit

from desktop.services import demo, township
from desktop.views.dialogs import units_dialog
from desktop.views.main_window import MainWindow
from desktop.views.tasks import InlineRunner
from desktop.views.units_models import ERROR_BACKGROUND, VillagesTableModel
from tests.conftest import AS_OF, PASSWORD
from tests.ui.helpers import answer_modals, names


@pytest.fixture
def window(qtbot, database, tmp_path):
    demo.build(database, "small", seed=3, as_of=AS_OF)
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_the_window_shows_four_registers_the_assessment_menus_and_status(window):
    tabs = window.tabs
    assert [tabs.tabText(i) for i in range(tabs.count()) if tabs.isTabVisible(i)] == [
        "排查登记",
        "帮教小组",
        "尿检通知",
        "责任书",
        "考核",
    ]
    assert [a.text() for a in window.menuBar().actions() if a.isVisible()] == [
        "文件(&F)",
        "打印(&P)",
        "导出(&E)",
        "设置(&S)",
        "帮助(&H)",
    ]
    assert window.township_label.text() == "演示县 演示镇【演示数据】"
    assert str(window.db.path) in window.database_label.text()
    assert window.user_label.text().startswith("操作员：")


def test_each_tab_is_an_empty_register_with_its_columns(window, qtbot):
    for i, tab in enumerate(window.register_tabs):
        qtbot.keyClick(window, Qt.Key_1 + i, Qt.ControlModifier)
        assert window.tabs.currentIndex() == i
        header = [tab.model.headerData(c, Qt.Horizontal) for c in range(tab.model.columnCount())]
        assert header == list(tab.spec.columns) and len(header) >= 7
        assert tab.model.rowCount() == 0
        assert tab.empty.isVisible()


def test_the_units_dialog_marks_a_bad_cell_and_saves_nothing(window, qtbot):
    before = township.load_units(window.db)
    dialog = units_dialog(window.db, window)
    qtbot.addWidget(dialog)
    dialog.show()
    view = dialog.editor.village_view
    view.edit(dialog.editor.villages.index(0, 1))
    cell = view.findChild(QLineEdit)
    cell.clear()  # and the clerk clicks 保存 with the cell still open
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.LeftButton)
    assert dialog.isVisible()
    assert dialog.editor.problem_label.isVisible()
    assert "村（社区）名称不能为空" in dialog.editor.problem_label.text()
    assert (
        dialog.editor.villages.data(dialog.editor.villages.index(0, 1), Qt.BackgroundRole) == ERROR_BACKGROUND
    )
    assert township.load_units(window.db) == before


def test_the_units_dialog_renames_a_village(window, qtbot):
    dialog = units_dialog(window.db, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.editor.villages.setData(dialog.editor.villages.index(1, 1), "西河新村")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.LeftButton)
    assert not dialog.isVisible()
    assert township.load_units(window.db).villages[1].name == "西河新村"


def test_the_test_page_is_written_and_opened(window, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    window.print_test_page()
    assert opened and opened[0].endswith("打印测试页.pdf")
    assert window.last_printout.read_bytes().startswith(b"%PDF")


def test_switching_to_the_demo_database_and_back_keeps_the_real_one_apart(qtbot, database, township_draft):
    """The demo lives in its own encrypted database; coming back to the real one asks for the password again."""
    township.initialize(database, township_draft)
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.demo_action.trigger()
    assert w.db.path.parent.name == "demo" and "【演示数据】" in w.township_label.text()
    assert w.demo_action.text().startswith("返回正式数据库")

    def login(dialog):
        dialog.password.setText(PASSWORD)
        dialog._on_submit()

    seen = answer_modals(login)
    w.demo_action.trigger()
    assert names(seen) == ["LoginDialog"]
    assert w.db.path == database.path and w.township_label.text() == "新邵县 严塘镇"
    assert township.summary(w.db).persons == 0
    w.db.close()


def test_villages_table_model_edits_the_draft_it_shows():
    """The table model needs no widget: editing a cell edits the draft, adding numbers the next code."""
    from desktop.models.units import VillageDraft

    rows = [VillageDraft("001", "东山村"), VillageDraft("007", "河口社区", "社区")]
    model = VillagesTableModel()
    model.set_rows(rows)
    assert model.rowCount() == 2 and model.columnCount() == 3
    assert model.setData(model.index(0, 1), " 东山新村 ")
    assert rows[0].name == "东山新村"
    row = model.add_village()
    assert rows[row].code == "008"
    model.set_errors({(1, "code"): "重复"})
    assert model.data(model.index(1, 0), Qt.ToolTipRole) == "重复"


def test_typing_on_a_selected_village_names_it(qtbot, database):
    """The current cell of a newly selected village is its name, so typing goes there, not into the code."""
    from desktop.models.units import TownshipDraft, VillageDraft
    from desktop.views.units_editor import AdminUnitsEditor

    editor = AdminUnitsEditor()
    qtbot.addWidget(editor)
    editor.load(TownshipDraft("新邵县", "严塘镇", villages=[VillageDraft("001", "")]))
    assert editor.village_view.currentIndex().column() == 1


def test_closing_the_window_records_the_log_out_inside_the_exit_backup(qtbot, database, township_draft):
    """Quitting backs up what changed, and that backup already holds the log-out: the next quit without
    changes makes no new copy."""
    from desktop.services import audit_log, backups

    township.initialize(database, township_draft)
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.show()
    w.close()
    assert [e.action for e in audit_log.entries(database)][:2] == ["backup", "logout"]
    assert len(backups.list_backups(database.backup_dir)) == 1
    assert not backups.changed_since_last_backup(database)


def test_the_program_has_its_icon_in_every_size_windows_asks_for(qtbot):
    """The title bar and taskbar show the anti-drug sign, not a blank window; the .ico carries 16 to 256 px."""
    from PySide6.QtGui import QImageReader
    from PySide6.QtWidgets import QApplication

    from desktop.resources import icon_path
    from desktop.views.app import make_app

    app = make_app()
    assert app is QApplication.instance() and not app.windowIcon().isNull()
    reader = QImageReader(str(icon_path("ico")))
    sizes = set()
    for i in range(reader.imageCount()):
        reader.jumpToImage(i)
        sizes.add(reader.read().width())
    assert {16, 32, 48, 256} <= sizes
