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
