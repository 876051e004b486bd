"""重点人员档案 in the window: open a file, add to its history, a refused entry explained, a scan kept."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices

from desktop.models.idnumber import check_character
from desktop.services import key_persons, people, township
from desktop.views.key_file_dialog import KeyFileDialog

FIRST17 = "43052219880304561"


def test_opening_a_file_and_adding_to_its_history(qtbot, database, township_draft, tmp_path, monkeypatch):
    township.initialize(database, township_draft)
    pid = people.add_resident(
        database,
        people.ResidentDraft("东山村", "一组", "0001", "", "钱某", FIRST17 + check_character(FIRST17)),
    )
    dialog = KeyFileDialog(database, pid, "钱某")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.open_box.isVisible() and not dialog.file_box.isVisible()
    dialog.first_found.setText("2024-03-01")
    dialog.first_status.setCurrentText("社区戒毒")
    dialog.decision_kind.setCurrentText("责令社区戒毒决定书")
    dialog.decision_number.setText("新公（禁）决字〔2024〕12号")
    qtbot.mouseClick(dialog.open_button, Qt.LeftButton)
    assert dialog.file_box.isVisible() and "当前状态：<b>社区戒毒</b>" in dialog.header.text()

    dialog.status.setCurrentText("失联")
    dialog.since.setText("2025-05-01")
    qtbot.mouseClick(dialog.add_button, Qt.LeftButton)  # no reason given
    assert "登记“失联”时必须写明原因" in dialog.message.text()
    dialog.reason.setText("多次联系不上")
    qtbot.mouseClick(dialog.add_button, Qt.LeftButton)
    assert dialog.history.rowCount() == 2 and not dialog.message.isVisible()
    assert key_persons.file_of(database, pid).current.status == "失联"

    scan = tmp_path / "决定书.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 100)
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName", lambda *a, **k: (str(scan), ""))
    qtbot.mouseClick(dialog.attach_button, Qt.LeftButton)
    assert dialog.attachments.rowCount() == 1
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(Path(url.toLocalFile())))
    dialog.attachments_view.setCurrentIndex(dialog.attachments.index(0, 0))
    qtbot.mouseClick(dialog.view_button, Qt.LeftButton)
    assert opened[0].read_bytes() == scan.read_bytes()
    dialog.close()
    assert not opened[0].exists()  # the copy shown goes with the dialog
