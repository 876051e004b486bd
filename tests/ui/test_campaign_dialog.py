"""排查活动 in the window: start a campaign, see the grid, record a visit, watch the household leave the list."""

from PySide6.QtCore import Qt

from desktop.services import campaigns, demo
from desktop.views.campaign_dialog import CampaignsDialog, NewCampaignDialog, VisitDialog
from tests.conftest import AS_OF
from tests.ui.helpers import type_chinese


def test_a_campaign_from_start_to_the_first_visit(qtbot, database):
    demo.build(database, "small", seed=41, as_of=AS_OF)
    dialog = CampaignsDialog(database)
    qtbot.addWidget(dialog)
    assert "还没有排查活动" in dialog.summary.text()

    new = NewCampaignDialog(database, dialog)
    qtbot.addWidget(new)
    new.name.setText("")
    new.start.setText("2026-10-01")
    new.end.setText("2026-09-01")
    new._on_submit()
    assert new.message.text() == "排查活动名称不能为空\n结束日期早于开始日期"
    new.name.setText("2026年第四季度毒情大排查")
    new.end.setText("2026-12-31")
    new.villages.item(1).setCheckState(Qt.Unchecked)
    new.villages.item(2).setCheckState(Qt.Unchecked)
    new._on_submit()
    assert new.result() == new.DialogCode.Accepted
    dialog.reload(new.campaign_id)
    assert "已排查 0 /" in dialog.summary.text()
    before = dialog.unvisited.rowCount()
    assert before > 0 and {g.village for g in dialog.progress.rows} == {dialog.unvisited.rows[0].village}

    house = dialog.unvisited.rows[0]
    visit = VisitDialog(database, new.campaign_id, house=house, parent=dialog)
    qtbot.addWidget(visit)
    visit.screened_on.setText(AS_OF.isoformat())
    type_chinese(visit.screener, "李娜")
    visit.outcome.setCurrentText("疑似涉毒")
    visit._on_submit()
    assert visit.result() == visit.DialogCode.Accepted, visit.message.text()
    dialog.show_campaign()
    assert dialog.unvisited.rowCount() == before - 1
    assert "已排查 1 /" in dialog.summary.text()
    assert sum(g.screened for g in campaigns.completeness(database, new.campaign_id)) == 1


def test_groups_not_yet_complete_are_red(qtbot, database):
    from desktop.services import residents
    from desktop.views.campaign_dialog import INCOMPLETE, ProgressTableModel

    demo.build(database, "small", seed=41, as_of=AS_OF)
    cid = campaigns.create_campaign(database, "大排查", AS_OF, AS_OF, [residents.villages(database)[0][0]])
    model = ProgressTableModel()
    model.set_rows(campaigns.completeness(database, cid))
    assert model.data(model.index(0, 4), Qt.ForegroundRole) == INCOMPLETE


def test_key_places_are_added_and_screened_in_the_dialog(qtbot, database):
    from desktop.services import residents
    from desktop.views.campaign_dialog import NewPlaceDialog

    demo.build(database, "small", seed=41, as_of=AS_OF)
    cid = campaigns.create_campaign(database, "大排查", AS_OF, AS_OF, [residents.villages(database)[0][0]])
    dialog = CampaignsDialog(database)
    qtbot.addWidget(dialog)
    place = NewPlaceDialog(database, (residents.villages(database)[0][0],), dialog)
    qtbot.addWidget(place)
    type_chinese(place.name, "金嗓子KTV")
    place.phone.setText("12")
    place._on_submit()
    assert "不是手机号" in place.message.text()
    place.phone.setText("0731-87654321")
    place._on_submit()
    assert place.result() == place.DialogCode.Accepted
    dialog.reload(cid)
    assert dialog.places.data(dialog.places.index(0, 4)) == "未排查"
    visit = VisitDialog(database, cid, place=dialog.places.rows[0], parent=dialog)
    qtbot.addWidget(visit)
    type_chinese(visit.screener, "王警官")
    visit.screened_on.setText(AS_OF.isoformat())
    visit._on_submit()
    dialog.show_campaign()
    assert dialog.places.data(dialog.places.index(0, 4)) == "正常"
    assert "重点场所 1 / 1 处" in dialog.summary.text()


