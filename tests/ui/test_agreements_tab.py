"""The 责任书 tab (issue 12) as a clerk uses it: the demo's year with its coverage, generating for a village
(twice makes none), scanning returned copies back through the shared scan field, and a 查看 account."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.services import agreement_register, demo
from desktop.views import agreements_tab
from desktop.views.main_window import MainWindow
from desktop.views.tasks import InlineRunner
from tests.conftest import AS_OF
from tests.ui.helpers import as_viewer


def window(qtbot, database):
    w = MainWindow(database, InlineRunner(), database.path.parent)
    qtbot.addWidget(w)
    w.agreements_today = lambda: AS_OF
    w.show()
    w.load_registers()
    w.tabs.setCurrentWidget(w.tab("agreements"))
    return w


def test_the_township_demo_shows_its_year_and_coverage(qtbot, database):
    demo.build(database, "township", seed=2026, as_of=AS_OF)
    w = window(qtbot, database)
    totals = agreement_register.totals(database, AS_OF.year)
    label = w.tab("agreements").count_label.text()
    household = totals["家庭禁毒承诺书"]
    assert f"家庭 {household.numerator}/{household.denominator}" in label and 90 < household.percent < 100
    assert totals["禁毒工作目标责任书"].percent == 100.0 and totals["场所禁毒承诺书"].percent < 100
    assert "作废" in [r.state for r in w.tab("agreements").model.rows]


def test_generate_for_a_village_then_scan_the_signed_copies_back(qtbot, database, monkeypatch):
    demo.build(database, "small", seed=3, as_of=AS_OF)
    w = window(qtbot, database)
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    w.agreement_kind.setCurrentText("家庭禁毒承诺书")
    w.agreement_village.setCurrentIndex(1)
    agreements_tab.generate(w)
    rows = w.tab("agreements").model.rows
    assert rows and told[-1].startswith(f"新生成 {len(rows)} 份")
    agreements_tab.generate(w)
    assert told[-1] == f"新生成 0 份；已有 {len(rows)} 份，未重复生成。"
    from desktop.services import agreement_print

    agreement_print.print_agreements(database, [r.agreement_id for r in rows[:2]], today=AS_OF)
    field = w.agreement_scan.field
    for code in (f"A{AS_OF.year}-0001", f"A{AS_OF.year}-0001", f"A{AS_OF.year}-9999"):
        qtbot.keyClicks(field, code)
        qtbot.keyClick(field, Qt.Key_Return)
    texts = [w.agreement_scan.history.item(i).text() for i in range(3)]
    assert "已登记签订" in texts[2] and "未改动" in texts[1] and "没有这个编号" in texts[0]
    assert w.tab("agreements").model.rows[0].state == "已签订"


def test_a_viewer_reads_the_agreements_but_cannot_change_them(qtbot, database):
    from desktop.services import agreements

    demo.build(database, "small", seed=3, as_of=AS_OF)
    agreements.generate(database, AS_OF.year, "禁毒工作目标责任书", today=AS_OF)
    viewer = as_viewer(database)
    try:
        w = window(qtbot, viewer)
        assert w.tab("agreements").model.rowCount() == 3
        enabled = {k for k, b in w.agreement_buttons.items() if b.isEnabled()}
        assert enabled == {"coverage"} and not w.agreement_scan.field.isEnabled()
    finally:
        viewer.close()


def test_the_case_file_records_its_agreement_signed_and_the_coverage_follows(qtbot, database, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from desktop.services import aftercare, aftercare_register
    from desktop.views.case_dialog import CaseDialog

    demo.build(database, "township", seed=2026, as_of=AS_OF)  # every ninth case's agreement not yet back
    before = agreement_register.totals(database, AS_OF.year)["帮教协议书"]
    assert 0 < before.numerator < before.denominator
    row = next(
        r
        for r in aftercare_register.case_rows(database)
        if aftercare.case_header(database, r.case_id).agreement_signed_on is None
    )
    dialog = CaseDialog(database, row.case_id, row.name)
    qtbot.addWidget(dialog)
    assert "帮教协议书：尚未登记签订" in dialog.header.text()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("2026-11-20", True))
    dialog.signed_button.click()
    assert "帮教协议书：已签订（2026-11-20）" in dialog.header.text()
    assert agreement_register.totals(database, AS_OF.year)["帮教协议书"].numerator == before.numerator + 1


def test_the_units_of_the_area_are_added_in_their_dialog(qtbot, database):
    from desktop.services import units_register
    from desktop.views.agreement_dialogs import UnitsDialog

    demo.build(database, "small", seed=3, as_of=AS_OF)
    dialog = UnitsDialog(database)
    qtbot.addWidget(dialog)
    dialog.add()
    assert "单位名称不能为空" in dialog.message.text()
    dialog.name.insert("东山小学")
    dialog.contact.insert("王校长")
    dialog.add()
    assert dialog.message.text() == "" and dialog.model.rowCount() == 1
    dialog.view.setCurrentIndex(dialog.model.index(0, 0))
    dialog.toggle()
    assert [u.active for u in units_register.units(database)] == [False]


def test_the_village_filter_follows_a_switch_of_database(qtbot, database, tmp_path, township_draft):
    from desktop.services import accounts, township

    demo.build(database, "small", seed=3, as_of=AS_OF)
    w = window(qtbot, database)
    assert w.agreement_village.count() == 1 + 3  # 全部 and the demo's three villages
    other = accounts.create_installation(tmp_path / "other" / "wudu.sqlite3", "admin", "correct-horse-7").db
    township.initialize(other, township_draft)
    w.db = other  # as 文件 → 切换 does, before it reloads the registers
    w.load_registers()
    names = [w.agreement_village.itemText(i) for i in range(w.agreement_village.count())]
    assert names == ["全部村（社区）", "东山村", "河口社区"]
    other.close()


def test_the_dialogs_say_what_is_wrong_in_chinese_and_change_nothing(qtbot, database, tmp_path, monkeypatch):
    from desktop.services import agreements, units_register
    from desktop.views import agreement_dialogs
    from desktop.views.agreement_dialogs import ScansDialog, TemplateDialog, UnitsDialog

    demo.build(database, "small", seed=3, as_of=AS_OF)
    editor = TemplateDialog(database)
    qtbot.addWidget(editor)
    version = agreements.templates(database)[editor.kind.currentText()].version
    editor.body.setPlainText("{乙放}要做好禁毒工作。")
    editor.save()
    assert "不是可用的占位符" in editor.message.text()
    editor.title_field.setText("")
    editor.save()
    assert "标题不能为空" in editor.message.text()
    assert agreements.templates(database)[editor.kind.currentText()].version == version

    units = UnitsDialog(database)
    qtbot.addWidget(units)
    units.name.insert("东山小学")
    units.phone.insert("12")
    units.add()
    assert "不是手机号" in units.message.text() and units_register.units(database) == []

    agreements.generate(database, AS_OF.year, "禁毒工作目标责任书", today=AS_OF)
    a = agreement_register.rows(database, AS_OF.year)[0]
    told = []
    monkeypatch.setattr(agreement_dialogs, "show_error", lambda _parent, exc: told.append(exc))
    scans = ScansDialog(database, a.agreement_id, a.number, data_dir=tmp_path)
    qtbot.addWidget(scans)
    for chosen in (tmp_path / "没有.jpg", tmp_path):
        monkeypatch.setattr(
            agreement_dialogs.QFileDialog, "getOpenFileName", lambda *_a, c=chosen, **_k: (str(c), "")
        )
        scans.add()
    from desktop import messages

    assert ["找不到文件" in messages.describe(told[0]), "是一个文件夹" in messages.describe(told[1])] == [
        True,
        True,
    ]
    assert agreements.scans(database, a.agreement_id) == []
