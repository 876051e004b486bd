"""The 考核 tab (issue 14) as the office uses it: the figures of the year and of a quarter, the drill-down
behind a figure with only the missing shown, a record added through the generic form (refused first, then
accepted) that moves its figure, the year's targets changed, and a 查看 account that can read but not write."""

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop.services import assessment_targets
from desktop.views.assessment_dialogs import DrillDialog, TargetsDialog
from desktop.views.assessment_records import RecordForm
from desktop.views.main_window import MainWindow
from desktop.views.tasks import InlineRunner
from tests.conftest import AS_OF
from tests.ui.helpers import answer_modals, as_viewer, build_demo_folder, logged_in_copy, type_chinese


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory) -> Path:
    """The township demo, built once for the module (ten seconds each otherwise) and copied for each test."""
    return build_demo_folder(tmp_path_factory, "township", 2026)


@pytest.fixture
def database(demo_folder, tmp_path):
    """A copy of the demo, logged in as its administrator."""
    d = logged_in_copy(demo_folder, tmp_path)
    yield d
    d.close()


def window(qtbot, database):
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.assessment_tab.today = lambda: AS_OF
    w.show()
    w.assessment_tab.year.setValue(AS_OF.year)
    w.load_registers()
    w.tabs.setCurrentWidget(w.assessment_tab)
    return w


def row_of(tab, key: str) -> int:
    return next(i for i, f in enumerate(tab.model.rows) if f.key == key)


def cell(tab, key: str, column: int) -> str:
    return tab.model.index(row_of(tab, key), column).data()


def test_figures_drill_down_and_a_record_that_moves_a_figure(qtbot, database):
    w = window(qtbot, database)
    tab = w.assessment_tab
    assert tab.model.rowCount() >= 20 and "预计得分" in tab.score.text()
    assert cell(tab, "aftercare_rate", 5) in ("达标", "未达标") and "/" in cell(tab, "aftercare_rate", 3)
    tab.period.setCurrentIndex(2)  # 第二季度
    assert tab.assessment.period.label == "2026年第二季度" and tab.assessment.day == dt.date(2026, 6, 30)
    tab.period.setCurrentIndex(0)
    # Enter on 帮教率 opens what it counted; "只看未落实的" leaves exactly those not counted
    tab.view.selectRow(row_of(tab, "aftercare_rate"))
    opened = []
    answer_modals(
        lambda d: (
            opened.append(d),
            d.missing.setChecked(True),
            opened.append(d.model.rowCount()),
            d.reject(),
        )
    )
    qtbot.keyClick(tab.view, Qt.Key_Return)
    dialog, missing = opened
    assert isinstance(dialog, DrillDialog)
    f = tab.assessment.figure("aftercare_rate")
    assert missing == f.rate.denominator - f.rate.numerator > 0
    # the chart shows the selected figure by month
    assert tab.chart.title == "帮教率" and len(tab.chart.points) == AS_OF.month
    # a survey of migrant workers through the form: refused while the answers exceed those asked
    page = next(p for p in tab.records if getattr(p, "kind", None) and p.kind.key == "survey")
    form = RecordForm(w, page.kind, None, page)
    form.fields["held_on"].setText("2026-11-01")
    form.fields["audience"].setCurrentText("外来务工人员")
    form.fields["sample_size"].setValue(10)
    form.fields["aware"].setValue(12)
    form._on_submit()
    assert not form.message.isHidden() and "不能多于调查人数" in form.message.text()
    before = tab.assessment.figure("awareness:外来务工人员").rate
    form.fields["aware"].setValue(10)
    form._on_submit()
    assert form.result() == QDialog.Accepted
    tab.load()
    after = tab.assessment.figure("awareness:外来务工人员").rate
    assert (after.numerator, after.denominator) == (before.numerator + 10, before.denominator + 10)