def test_a_drug_finding_leads_to_the_persons_file(qtbot, database, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from desktop.services import people, residents
    from desktop.views import key_file_dialog

    demo.build(database, "small", seed=41, as_of=AS_OF)
    cid = campaigns.create_campaign(database, "大排查", AS_OF, AS_OF, [residents.villages(database)[0][0]])
    dialog = CampaignsDialog(database)
    qtbot.addWidget(dialog)
    house = campaigns.unvisited(database, cid)[0]
    asked, opened = [], []
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: asked.append(a[3]) or (a[3][0], True))
    monkeypatch.setattr(
        key_file_dialog.KeyFileDialog, "exec", lambda self: opened.append(self.person_id) or 0
    )
    dialog.offer_key_file(house)
    members = people.members(database, house.household_id)
    assert asked[0] == [label for _, label in members] and opened == [members[0][0]]


def test_a_group_s_sheet_is_entered_in_one_grid(qtbot, database):
    """The cadre's sheet for a group: every household shows 正常; the clerk changes one to 疑似涉毒 with a note,
    types the screener, saves once; the group is then complete in the campaign's grid."""
    import datetime as dt

    from desktop.services import residents
    from desktop.views.group_sheet import NOTES, RESULT, GroupSheetDialog

    demo.build(database, "small", seed=3, as_of=AS_OF)
    village_id, _ = residents.villages(database)[0]
    cid = campaigns.create_campaign(database, "冬季排查", dt.date(2026, 10, 1), dt.date.today(), [village_id])
    campaign = next(c for c in campaigns.campaigns(database) if c.id == cid)
    dialog = GroupSheetDialog(database, campaign)
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.rowCount() > 3
    assert {model.data(model.index(r, RESULT)) for r in range(model.rowCount())} == {"正常"}
    assert dialog.view.itemDelegateForColumn(RESULT) is not None  # picked from the list, not typed
    model.setData(model.index(1, RESULT), "疑似涉毒")
    model.setData(model.index(1, NOTES), "夜间常有生人出入")
    type_chinese(dialog.screener, "李娜")
    dialog._on_submit()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.message.text()
    group_id = dialog.group.currentData()
    sheet = campaigns.group_sheet(database, cid, group_id)
    assert sorted(h.result for h in sheet).count("疑似涉毒") == 1 and all(h.result for h in sheet)
    done = [g for g in campaigns.completeness(database, cid) if g.group == dialog.group.currentText()]
    assert done[0].screened == done[0].total


def test_a_visit_updates_the_lists_without_reading_the_whole_campaign_again(qtbot, database, monkeypatch):
    """Saving one visit takes the household off the list and counts it in its group at once; what the dialog
    shows is what a full reload shows, but the campaign is not read again for each visit."""
    from desktop.views import campaign_dialog

    demo.build(database, "small", seed=41, as_of=AS_OF)
    from desktop.services import residents

    cid = campaigns.create_campaign(database, "大排查", AS_OF, AS_OF, [residents.villages(database)[0][0]])
    dialog = CampaignsDialog(database)
    qtbot.addWidget(dialog)
    dialog.reload(cid)
    house = dialog.unvisited.rows[3]
    dialog.unvisited_view.setCurrentIndex(dialog.unvisited.index(3, 0))
    reads = []
    real_unvisited = campaigns.unvisited
    monkeypatch.setattr(campaigns, "unvisited", lambda *a, **k: reads.append(1) or real_unvisited(*a, **k))

    class Saved:
        def __init__(self, database, campaign_id, house=None, place=None, parent=None):
            self.house = house
            campaigns.record(database, campaign_id, household_id=house.household_id, screened_on=AS_OF,
                             screener="李娜", result="正常", today=AS_OF)  # fmt: skip
            self.outcome = type("O", (), {"currentText": staticmethod(lambda: "正常")})()

        def exec(self):
            return True

    monkeypatch.setattr(campaign_dialog, "VisitDialog", Saved)
    dialog.record_visit()
    assert reads == []  # no re-read of the campaign for one visit
    shown = (
        [r.household_id for r in dialog.unvisited.rows],
        list(dialog.progress.rows),
        dialog.summary.text(),
    )
    dialog.show_campaign()
    assert house.household_id not in shown[0]
    assert shown == ([r.household_id for r in dialog.unvisited.rows], list(dialog.progress.rows),
                     dialog.summary.text())  # fmt: skip


