"""The 排查登记 tab as the clerk uses it: type to search, pick filters, click a header, import from Excel."""

from pathlib import Path

from openpyxl import Workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from desktop.services import demo, people_excel, township
from desktop.views.import_dialog import ImportDialog
from desktop.views.main_window import MainWindow
from desktop.views.tasks import InlineRunner
from tests.conftest import AS_OF
from tests.ui.helpers import type_chinese


def window_for(qtbot, database):
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.show()
    w.load_registers()
    return w


def test_typing_a_name_narrows_the_register(qtbot, database):
    demo.build(database, "small", seed=5, as_of=AS_OF)
    w = window_for(qtbot, database)
    model = w.register_tabs[0].view.model()
    everyone = model.rowCount()
    first_name = model.data(model.index(0, 0))
    type_chinese(w.residents.search, first_name)
    qtbot.waitUntil(lambda: model.rowCount() < everyone)
    assert all(
        model.data(model.index(r, 0)).startswith(first_name) or first_name in model.data(model.index(r, 0))
        for r in range(model.rowCount())
    )
    assert w.register_tabs[0].count_label.text().startswith("找到")
    w.residents.search.clear()
    qtbot.waitUntil(lambda: model.rowCount() == everyone)


def test_typing_pinyin_initials_finds_the_names(qtbot, database):
    """'zw' on the keyboard, before the input method is even switched on, finds 张伟, 赵文, 周伟…"""
    from desktop.models.pinyin import initials

    demo.build(database, "small", seed=5, as_of=AS_OF)
    w = window_for(qtbot, database)
    model = w.register_tabs[0].view.model()
    everyone = model.rowCount()
    target = model.data(model.index(3, 0))
    letters = initials(target).lower()
    qtbot.keyClicks(w.residents.search, letters)
    qtbot.waitUntil(lambda: model.rowCount() < everyone)
    names = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert target in names and all(initials(n).startswith(letters.upper()) for n in names)


def test_filters_and_a_header_click_sort(qtbot, database):
    demo.build(database, "small", seed=5, as_of=AS_OF)
    w = window_for(qtbot, database)
    model = w.register_tabs[0].view.model()
    w.residents.key_only.setChecked(True)
    from desktop.services import key_persons, residents

    everyone = residents.resident_ids(database, residents.ResidentFilter(key_only=True, state=""))
    on_books = [
        p for p in everyone if key_persons.file_of(database, p).current.status not in ("死亡", "迁出")
    ]
    assert (
        len(everyone) == 12 and model.rowCount() == len(on_books) < 12
    )  # the dead and gone are off the books
    w.residents.key_only.setChecked(False)
    w.residents.residence.setCurrentIndex(w.residents.residence.findData("外出务工"))
    assert {model.data(model.index(r, 6)) for r in range(model.rowCount())} == {"外出务工"}
    header = w.register_tabs[0].view.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.LeftButton,
        pos=QPoint(header.sectionViewportPosition(3) + 10, header.height() // 2),
    )
    assert header.sortIndicatorSection() == 3
    dates = [model.data(model.index(r, 3)) for r in range(model.rowCount())]
    assert dates == sorted(dates) or dates == sorted(dates, reverse=True)


def test_importing_a_workbook_through_the_preview_dialog(
    qtbot, database, township_draft, tmp_path, monkeypatch
):
    from desktop.models.idnumber import check_character

    township.initialize(database, township_draft)
    good = "43052219900101123" + check_character("43052219900101123")
    wb = Workbook()
    ws = wb.active
    ws.append(people_excel.HEADERS)
    ws.append(["东山村", "一组", "0001", "东山村一组1号", "张伟", good, "户主", "常住"])
    ws.append(["西山村", "一组", "0002", "西山村一组2号", "李娜", good[:-1] + "0", "户主", "常住"])
    path = tmp_path / "roster.xlsx"
    wb.save(path)
    dialog = ImportDialog(database, path, InlineRunner())
    qtbot.addWidget(dialog)
    dialog.start()
    assert not dialog.import_button.isEnabled() and dialog.valid_button.isEnabled()
    assert "不合格1行" in dialog.summary.text()
    assert dialog.model.data(dialog.model.index(0, 0)) == 3  # the refused row first
    assert "没有名为“西山村”" in dialog.model.data(dialog.model.index(0, 3))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    qtbot.mouseClick(dialog.valid_button, Qt.LeftButton)
    assert dialog.result_value.added == 1 and Path(dialog.result_value.error_workbook).exists()
    assert township.summary(database).persons == 1


def test_the_group_list_follows_the_village_and_moved_out_people_can_be_shown(qtbot, database):
    from desktop.services import people

    demo.build(database, "small", seed=5, as_of=AS_OF)
    w = window_for(qtbot, database)
    model = w.register_tabs[0].view.model()
    assert not w.residents.group.isEnabled()
    w.residents.village.setCurrentIndex(1)
    assert w.residents.group.isEnabled() and w.residents.group.count() > 2
    w.residents.group.setCurrentIndex(1)
    group = w.residents.group.currentText()
    assert {model.data(model.index(r, 5)) for r in range(model.rowCount())} == {group}
    people.set_state(database, model.ids[0], "死亡", "病故")
    w.residents.state.setCurrentIndex(w.residents.state.findData("死亡"))
    assert model.rowCount() == 1


class ReverseRunner(InlineRunner):
    """Holds the jobs and finishes them last-first: the whole list before the first page."""

    def __init__(self) -> None:
        super().__init__()
        self.held = []

    def run(self, fn, *, on_done, on_error, **_ignored) -> None:
        self.held.append((fn, on_done, on_error))

    def finish_in_reverse(self) -> None:
        held, self.held = self.held, []
        for fn, on_done, on_error in reversed(held):
            super().run(fn, on_done=on_done, on_error=on_error)


def test_the_first_page_never_replaces_the_whole_list_when_it_finishes_last(qtbot, database, monkeypatch):
    """The register asks for a first page and for the whole list at once; on a busy PC the whole list can come
    back first. It must stay: the clerk sees every resident and the count, never "正在载入……" for good."""
    from desktop.views import residents_tab

    monkeypatch.setattr(residents_tab, "FIRST_PAGE", 50)
    demo.build(database, "small", seed=5, as_of=AS_OF)
    runner = ReverseRunner()
    w = MainWindow(database, runner, database.path.parent)
    qtbot.addWidget(w)
    w.show()
    w.load_registers()
    runner.finish_in_reverse()
    w.residents.reload()
    runner.finish_in_reverse()
    model = w.register_tabs[0].view.model()
    assert model.rowCount() > 800
    label = w.register_tabs[0].count_label.text()
    assert "正在载入" not in label and f"{model.rowCount():,}" in label


def test_a_printout_is_made_off_the_window_s_thread(qtbot, database, monkeypatch):
    """排查登记表 of a big village takes seconds: the window hands the work to the runner (a progress dialog on the
    real one) and opens the PDF when it comes back, instead of freezing while it is made."""
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QInputDialog

    demo.build(database, "small", seed=5, as_of=AS_OF)
    runner = ReverseRunner()
    w = MainWindow(database, runner, database.path.parent)
    qtbot.addWidget(w)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (a[3][0], True))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", True))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: True)
    runner.held.clear()
    w.last_printout = None
    w.print_screening_form()
    assert w.last_printout is None and len(runner.held) == 1  # handed over, not made on the spot
    runner.finish_in_reverse()
    assert w.last_printout is not None and w.last_printout.read_bytes().startswith(b"%PDF")