def test_a_changed_target_is_shown_and_judged(qtbot, database):
    w = window(qtbot, database)
    tab = w.assessment_tab
    dialog = TargetsDialog(w, AS_OF.year)
    dialog.fields["aftercare_rate"].setValue(50)
    dialog._on_submit()
    assert dialog.result() == QDialog.Accepted
    tab.load()
    assert cell(tab, "aftercare_rate", 4) == "≥50%" and cell(tab, "aftercare_rate", 5) == "达标"
    assert assessment_targets.plan(database, AS_OF.year).changed == frozenset({"aftercare_rate"})
    reopened = TargetsDialog(w, AS_OF.year)
    assert reopened.fields["aftercare_rate"].value() == 50


def test_a_viewer_reads_the_figures_and_cannot_add_records(qtbot, database):
    viewer = as_viewer(database)
    try:
        w = window(qtbot, viewer)
        assert w.assessment_tab.model.rowCount() >= 20
        assert all(not p.add_button.isEnabled() for p in w.assessment_tab.records)
        assert not w.targets_action.isEnabled()
    finally:
        viewer.close()


def test_the_detox_form_finds_the_person_by_typed_name(qtbot, database):
    from desktop.services import assessment_people, key_persons
    from desktop.views.assessment_records import DetoxForm

    w = window(qtbot, database)
    books = assessment_people.load(database)
    person = next(f for f in books.files if books.status_on(f, AS_OF) == "社区康复")
    form = DetoxForm(w, books.files)
    index = form.person.findData(person.person_id)
    form.person.setCurrentIndex(index)
    form.day.setText(AS_OF.isoformat())
    type_chinese(form.basis, "社区康复期满，尿检均为阴性")
    type_chinese(form.by, "县公安局禁毒大队")
    form._on_submit()
    assert form.result() == QDialog.Accepted
    assert key_persons.file_of(database, person.person_id).current.status == "戒断三年未复吸"


def test_the_year_end_report_prints_the_summary_the_office_wrote(qtbot, database, monkeypatch):
    import subprocess

    from desktop.services import assessment_targets as targets

    w = window(qtbot, database)
    printed = []
    monkeypatch.setattr(w, "_print", lambda name, make: printed.append((name, make())))

    def write(dialog):
        type_chinese(dialog.text, "全年开展禁毒宣传十七次。\n明年重点做好帮教小组落实。")
        dialog._on_submit()

    answer_modals(write)
    w.print_year_report_action.trigger()
    assert targets.plan(database, AS_OF.year).summary.startswith("全年开展禁毒宣传十七次")
    ((name, pdf),) = printed
    assert name.startswith(f"{AS_OF.year}年创建无毒社区工作总结统计表") and pdf[:4] == b"%PDF"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "全年开展禁毒宣传十七次" in "".join(text.split()) and "自查评分表" in text


def test_an_activity_photo_is_kept_inside_and_shown_from_memory(qtbot, database, tmp_path, monkeypatch):
    from PySide6.QtGui import QColor, QImage

    from desktop.services import assessment_records

    w = window(qtbot, database)
    page = next(p for p in w.assessment_tab.records if getattr(p, "kind", None) and p.kind.key == "activity")
    page.year.setValue(AS_OF.year)
    page.view.selectRow(0)
    image = QImage(64, 48, QImage.Format_RGB32)
    image.fill(QColor("#3b6ea5"))
    photo = tmp_path / "6·26宣传.png"
    image.save(str(photo))
    monkeypatch.setattr(
        "desktop.views.assessment_records.QFileDialog.getOpenFileName", lambda *a, **k: (str(photo), "")
    )
    page.add_photo()
    photo.unlink()  # the database holds its own copy
    record = page.selected() or page.model.rows[0]
    assert record.photos == 1 and assessment_records.photos(database, record.id)[0][0] == "6·26宣传.png"
    page.view.selectRow(page.model.rows.index(record))
    seen = []
    answer_modals(lambda d: (seen.append(not d.picture.pixmap().isNull()), d.reject()))
    page.show_photos()
    assert seen == [True]