def test_a_group_sheet_with_a_wrong_date_or_no_screener_is_refused_and_writes_nothing(qtbot, database):
    import datetime as dt

    from desktop.services import residents
    from desktop.views.group_sheet import GroupSheetDialog

    demo.build(database, "small", seed=3, as_of=AS_OF)
    village_id, _ = residents.villages(database)[0]
    cid = campaigns.create_campaign(database, "冬季排查", dt.date(2026, 10, 1), dt.date.today(), [village_id])
    campaign = next(c for c in campaigns.campaigns(database) if c.id == cid)
    dialog = GroupSheetDialog(database, campaign)
    qtbot.addWidget(dialog)
    for date, screener, expected in (("2026-13-45", "李娜", "日期"), ("2026-09-01", "李娜", "排查"),
                                      (dt.date.today().isoformat(), "", "排查人")):  # fmt: skip
        dialog.screened_on.setText(date)
        dialog.screener.setText(screener)
        dialog._on_submit()
        assert dialog.result() != dialog.DialogCode.Accepted
        assert expected in dialog.message.text(), dialog.message.text()
    assert all(h.result == "" for h in campaigns.group_sheet(database, cid, dialog.group.currentData()))


def test_a_village_sheet_goes_out_to_excel_and_comes_back_through_the_preview(
    qtbot, database, tmp_path, monkeypatch
):
    """导出本村排查表 → filled in Excel → 从Excel导入排查表: the preview counts the rows, a refused row keeps
    全部导入 off, 只导入合格的行 writes the rest, and the grid shows them."""
    import datetime as dt

    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from desktop.services import residents
    from desktop.services import screening_excel as sx
    from desktop.views.screening_import import ScreeningImportDialog
    from desktop.views.tasks import InlineRunner

    demo.build(database, "small", seed=41, as_of=AS_OF)
    village_id = residents.villages(database)[0][0]
    cid = campaigns.create_campaign(database, "大排查", dt.date(2026, 11, 1), AS_OF, [village_id])
    dialog = CampaignsDialog(database, runner=InlineRunner())
    qtbot.addWidget(dialog)
    target = tmp_path / "排查表.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    assert dialog.export_sheet_button.isEnabled()
    dialog.export_sheet_button.click()
    assert target.exists() and "户" in told[0] and "用完请删除" in told[0]

    wb = load_workbook(target)
    ws = wb[sx.SHEET]
    for row in (2, 3, 4):
        ws.cell(row=row, column=5, value="正常")
        ws.cell(row=row, column=6, value="2026-11-20")
        ws.cell(row=row, column=7, value="李娜")
    ws.cell(row=5, column=5, value="不知道")
    ws.cell(row=5, column=6, value="2026-11-20")
    ws.cell(row=5, column=7, value="李娜")
    wb.save(target)

    preview = ScreeningImportDialog(database, target, InlineRunner(), dialog, today=AS_OF)
    qtbot.addWidget(preview)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    preview.start()
    assert "新登记3户" in preview.summary.text() and "不合格1行" in preview.summary.text()
    assert not preview.import_button.isEnabled() and preview.valid_button.isEnabled()
    assert preview.model.rows[0].status == "refused" and "排查结果只能是" in preview.model.rows[0].reasons()
    preview.valid_button.click()
    assert preview.result_value.written == 3
    dialog.show_campaign()
    assert "已排查 3 /" in dialog.summary.text()
    assert sum(g.screened for g in campaigns.completeness(database, cid)) == 3
