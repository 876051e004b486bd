"""The first run, as a clerk meets it: a new database, then set up the township or try the demo."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from desktop.services import township
from desktop.views import app as app_module
from desktop.views.tasks import InlineRunner
from tests.ui.helpers import answer_modals, names, type_chinese


def fill_setup(dialog, qtbot) -> None:
    editor = dialog.editor
    type_chinese(editor.county, "新邵县")
    type_chinese(editor.township, "严塘镇")
    # the first village row is there already; give it a name by typing into its cell
    view = editor.village_view
    view.edit(editor.villages.index(0, 1))
    cell = view.findChild(QLineEdit)
    type_chinese(cell, "东山村")
    qtbot.keyClick(cell, Qt.Key_Return)
    qtbot.waitUntil(lambda: editor.villages.rows[0].name == "东山村")
    qtbot.mouseClick(editor.add_group_button, Qt.LeftButton)
    group_cell = editor.group_view.findChild(QLineEdit)
    type_chinese(group_cell, "一组")
    qtbot.keyClick(group_cell, Qt.Key_Return)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.LeftButton)


def test_first_run_setup_creates_the_township_from_the_form(qtbot, database):
    seen = answer_modals(
        lambda chooser: qtbot.mouseClick(chooser.setup_button, Qt.LeftButton),
        lambda dialog: fill_setup(dialog, qtbot),
    )
    assert app_module.first_run(database, InlineRunner()) is database
    assert names(seen) == ["FirstRunDialog", "UnitsDialog"]
    info = township.summary(database)
    assert (info.county_name, info.township_name, info.villages, info.groups) == ("新邵县", "严塘镇", 1, 1)
    units = township.load_units(database)
    assert units.villages[0].name == "东山村" and units.villages[0].groups[0].name == "一组"


def test_the_demo_chosen_after_the_real_administrator_goes_into_its_own_database(qtbot, database):
    """The real database has its administrator and no township yet: 先看看演示数据 opens the demo's own database;
    the real one stays empty (no synthetic person in it), ready for its setup."""
    from desktop.views.main_window import DEMO_FOLDER

    real_path = database.path
    seen = answer_modals(lambda chooser: qtbot.mouseClick(chooser.demo_button, Qt.LeftButton))
    demo_db = app_module.first_run(database, InlineRunner())
    try:
        assert names(seen) == ["FirstRunDialog"]
        assert demo_db is not database and demo_db.path.parent == real_path.parent / DEMO_FOLDER
        info = township.summary(demo_db)
        assert (
            info.is_demo
            and info.villages == 15
            and 35_000 < info.persons < 45_000
            and info.key_persons == 150
        )
    finally:
        demo_db.close()
    from desktop.services import accounts
    from tests.conftest import ADMIN, PASSWORD

    again = accounts.log_in(real_path, ADMIN, PASSWORD)
    try:
        assert township.summary(again) is None  # nothing synthetic in the real database
    finally:
        again.close()


def test_returning_to_an_empty_real_database_offers_only_its_setup(qtbot, database):
    seen = []
    answer_modals(lambda chooser: (seen.append(chooser.demo_button.isVisible()), chooser.reject()))
    assert app_module.first_run(database, InlineRunner(), offer_demo=False) is None
    assert seen == [False]


def test_quitting_the_first_run_writes_nothing(qtbot, database):
    answer_modals(lambda chooser: chooser.reject())
    assert app_module.first_run(database, InlineRunner()) is None
    assert township.summary(database) is None


def test_the_first_screen_offers_the_demo_without_making_the_real_database(qtbot, tmp_path, monkeypatch):
    """A county officer only wants to look: 先看看演示数据 opens the demo's own database (marked 演示), makes no
    real database, and 文件 → 返回正式数据库 later leads to the real first setup (without offering the demo)."""
    from desktop.services import demo

    real_build = demo.build
    monkeypatch.setattr(demo, "build", lambda d, size, **kw: real_build(d, "small", **kw))
    data_dir = tmp_path / "data"
    seen = answer_modals(lambda create: qtbot.mouseClick(create.demo_button, Qt.LeftButton))
    w = app_module.open_main_window(data_dir, InlineRunner())
    qtbot.addWidget(w)
    assert names(seen) == ["CreateAdminDialog"]
    assert w.db.path.parent == data_dir / "demo" and w.db.township().is_demo
    assert "演示" in w.township_label.text()
    assert not (data_dir / "wudu.keys").exists() and not (data_dir / "wudu.sqlite3").exists()
    assert w.demo_action.text().replace("&", "").startswith("返回正式数据库")
    offered = []

    def look_and_leave(create):
        offered.append(create.demo_button.isVisible())
        create.reject()

    answer_modals(look_and_leave)
    w.demo_action.trigger()
    assert offered == [False] and w.db.township().is_demo  # left the setup: still on the demo
    w.db.close()


def test_a_database_filled_with_the_demo_does_not_offer_a_switch_to_the_demo(qtbot, database):
    """文件 offered 切换到演示数据库 on a database that already held the demo: it says so instead."""
    from desktop.services import demo
    from desktop.views.main_window import MainWindow
    from tests.conftest import AS_OF

    demo.build(database, "small", seed=2, as_of=AS_OF)
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    assert not w.demo_action.isEnabled() and "当前已是演示数据" in w.demo_action.text()
