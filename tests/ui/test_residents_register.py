"""The 排查登记 tab lists every registered resident from an id-backed model, IDs masked."""

import re

from PySide6.QtCore import Qt

from desktop.services import demo, residents
from desktop.views.main_window import MainWindow
from desktop.views.residents_model import PAGE, ResidentsTableModel
from desktop.views.tasks import InlineRunner
from tests.conftest import AS_OF

MASKED = re.compile(r"^\d{6}\*{10}\d[\dX]$")


def test_the_model_fetches_only_the_pages_it_shows(database):
    """Built without a widget: rows come a page at a time, and a full ID number never reaches the table."""
    demo.build(database, "small", seed=5, as_of=AS_OF)
    fetched = []

    def fetch(ids):
        fetched.append(len(ids))
        return residents.resident_rows(database, ids)

    model = ResidentsTableModel(fetch)
    model.set_ids(residents.resident_ids(database))
    assert model.rowCount() == residents.resident_count(database)  # everyone on the books (在册)
    assert fetched == []  # nothing read until a row is shown
    model.data(model.index(0, 0))
    model.data(model.index(PAGE - 1, 0))
    assert fetched == [PAGE]
    model.data(model.index(PAGE, 0))
    assert fetched == [PAGE, PAGE]
    ids_shown = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
    assert all(MASKED.match(i) for i in ids_shown)


def test_key_persons_show_their_current_status_in_red(database):
    demo.build(database, "small", seed=5, as_of=AS_OF)
    model = ResidentsTableModel(lambda ids: residents.resident_rows(database, ids))
    model.set_ids(residents.resident_ids(database))
    flagged = [r for r in range(model.rowCount()) if model.data(model.index(r, 8))]
    # the small demo's key persons on the books (those who died or moved away are not listed)
    assert len(flagged) == residents.resident_count(database, residents.ResidentFilter(key_only=True)) == 11
    assert model.data(model.index(flagged[0], 0), Qt.ForegroundRole) is not None
    plain = next(r for r in range(model.rowCount()) if r not in flagged)
    assert model.data(model.index(plain, 0), Qt.ForegroundRole) is None


def test_the_window_fills_the_screening_tab_after_it_is_shown(qtbot, database):
    demo.build(database, "small", seed=5, as_of=AS_OF)
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.show()
    tab = w.register_tabs[0]
    assert tab.model.rowCount() == 0
    w.load_registers()
    persons = residents.resident_count(database)
    assert tab.view.model().rowCount() == persons
    assert f"在册居民共 {persons:,} 人" in tab.count_label.text()
    assert not tab.empty.isVisible()
