"""The 尿检通知 tab (issue 11) as a clerk uses it: the due list, issuing, the scan field a USB scanner types into
(key events ending in Enter) with an unknown, a repeated and a voided number, a result that proposes a status
entry, and a 查看 account that can do none of it."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.errors import ValidationFailed
from desktop.services import aftercare, demo, key_persons, urine, urine_register
from desktop.views import urine_tab
from desktop.views.main_window import MainWindow
from desktop.views.tasks import InlineRunner
from tests.conftest import AS_OF
from tests.ui.helpers import answer_modals, as_viewer

TODAY = AS_OF


def window(qtbot, database):
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.urine_today = lambda: TODAY
    w.show()
    w.load_registers()
    w.tabs.setCurrentWidget(w.tab("tests"))
    return w


def scan(qtbot, w, text: str) -> str:
    """As a scanner does: the characters, then Enter (a scanner types ASCII; a clerk may type the Chinese form)."""
    field = w.urine_scan.field
    if text.isascii():
        qtbot.keyClicks(field, text)
    else:
        field.insert(text)
    qtbot.keyClick(field, Qt.Key_Return)
    return w.urine_scan.result.text()


def test_issue_the_months_tests_then_scan_receipts_back(qtbot, database, monkeypatch):
    demo.build(database, "small", seed=3, as_of=AS_OF)
    w = window(qtbot, database)
    tab = w.tab("tests")
    due = urine_register.due(database, until=dt.date(2026, 11, 30), today=TODAY)
    assert w.urine_mode.currentText() == "本月到期、待开具" and tab.model.rowCount() == len(due) > 0
    # no notice issued yet, but tests were due and not done: 0%, not "—"; the closed ones are not on this list
    assert "本年尿检率 0.0%（0/" in tab.count_label.text()
    assert all(d.window_to >= TODAY for d in due)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    printed = []
    monkeypatch.setattr(w, "_print", lambda name, make: printed.append((name, make())))
    tab.view.selectRow(0)
    urine_tab.issue(w)
    assert printed and printed[0][0] == "尿检通知书.pdf" and printed[0][1].startswith(b"%PDF")
    assert tab.model.rowCount() == len(due) - 1
    w.urine_mode.setCurrentIndex(3)  # 未完成的通知书
    assert tab.model.rows[0].number == "2026-尿-0001" and tab.model.rows[0].state == "已开具"

    w.urine_scan.field.setFocus()
    assert "已登记送达" in scan(qtbot, w, "N2026-0001")
    assert urine_register.notice_rows(database, today=TODAY)[0].state == "已送达"
    assert "未改动" in scan(qtbot, w, "2026-尿-0001")  # the same receipt twice
    assert "没有这个编号" in scan(qtbot, w, "N2026-0777")
    assert "不是编号" in scan(qtbot, w, "hello")
    second = urine.issue_many(database, [(due[1].case_id, due[1].due_on)], today=TODAY)[0]
    urine.void(database, second, reason="开错了", today=TODAY)
    assert "已作废" in scan(qtbot, w, "N2026-0002")
    assert w.urine_scan.history.count() == 5 and "已登记送达" in w.urine_scan.history.item(4).text()
    assert w.urine_scan.field.text() == ""  # ready for the next receipt


def test_a_no_show_proposes_a_status_entry_the_clerk_confirms(qtbot, database, monkeypatch):
    from desktop.views.urine_dialogs import ResultForm, confirm_proposal

    demo.build(database, "small", seed=3, as_of=AS_OF)
    d = urine_register.due(database, until=dt.date(2026, 11, 30), today=TODAY)[0]
    n = urine.issue_many(database, [(d.case_id, d.due_on)], today=dt.date(2026, 11, 1))[0]
    urine.deliver(database, n, on=dt.date(2026, 11, 2), how="当面", by="李主任", today=TODAY)
    form = ResultForm(database, n, "2026-尿-0001", today=TODAY)
    qtbot.addWidget(form)
    form.outcome.setCurrentText("拒检")
    form._on_submit()
    assert "检测人不能为空" in form.message.text()  # refused in the form, in red
    form.outcome.setCurrentText("未到")
    form._on_submit()
    assert form.result() == form.DialogCode.Accepted and form.proposal.status == "失联"
    monkeypatch.setattr(QMessageBox, "exec", lambda self: self.buttons()[0].click())
    person = aftercare.case_header(database, d.case_id).person_id
    assert confirm_proposal(form, database, d.case_id, form.proposal, form.tested_on) is True
    assert key_persons.file_of(database, person).current.status == "失联"


def test_a_viewer_cannot_issue_scan_or_record(qtbot, database):
    demo.build(database, "small", seed=3, as_of=AS_OF)
    viewer = as_viewer(database)
    try:
        w = window(qtbot, viewer)
        assert w.tab("tests").model.rowCount() > 0  # reading is allowed
        assert not any(b.isEnabled() for b in w.urine_buttons.values())
        assert not w.urine_scan.field.isEnabled()
    finally:
        viewer.close()


def test_the_township_demo_opens_on_a_year_of_notices_with_the_overdue_ones_in_the_reminder(qtbot, database):
    demo.build(database, "township", seed=2026, as_of=AS_OF)
    w = window(qtbot, database)
    overdue = urine_register.overdue_count(database, today=TODAY)
    year = urine_register.rate(database, dt.date(2026, 1, 1), dt.date(2026, 12, 31), today=TODAY)
    assert overdue > 0 and year.denominator > 100 and 80 < year.percent < 100
    assert f"{overdue} 份尿检通知书已过检测期限" in w.reminder.text()
    assert f"{overdue} 份尿检通知书逾期未检" in w.statusBar().currentMessage()
    w.urine_mode.setCurrentIndex(3)  # 未完成的通知书: the overdue first, in red
    model = w.tab("tests").model
    assert model.rows[0].overdue and model.data(model.index(0, 8), Qt.ForegroundRole) == urine_tab.RED
    assert f"{year.numerator}/{year.denominator}" in w.tab("tests").count_label.text()
    breach = [r for r in urine_register.notice_rows(database, today=TODAY) if r.breach]
    assert breach and {r.result for r in breach} >= {"未到", "拒检"}  # the demo's serious breach


def test_the_case_file_shows_its_notices_and_the_serious_breach(qtbot, database):
    from desktop.views.case_dialog import CaseDialog

    demo.build(database, "township", seed=2026, as_of=AS_OF)
    row = next(r for r in urine_register.notice_rows(database, today=TODAY) if r.breach)
    dialog = CaseDialog(database, row.case_id, row.name)
    qtbot.addWidget(dialog)
    assert "严重违反：拒检或未到 3 次" in dialog.header.text() and "复吸预警" in dialog.header.text()
    notices = urine_register.case_notices(database, row.case_id)
    assert dialog.notices.rowCount() == len(notices) > 3


def test_a_test_day_is_entered_in_one_grid(qtbot, database, monkeypatch):
    from desktop.views.urine_grid import ResultsGrid

    demo.build(database, "small", seed=3, as_of=AS_OF)
    # October's tests, issued on 1 October while their window was open
    due = urine_register.due(database, until=dt.date(2026, 10, 31), today=dt.date(2026, 10, 1))[:3]
    ids = urine.issue_many(database, [(d.case_id, d.due_on) for d in due], today=dt.date(2026, 10, 1))
    for n in ids:
        urine.deliver(database, n, on=dt.date(2026, 10, 2), how="当面", by="李主任", today=TODAY)
    grid = ResultsGrid(database, today=TODAY)
    qtbot.addWidget(grid)
    assert len(grid.rows) == 3
    grid._on_submit()
    assert "还没有为任何一人选择结果" in grid.message.text()
    grid.choose(0, "阳性")
    view, index = grid.grid, grid.model.index(1, 3)  # the drop-down a click opens, as the clerk uses it
    view.edit(index)
    editor = view.indexWidget(index) or view.focusWidget()
    assert editor.count() == 5  # blank and the four results
    editor.setCurrentText("拒检")
    view.itemDelegateForColumn(3).setModelData(editor, grid.model, index)
    assert grid.model.chosen[1] == "拒检"
    grid.choose(1, "")
    grid.fill_negative()
    assert grid.model.chosen == ["阳性", "阴性", "阴性"]
    grid._on_submit()
    assert "检测人不能为空" in grid.message.text()  # the whole list waits for the tester's name
    grid.tester.setText("赵警官")
    grid._on_submit()
    assert grid.result() == grid.DialogCode.Accepted and len(grid.proposals) == 1
    states = {r.notice_id: (r.state, r.result) for r in urine_register.notice_rows(database, today=TODAY)}
    assert sorted(states[n][1] for n in ids) == ["阳性", "阴性", "阴性"]


def test_a_correction_needs_its_reason_and_the_rate_follows_the_chosen_period(qtbot, database):
    from desktop.views.urine_dialogs import CorrectionForm

    demo.build(database, "small", seed=3, as_of=AS_OF)
    # an October test, issued on 1 October while its window was open, tested on the 20th
    d = urine_register.due(database, until=dt.date(2026, 10, 31), today=dt.date(2026, 10, 1))[-1]
    n = urine.issue_many(database, [(d.case_id, d.due_on)], today=dt.date(2026, 10, 1))[0]
    urine.deliver(database, n, on=dt.date(2026, 10, 2), how="当面", by="李主任", today=TODAY)
    urine.record_result(database, n, on=dt.date(2026, 10, 20), result="阴性", tester="赵警官", today=TODAY)
    form = CorrectionForm(database, n, "2026-尿-0001", today=TODAY)
    qtbot.addWidget(form)
    form.field.setCurrentText("检测日期")
    form.value.setText("2026-10-21")
    form._on_submit()
    assert "更正原因不能为空" in form.message.text()
    form.reason.setText("派出所记录为21日")
    form._on_submit()
    assert form.result() == form.DialogCode.Accepted
    assert urine_register.case_notices(database, d.case_id)[-1].tested_on == dt.date(2026, 10, 21)
    w = window(qtbot, database)
    label = w.tab("tests").count_label
    year = urine_register.rate(database, dt.date(2026, 1, 1), dt.date(2026, 12, 31), today=TODAY)
    # October's test is done; the other tests due, which had no notice, are not done
    assert year.numerator == 1 and year.denominator > 1
    assert label.text().startswith(f"本年尿检率 {year.text()}（1/{year.denominator}")
    w.urine_period.setCurrentIndex(3)  # 上月 (October on 29 November): the one test done among those due
    october = urine_register.rate(database, dt.date(2026, 10, 1), dt.date(2026, 10, 31), today=TODAY)
    assert label.text().startswith(f"上月尿检率 {october.text()}（1/{october.denominator}")
    w.urine_period.setCurrentIndex(2)  # 本月: November's windows are still open — nothing due yet
    assert label.text().startswith("本月尿检率 —（0/0")


def test_a_wrong_correction_is_refused_in_the_form_and_changes_nothing(qtbot, database):
    from desktop.views.urine_dialogs import CorrectionForm, DeliveryForm

    demo.build(database, "small", seed=3, as_of=AS_OF)
    d = urine_register.due(database, until=dt.date(2026, 11, 30), today=TODAY)[-1]
    n = urine.issue_many(database, [(d.case_id, d.due_on)], today=dt.date(2026, 11, 1))[0]
    delivery = DeliveryForm(database, n, "2026-尿-0001", today=TODAY)
    qtbot.addWidget(delivery)
    delivery.on.setText("十一月二日")
    delivery._on_submit()
    assert "无法识别" in delivery.message.text()
    assert urine_register.case_notices(database, d.case_id)[-1].state == "已开具"  # nothing recorded
    urine.deliver(database, n, on=dt.date(2026, 11, 2), how="当面", by="李主任", today=TODAY)
    form = CorrectionForm(database, n, "2026-尿-0001", today=TODAY)
    qtbot.addWidget(form)
    for field, value, expected in (("送达方式", "邮寄", "送达方式只能是"), ("送达日期", "2026-13-40", "无法识别"),
                                   ("送达日期", "2026-12-25", "晚于今天")):  # fmt: skip
        form.field.setCurrentText(field)
        form.value.setText(value)
        form.reason.setText("核对回执")
        form._on_submit()
        assert expected in form.message.text(), (field, value, form.message.text())
    row = urine_register.case_notices(database, d.case_id)[-1]
    assert (row.delivered_how, row.delivered_on) == ("当面", dt.date(2026, 11, 2))


def test_a_missed_test_is_recorded_from_the_overdue_list_and_never_issued(qtbot, database):
    """逾期未检 lists the tests whose window closed with no notice: 开具 is off there; 登记逾期未检 asks what was
    done, refuses 未通知到 without a reason in the form, and the row then says what was recorded."""
    from desktop.views.urine_dialogs import MissedForm

    demo.build(database, "small", seed=3, as_of=AS_OF)
    w = window(qtbot, database)
    tab = w.tab("tests")
    w.urine_mode.setCurrentText("逾期未检")
    assert tab.model.rowCount() > 0 and all(r.window_to < TODAY for r in tab.model.rows)
    assert not w.urine_buttons["issue"].isEnabled() and w.urine_buttons["missed"].isEnabled()
    assert tab.model.index(0, 8).data() == "逾期未检（待登记）"
    first = tab.model.rows[0]
    tab.view.selectRow(0)
    seen = []

    def fill(form: MissedForm) -> None:
        form.action.setCurrentText("未通知到")
        form._on_submit()
        seen.append(form.message.text())
        form.reason.setText("电话停机，家中无人")
        form._on_submit()

    answer_modals(fill)
    urine_tab.record_missed(w)
    assert seen == ["未检原因不能为空"]
    row = next(r for r in tab.model.rows if (r.case_id, r.due_on) == (first.case_id, first.due_on))
    assert row.missed_action == "未通知到"
    shown = tab.model.index(tab.model.rows.index(row), 8).data()
    assert shown == "逾期未检：未通知到（电话停机，家中无人）"
    with pytest.raises(ValidationFailed):
        urine.issue_many(database, [(first.case_id, first.due_on)], today=TODAY)


def test_the_scan_records_the_delivery_the_clerk_set_for_the_stack(qtbot, database):
    """送达方式 and 送达人 beside the scan field are set once for a stack of receipts and kept for the next scan;
    未注明 leaves them empty (a scan never claims 当面 or the clerk as the deliverer)."""
    demo.build(database, "small", seed=3, as_of=AS_OF)
    due = urine_register.due(database, until=dt.date(2026, 11, 30), today=TODAY)[:2]
    ids = urine.issue_many(database, [(d.case_id, d.due_on) for d in due], today=TODAY)
    w = window(qtbot, database)
    assert w.urine_scan_how.currentText() == "未注明"
    assert "已登记送达" in scan(qtbot, w, "N2026-0001")
    w.urine_scan_how.setCurrentText("家属代收")
    w.urine_scan_by.setText("李主任")
    assert "已登记送达" in scan(qtbot, w, "N2026-0002")
    assert w.urine_scan_how.currentText() == "家属代收"  # kept for the next receipt of the stack
    got = {
        n.id: (n.delivered_how, n.delivered_by)
        for d in due
        for n in urine_register.case_notices(database, d.case_id)
    }
    assert (got[ids[0]], got[ids[1]]) == (("", ""), ("家属代收", "李主任"))
