"""The 帮教小组 tab (issue 5, first part): the demo's cases, worst first, warnings in red, the rate, a reminder."""

from PySide6.QtCore import Qt

from desktop.services import aftercare, aftercare_register, demo
from desktop.views.aftercare_tab import WARNING
from desktop.views.main_window import MainWindow
from desktop.views.tasks import InlineRunner
from tests.conftest import AS_OF
from tests.ui.helpers import as_viewer


def test_the_tab_lists_open_cases_with_their_warnings_and_the_rate(qtbot, database):
    demo.build(database, "township", seed=2026, as_of=AS_OF)
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.show()
    w.load_registers()
    tab = w.register_tabs[1]
    model = tab.view.model()
    rows = aftercare_register.case_rows(database)
    assert model.rowCount() == len(rows) > 0
    first = model.index(0, 8)
    assert (
        model.data(first) and model.data(first, Qt.ForegroundRole) == WARNING
    )  # what needs acting on, first
    last = model.index(model.rowCount() - 1, 8)
    assert model.data(last) == "" and model.data(last, Qt.ForegroundRole) is None
    implemented, total = aftercare_register.aftercare_rate(database)
    assert f"帮教落实 {implemented} 人" in tab.count_label.text() and "帮教率" in tab.count_label.text()
    overdue = aftercare_register.overdue_count(database)
    assert overdue and "期限已逾期" in w.statusBar().currentMessage()
    # the start-up reminder names them, and its button leads to the tab
    assert w.reminder.isVisible() and f"有 {overdue} 名帮教对象的期限已逾期" in w.reminder.text()
    late = next(r for r in aftercare_register.case_rows(database) if r.deadline_overdue)
    assert late.name in w.reminder.informativeText()
    w.tabs.setCurrentIndex(0)
    w.reminder.buttons()[0].click()
    assert w.tabs.currentIndex() == 1
    reminder = w.reminder
    w.load_registers()
    assert w.reminder is reminder  # once per log-in, not again on every refresh


def test_create_a_case_form_its_group_and_record_a_talk(qtbot, database, township_draft, monkeypatch):
    """Issue 5's UI path: a key person becomes a case through 新建帮教对象; police, cadre and family make the
    group 帮教落实; a talk is recorded; the case's line in the tab loses its warnings."""
    import datetime as dt

    from desktop.models.idnumber import check_character
    from desktop.services import key_persons, people, township
    from desktop.views import aftercare_tab
    from desktop.views.case_dialog import CaseDialog
    from desktop.views.case_forms import CaseForm, MemberDialog, TalkDialog
    from tests.ui.helpers import answer_modals, names, type_chinese

    township.initialize(database, township_draft)
    first17 = "43052219880304561"
    pid = people.add_resident(
        database,
        people.ResidentDraft("东山村", "一组", "0001", "", "钱某", first17 + check_character(first17)),
    )
    today = dt.date.today()
    key_persons.open_file(
        database,
        pid,
        category="吸毒",
        first_found_on=today - dt.timedelta(days=5),
        status="社区康复",
        reason="责令社区康复决定书",
    )
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.load_registers()
    opened = []
    monkeypatch.setattr(
        aftercare_tab, "show_case", lambda window, case_id, name: opened.append((case_id, name))
    )

    def fill(form: CaseForm) -> None:
        assert form.person.currentText().startswith("钱某") and form.basis.currentText() == "社区康复"
        form.decision_on.setText((today - dt.timedelta(days=5)).isoformat())
        form.reported_on.setText("昨天")  # refused, in the form, which stays open
        form._on_submit()
        assert "报到日期“昨天”无法识别" in form.message.text() and form.isVisible()
        form.reported_on.setText((today - dt.timedelta(days=1)).isoformat())
        form._on_submit()

    seen = answer_modals(fill)
    w.new_case_button.click()
    assert names(seen) == ["CaseForm"]
    ((case_id, name),) = opened
    assert name == "钱某" and w.register_tabs[1].view.model().rowCount() == 1
    assert aftercare.case_header(database, case_id).reported_on == today - dt.timedelta(days=1)

    dialog = CaseDialog(database, case_id, name)
    qtbot.addWidget(dialog)
    for role, member in (("社区民警", "王警官"), ("村（社区）干部", "李主任"), ("家庭成员/监护人", "钱母")):
        form = MemberDialog(database, case_id, dialog)
        qtbot.addWidget(form)
        form.role.setCurrentText(role)
        type_chinese(form.name, member)
        form.first.setChecked(role == "村（社区）干部")
        form._on_submit()
        assert form.result() == form.DialogCode.Accepted, form.message.text()
    dialog.refresh()
    assert dialog.members.rowCount() == 3 and "帮教落实：是" in dialog.header.text()
    talk = TalkDialog(database, case_id, dialog)
    qtbot.addWidget(talk)
    assert talk.by_whom.text() == "李主任"  # the first responsible person, offered
    type_chinese(talk.five["thinking"], "情绪稳定")
    talk._on_submit()
    assert talk.result() == talk.DialogCode.Accepted, talk.message.text()
    dialog.refresh()
    assert dialog.talks.rowCount() == 1
    aftercare_tab.load(w)
    row = aftercare_register.case_rows(database)[0]
    assert row.implemented and row.warnings == "" and row.first_responsible == "李主任"


