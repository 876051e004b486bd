"""The 帮教小组 tab (issue 5, first part): the demo's cases, worst first, warnings in red, the rate, a reminder."""

from PySide6.QtCore import Qt

from desktop.services import aftercare, demo
from desktop.views.aftercare_tab import WARNING
from desktop.views.main_window import MainWindow
from desktop.views.tasks import InlineRunner
from tests.conftest import AS_OF


def test_the_tab_lists_open_cases_with_their_warnings_and_the_rate(qtbot, database):
    demo.build(database, "township", seed=2026, as_of=AS_OF)
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.show()
    w.load_registers()
    tab = w.register_tabs[1]
    model = tab.view.model()
    rows = aftercare.case_rows(database)
    assert model.rowCount() == len(rows) > 0
    first = model.index(0, 8)
    assert (
        model.data(first) and model.data(first, Qt.ForegroundRole) == WARNING
    )  # what needs acting on, first
    last = model.index(model.rowCount() - 1, 8)
    assert model.data(last) == "" and model.data(last, Qt.ForegroundRole) is None
    implemented, total = aftercare.aftercare_rate(database)
    assert f"帮教落实 {implemented} 人" in tab.count_label.text() and "帮教率" in tab.count_label.text()
    if aftercare.overdue_count(database):
        assert "期限已逾期" in w.statusBar().currentMessage()
