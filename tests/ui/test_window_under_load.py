"""The real window with the real background runner (QThreadPool), as a clerk drives it: every tab loads in the
background again and again, the 考核 chart is worked out month by month and papers are made, while the GUI thread
itself searches the register and adds residents. No error box, nothing in the log, no crash, every write there
and the audit chain intact.

On a store whose pool is not made for threads (SingletonThreadPool) this ends in "Cannot operate on a closed
database", "Incorrect number of bindings supplied" or a segmentation fault inside SQLCipher (issue 21)."""

import logging
from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.models.idnumber import check_character
from desktop.services import audit_log, people, residents
from desktop.views.main_window import MainWindow
from desktop.views.tasks import TaskRunner
from tests.conftest import AS_OF
from tests.ui.helpers import build_demo_folder, logged_in_copy

ROUNDS = 200


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory) -> Path:
    """The small demo, built once for the module."""
    return build_demo_folder(tmp_path_factory, "small", 7)


@pytest.fixture
def database(demo_folder, tmp_path):
    """A copy of the demo, logged in as its administrator."""
    d = logged_in_copy(demo_folder, tmp_path)
    yield d
    d.close()


class Caught(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))


def test_every_tab_loads_in_the_background_while_the_clerk_works(qtbot, database, monkeypatch):
    """Two hundred rounds: all five tabs reload on the runner's threads, every tenth round the 考核 chart's
    twelve months and a roster are made on workers too, and meanwhile the GUI thread searches and adds a
    resident. Nothing may reach an error box or the log, and every resident added is in the register."""
    boxes: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box.text()) or 0)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: True)
    caught = Caught()
    logging.getLogger().addHandler(caught)
    runner = TaskRunner()
    try:
        w = MainWindow(database, runner, database.path.parent)
        qtbot.addWidget(w)
        w.assessment_tab.today = lambda: AS_OF
        w.show()
        added = 0
        before = residents.resident_count(database)
        village_id, village = residents.villages(database)[1]
        group = residents.groups(database, village_id)[0][1]
        for n in range(ROUNDS):
            w.load_registers()
            if n % 10 == 0:
                w.tabs.setCurrentWidget(w.assessment_tab)
                w.assessment_tab.trends = {}
                w.assessment_tab.show_trend()
                w.print_group_roster()
            # the GUI thread's own reads and a write, as the register's search box and the resident form do
            residents.resident_ids(database, residents.ResidentFilter(text="张"), limit=300)
            residents.resident_count(database, residents.ResidentFilter(text="1"))
            first17 = f"4305221970{1 + n % 12:02d}{1 + n % 28:02d}{n:03d}"
            people.add_resident(
                database,
                people.ResidentDraft(
                    village, group, f"9{n:05d}", "", f"压测{n}", first17 + check_character(first17)
                ),
            )
            added += 1
            QApplication.processEvents()
        runner.wait()
        qtbot.wait(200)  # the last results come back through the event loop
        runner.wait()
        QApplication.processEvents()
        assert boxes == []
        assert caught.records == []
        assert residents.resident_count(database) == before + added
        assert audit_log.verify_chain(database).ok
        assert w.assessment_tab.model.rowCount() > 0
        assert w.last_printout.exists()
        w.close()
    finally:
        runner.wait()
        logging.getLogger().removeHandler(caught)
