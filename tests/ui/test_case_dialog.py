"""The 帮教档案 dialog and what hangs off the 帮教小组 tab: a member picked from another group, a replacement,
employment help, a half-year summary, the papers printed, the township's rules, the rosters."""

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices

from desktop.services import aftercare, aftercare_records, aftercare_register, demo, rosters, township
from desktop.views.case_dialog import CaseDialog
from desktop.views.case_forms import EmploymentDialog, MemberDialog, ReplaceMemberDialog, ReviewDialog
from desktop.views.main_window import MainWindow
from desktop.views.tasks import InlineRunner
from tests.conftest import AS_OF
from tests.ui.helpers import type_chinese


@pytest.fixture
def opened(monkeypatch) -> list[Path]:
    """PDFs the program hands to the system viewer."""
    seen: list[Path] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: seen.append(Path(url.toLocalFile())) or True)
    return seen


@pytest.fixture
def demo_case(database):
    demo.build(database, "small", seed=3, as_of=AS_OF)
    row = next(r for r in aftercare_register.case_rows(database) if r.implemented)
    return row


def test_a_member_of_another_group_is_picked_not_typed_again(qtbot, database, demo_case):
    dialog = CaseDialog(database, demo_case.case_id, demo_case.name)
    qtbot.addWidget(dialog)
    form = MemberDialog(database, demo_case.case_id, dialog)
    qtbot.addWidget(form)
    known = rosters.known_members(database)
    police = next(i for i, k in enumerate(known) if k.role == "社区民警")
    form.pick.setCurrentIndex(police + 1)
    assert form.name.text() == known[police].name and form.role.currentText() == "社区民警"
    assert form.phone.text() == known[police].phone
    form._on_submit()
    assert form.result() == form.DialogCode.Accepted, form.message.text()
    after = next(
        k for k in rosters.known_members(database) if k.name == known[police].name and k.role == "社区民警"
    )
    assert after.cases == known[police].cases + 1


def test_replacing_a_member_in_the_dialog_keeps_the_old_one_with_an_end_date(qtbot, database, demo_case):
    dialog = CaseDialog(database, demo_case.case_id, demo_case.name)
    qtbot.addWidget(dialog)
    old = next(m for m in dialog.members.rows if m.role == "社区民警")
    form = ReplaceMemberDialog(database, old, dialog)
    qtbot.addWidget(form)
    form._on_submit()
    assert "姓名不能为空" in form.message.text()  # nothing replaced
    type_chinese(form.name, "新警官")
    form.phone.setText("0739-7654321")
    form._on_submit()
    assert form.result() == form.DialogCode.Accepted, form.message.text()
    dialog.refresh()
    rows = {(m.name, m.until) for m in dialog.members.rows if m.role == "社区民警"}
    assert (old.name, dt.date.today()) in rows and ("新警官", None) in rows


def test_employment_and_a_half_year_summary_are_recorded_and_printed(
    qtbot, database, aftercare_case, opened, tmp_path
):
    """The fixture's case (钱某, from 1 June 2026) gets a job and its first half-year summary."""
    dialog = CaseDialog(database, aftercare_case, "钱某", data_dir=tmp_path)
    qtbot.addWidget(dialog)
    job = EmploymentDialog(database, aftercare_case, dialog)
    qtbot.addWidget(job)
    type_chinese(job.job, "保洁员")
    type_chinese(job.employer, "镇环卫站")
    job._on_submit()
    assert job.result() == job.DialogCode.Accepted, job.message.text()
    review = ReviewDialog(database, aftercare_case, dialog)
    qtbot.addWidget(review)
    review.year.setValue(2026)
    review.period.setCurrentIndex(0)  # 2026年上半年
    review.risk.setCurrentText("低")
    review._on_submit()
    assert "小结（评估）内容不能为空" in review.message.text()
    review.text.setPlainText("按时尿检，在镇环卫站做保洁员。")
    type_chinese(review.by_whom, "李主任")
    review._on_submit()
    assert review.result() == review.DialogCode.Accepted, review.message.text()
    dialog.refresh()
    assert dialog.jobs.rows[0].job == "保洁员" and dialog.reviews.rows[0].risk == "低"
    dialog.print_review_button.click()
    assert opened[-1].name == "钱某2026年上半年半年小结.pdf"
    assert opened[-1].read_bytes().startswith(b"%PDF") and opened[-1].parent == tmp_path / "prints"
    dialog.print_agreement_button.click()
    dialog.print_record_button.click()
    assert [p.name for p in opened[-2:]] == [
        "钱某帮教协议书.pdf",
        "钱某帮教工作记录.pdf",
    ]
    assert aftercare_records.employments(database, aftercare_case)[0].employer == "镇环卫站"