def test_ending_a_case_in_its_dialog(qtbot, database):
    from desktop.views.case_dialog import CaseDialog
    from desktop.views.case_forms import EndCaseDialog

    demo.build(database, "small", seed=3, as_of=AS_OF)
    row = aftercare_register.case_rows(database)[0]
    dialog = CaseDialog(database, row.case_id, row.name)
    qtbot.addWidget(dialog)
    end = EndCaseDialog(database, row.case_id, dialog)
    qtbot.addWidget(end)
    end._on_submit()
    assert "解除（终止）通知书不能为空" in end.message.text()
    end.paper.setText("新公（禁）解字〔2026〕7号")
    end._on_submit()
    assert end.result() == end.DialogCode.Accepted, end.message.text()
    assert row.case_id not in [r.case_id for r in aftercare_register.case_rows(database)]


def test_ended_cases_can_be_listed_and_opened_read_only(qtbot, database):
    """一人一档: an ended case leaves the open register, not the program."""
    from desktop.views.aftercare_tab import ENDED
    from desktop.views.case_dialog import CaseDialog

    demo.build(database, "small", seed=3, as_of=AS_OF)
    first = aftercare_register.case_rows(database)[0]
    aftercare.end_case(database, first.case_id, kind="终止", on=AS_OF, paper="终字9号", today=AS_OF)
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.load_registers()
    model = w.register_tabs[1].view.model()
    assert first.case_id not in [r.case_id for r in model.rows]
    w.show_ended.setChecked(True)
    model = w.register_tabs[1].view.model()
    last = model.rowCount() - 1
    assert model.rows[last].case_id == first.case_id
    assert model.data(model.index(last, 8)) == f"已结束：终止 {AS_OF.isoformat()}"
    assert model.data(model.index(last, 0), Qt.ForegroundRole) == ENDED
    open_count = len(aftercare_register.case_rows(database))
    assert f"在帮教 {open_count} 人" in w.register_tabs[1].count_label.text()  # the figures: open cases only
    dialog = CaseDialog(database, first.case_id, first.name)
    qtbot.addWidget(dialog)
    assert "终字9号" in dialog.header.text() and not dialog.add_talk_button.isEnabled()
    assert dialog.print_record_button.isEnabled()


def test_searching_the_cases_by_person_or_member(qtbot, database):
    from tests.ui.helpers import type_chinese

    demo.build(database, "small", seed=3, as_of=AS_OF)
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.load_registers()
    model = w.register_tabs[1].view.model()
    everyone = model.rowCount()
    target = model.rows[-1]
    type_chinese(w.case_search, target.name)
    assert 0 < model.rowCount() < everyone and all(target.name in (r.name + r.members) for r in model.rows)
    w.case_search.clear()
    assert model.rowCount() == everyone
    w.case_search.setText(target.id_number_masked[-4:])
    assert target in model.rows


def test_a_viewer_sees_the_cases_but_not_the_buttons_that_would_be_refused(qtbot, database):
    from desktop.views.case_dialog import CaseDialog

    demo.build(database, "small", seed=3, as_of=AS_OF)
    viewer = as_viewer(database)
    try:
        w = MainWindow(viewer, InlineRunner(), viewer.path.parent)
        qtbot.addWidget(w)
        w.load_registers()
        assert w.register_tabs[1].view.model().rowCount() > 0
        assert not w.new_case_button.isEnabled() and not w.group_roster_button.isEnabled()
        row = aftercare_register.case_rows(viewer)[0]
        dialog = CaseDialog(viewer, row.case_id, row.name)
        qtbot.addWidget(dialog)
        assert not dialog.add_talk_button.isEnabled() and not dialog.print_agreement_button.isEnabled()
        assert not dialog.edit_button.isEnabled()
    finally:
        viewer.close()


def test_an_empty_township_says_what_to_do_first(qtbot, database, township_draft, monkeypatch):
    """A new township's empty registers say how to begin, and 新建帮教对象 with nobody to pick explains where
    the people come from, in a box the clerk reads (not a status line that disappears)."""
    from PySide6.QtWidgets import QMessageBox

    from desktop.services import township
    from desktop.views import aftercare_tab

    township.initialize(database, township_draft)
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.show()
    w.load_registers()
    screening, care = w.register_tabs[0].empty.text(), w.register_tabs[1].empty.text()
    assert "新增居民" in screening and "从Excel导入" in screening and "后续版本" not in screening
    assert "重点人员档案" in care and "新建帮教对象" in care and "后续版本" not in care
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    aftercare_tab.new_case(w)
    assert told and "重点人员档案" in told[0] and "社区戒毒" in told[0]
