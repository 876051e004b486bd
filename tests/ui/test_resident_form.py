"""居民登记表: add a resident by typing, refused fields marked, corrections audited, moved out but kept."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.models.idnumber import check_character
from desktop.services import audit_log, people, residents, township
from desktop.views.resident_form import ResidentDialog
from tests.conftest import raw
from tests.ui.helpers import type_chinese

FIRST17 = "43052219850612341"
NUMBER = FIRST17 + check_character(FIRST17)


def fill(qtbot, dialog, name="赵敏", number=NUMBER, phone="138 1234 5678") -> None:
    dialog.village.setCurrentText("东山村")
    dialog.group.setCurrentText("二组")
    dialog.household_number.setText("0007")
    type_chinese(dialog.address, "东山村二组7号")
    type_chinese(dialog.name, name)
    dialog.id_number.setText(number)
    dialog.phone.setText(phone)


def test_adding_a_resident_through_the_form(qtbot, database, township_draft):
    township.initialize(database, township_draft)
    dialog = ResidentDialog(database)
    qtbot.addWidget(dialog)
    fill(qtbot, dialog)
    assert dialog.derived.text().startswith("男，1985年6月12日出生")  # read off the number, never typed
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    row = residents.resident_rows(database, [dialog.saved_id])[dialog.saved_id]
    assert (row.name, row.village, row.group, row.phone, row.sex) == (
        "赵敏",
        "东山村",
        "二组",
        "13812345678",
        "男",
    )


def test_refused_fields_are_marked_and_nothing_is_saved(qtbot, database, township_draft):
    township.initialize(database, township_draft)
    dialog = ResidentDialog(database)
    qtbot.addWidget(dialog)
    fill(
        qtbot,
        dialog,
        number=FIRST17 + "0" if check_character(FIRST17) != "0" else FIRST17 + "1",
        phone="12345",
    )
    dialog._on_submit()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "校验位不正确" in dialog.message.text() and "不是手机号" in dialog.message.text()
    assert "c62828" in dialog.id_number.styleSheet() and "c62828" in dialog.phone.styleSheet()
    assert "c62828" not in dialog.name.styleSheet()
    assert township.summary(database).persons == 0


def test_a_likely_duplicate_asks_before_saving(qtbot, database, township_draft, monkeypatch):
    township.initialize(database, township_draft)
    people.add_resident(database, people.ResidentDraft("东山村", "一组", "0001", "", "赵敏", NUMBER))
    other17 = FIRST17[:-1] + "3"  # same birth date, another sequence: another person with the same name
    dialog = ResidentDialog(database)
    qtbot.addWidget(dialog)
    fill(qtbot, dialog, number=other17 + check_character(other17))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.No)
    dialog._on_submit()
    assert asked and "同名、同出生日期" in asked[0]
    assert township.summary(database).persons == 1


def test_correcting_and_moving_out_keeps_the_person_and_the_history(qtbot, database, township_draft):
    township.initialize(database, township_draft)
    pid = people.add_resident(database, people.ResidentDraft("东山村", "一组", "0001", "", "赵敏", NUMBER))
    dialog = ResidentDialog(database, pid)
    qtbot.addWidget(dialog)
    assert dialog.id_number.text() == NUMBER and dialog.group.currentText() == "一组"
    dialog.group.setCurrentText("二组")  # moves to another household
    dialog._on_submit()
    people.set_state(database, pid, "迁出", "迁往长沙市")
    assert residents.resident_ids(database) == []  # off the register of those present…
    conn = raw(database)
    assert (
        conn.execute("SELECT state, notes FROM person WHERE id = ?", (pid,)).fetchone()[0] == "迁出"
    )  # …kept
    conn.close()
    changes = [(e.action, e.entity) for e in audit_log.entries(database)]
    assert ("update", "person") in changes and ("view_full_id", "person") in changes


def test_the_household_number_field_offers_the_group_s_households(qtbot, database, township_draft):
    """Typing 8 in a group that has 000008 shows that household and its address, so no second one is made."""
    township.initialize(database, township_draft)
    draft = people.ResidentDraft(
        village="东山村",
        group="一组",
        household_number="000008",
        address="东山村一组8号",
        name="张伟",
        id_number=NUMBER,
        relation="户主",
        residence_type="常住",
        work_away_place="",
        phone="",
        notes="",
        registered_on=None,
    )
    people.add_resident(database, draft)
    form = ResidentDialog(database)
    qtbot.addWidget(form)
    form.village.setCurrentText("东山村")
    form.group.setCurrentText("一组")
    assert form.household_completer.model().stringList() == ["000008"]
    form.household_number.setText("8")
    assert "000008" in form.household_hint.text() and form.address.text() == "东山村一组8号"
    form.household_number.setText("9")
    assert form.household_hint.text() == "本组新的一户"