def test_the_rules_dialog_changes_how_the_register_counts(qtbot, database, township_draft, monkeypatch):
    from desktop.views.aftercare_rules_dialog import AftercareRulesDialog
    from tests.ui.helpers import answer_modals

    demo.build(database, "small", seed=3, as_of=AS_OF)
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.load_registers()
    before, total = aftercare_register.aftercare_rate(database)

    def only_police(form: AftercareRulesDialog) -> None:
        for role, check in form.roles.items():
            check.setChecked(role == "社区民警")
        form.interval.setValue(45)
        form._on_submit()

    answer_modals(only_police)
    w.rules_action.trigger()
    rules = township.aftercare_rules(database)
    assert rules.required_roles == ("社区民警",) and rules.talk_interval_days == 45
    after, _ = aftercare_register.aftercare_rate(database)
    assert after >= before and f"帮教落实 {after} 人" in w.register_tabs[1].count_label.text()


def test_the_rosters_dialog_adds_ends_and_prints(qtbot, database, township_draft, opened, tmp_path):
    from desktop.views.rosters_dialog import GONE, EndForm, EntryForm, RostersDialog

    township.initialize(database, township_draft)
    dialog = RostersDialog(database, data_dir=tmp_path)
    qtbot.addWidget(dialog)
    form = EntryForm(database, "禁毒宣传员", dialog)
    qtbot.addWidget(form)
    type_chinese(form.name, "吴老师")
    form.village.setCurrentText("河口社区")
    form.phone.setText("12")
    form._on_submit()
    assert "联系电话“12”不是手机号" in form.message.text()
    form.phone.setText("13912345678")
    form._on_submit()
    assert form.result() == form.DialogCode.Accepted, form.message.text()
    dialog.refresh()
    model = dialog.models["禁毒宣传员"]
    assert [r.name for r in model.rows] == ["吴老师"] and model.rows[0].village == "河口社区"
    end = EndForm(database, model.rows[0], dialog)
    qtbot.addWidget(end)
    end._on_submit()
    assert end.result() == end.DialogCode.Accepted, end.message.text()
    dialog.refresh()
    assert model.data(model.index(0, 0), Qt.ForegroundRole) == GONE  # ended: greyed, still listed
    dialog.print_roster("禁毒宣传员")
    assert opened[-1].name == "禁毒宣传员名册.pdf"
    assert rosters.entries(database, "禁毒宣传员", serving_on=dt.date.today() + dt.timedelta(days=1)) == []


def test_printouts_do_not_outlive_the_session(qtbot, database, township_draft, opened):
    """Printouts carry names and ID numbers: closing the window empties the prints folder."""
    township.initialize(database, township_draft)
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.print_group_roster()
    assert opened[-1].exists() and opened[-1].name == "帮教小组成员名册.pdf"
    w.close()
    assert not opened[-1].exists()


def test_without_a_pdf_viewer_the_clerk_is_told_where_the_printout_is(
    qtbot, database, township_draft, monkeypatch
):
    """Found on a bare Linux desktop: nothing opened, nothing said. Now the message names the file."""
    from tests.ui.helpers import answer_modals

    township.initialize(database, township_draft)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    told = []
    answer_modals(lambda box: (told.append(box.text()), box.accept()))
    w.print_roster("毒情信息员")
    assert told and "没有可以打开PDF的程序" in told[0] and str(w.last_printout) in told[0]


def test_naming_the_first_responsible_person_from_the_group(qtbot, database, demo_case):
    dialog = CaseDialog(database, demo_case.case_id, demo_case.name)
    qtbot.addWidget(dialog)
    police = next(i for i, m in enumerate(dialog.members.rows) if m.role == "社区民警" and m.until is None)
    dialog.members_view.selectRow(police)
    dialog.first_button.click()
    current = [m for m in dialog.members.rows if m.until is None]
    assert [m.role for m in current if m.first_responsible] == ["社区民警"]
    assert aftercare.state(database, demo_case.case_id).implemented  # still exactly one
