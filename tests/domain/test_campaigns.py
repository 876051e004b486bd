"""Screening campaigns: every household of the villages in scope, one result each, and the grid of what is left."""

import datetime as dt

import pytest

from desktop.errors import ValidationFailed
from desktop.services import campaigns, demo, residents
from tests.conftest import AS_OF

START, END = dt.date(2026, 10, 1), dt.date(2026, 12, 31)


@pytest.fixture
def demo_db(database):
    demo.build(database, "small", seed=41, as_of=AS_OF)
    return database


def test_a_campaign_counts_households_screened_per_group_and_lists_the_rest(demo_db):
    (v1, _), (v2, _) = residents.villages(demo_db)[:2]
    cid = campaigns.create_campaign(demo_db, "2026年第四季度毒情大排查", START, END, [v1])
    grid = campaigns.completeness(demo_db, cid)
    total = sum(g.total for g in grid)
    assert (
        grid
        and all(g.screened == 0 for g in grid)
        and {g.village for g in grid} == {residents.villages(demo_db)[0][1]}
    )
    todo = campaigns.unvisited(demo_db, cid)
    assert len(todo) == total
    for house in todo[:5]:
        campaigns.record(
            demo_db,
            cid,
            household_id=house.household_id,
            screened_on=dt.date(2026, 11, 2),
            screener="李娜",
            result="正常",
            today=AS_OF,
        )
    campaigns.record(
        demo_db,
        cid,
        household_id=todo[0].household_id,
        screened_on=dt.date(2026, 11, 3),
        screener="李娜",
        result="人户分离",
        today=AS_OF,
    )  # a second visit corrects, not adds
    grid = campaigns.completeness(demo_db, cid)
    assert sum(g.screened for g in grid) == 5 and sum(g.total for g in grid) == total
    assert len(campaigns.unvisited(demo_db, cid)) == total - 5
    assert todo[5].household_id == campaigns.unvisited(demo_db, cid)[0].household_id


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"screened_on": dt.date(2026, 9, 30)}, "outside_campaign"),
        ({"screened_on": dt.date(2026, 12, 5)}, "date_in_future"),
        ({"result": "可疑"}, "choice"),
        ({"screener": " "}, "required"),
    ],
)
def test_a_refused_visit_names_its_reason_and_changes_nothing(demo_db, changes, reason):
    v1 = residents.villages(demo_db)[0][0]
    cid = campaigns.create_campaign(demo_db, "大排查", START, END, [v1])
    house = campaigns.unvisited(demo_db, cid)[0]
    args = {"screened_on": dt.date(2026, 11, 2), "screener": "李娜", "result": "正常", **changes}
    with pytest.raises(ValidationFailed) as caught:
        campaigns.record(demo_db, cid, household_id=house.household_id, today=AS_OF, **args)
    assert reason in {p.reason for p in caught.value.problems}
    assert sum(g.screened for g in campaigns.completeness(demo_db, cid)) == 0


def test_a_household_outside_the_campaigns_villages_is_refused(demo_db):
    (v1, _), (v2, _) = residents.villages(demo_db)[:2]
    cid = campaigns.create_campaign(demo_db, "大排查", START, END, [v1])
    other = campaigns.create_campaign(demo_db, "另一村", START, END, [v2])
    house = campaigns.unvisited(demo_db, other)[0]
    with pytest.raises(ValidationFailed) as caught:
        campaigns.record(
            demo_db,
            cid,
            household_id=house.household_id,
            screened_on=dt.date(2026, 11, 2),
            screener="李娜",
            result="正常",
            today=AS_OF,
        )
    assert {p.reason for p in caught.value.problems} == {"not_in_campaign"}


def test_campaign_rules(demo_db):
    v1 = residents.villages(demo_db)[0][0]
    with pytest.raises(ValidationFailed) as caught:
        campaigns.create_campaign(demo_db, "", END, START, [])
    assert {p.reason for p in caught.value.problems} == {"required", "end_before_start", "no_villages"}
    campaigns.create_campaign(demo_db, "大排查", START, END, [v1])
    with pytest.raises(ValidationFailed):
        campaigns.create_campaign(demo_db, "大排查", START, END, [v1])


def test_key_places_are_registered_and_screened_too(demo_db):
    v1 = residents.villages(demo_db)[0][0]
    cid = campaigns.create_campaign(demo_db, "大排查", START, END, [v1])
    ktv = campaigns.add_place(demo_db, v1, "金嗓子KTV", "KTV", "东山路1号", "周某", "0731-87654321")
    campaigns.add_place(demo_db, v1, "星空网吧", "网吧")
    with pytest.raises(ValidationFailed):
        campaigns.add_place(demo_db, v1, "某店", "酒吧")
    assert campaigns.places_progress(demo_db, cid) == (0, 2)
    campaigns.record(
        demo_db,
        cid,
        place_id=ktv,
        screened_on=dt.date(2026, 11, 2),
        screener="王警官",
        result="正常",
        notes="张贴禁毒标语",
        today=AS_OF,
    )
    assert campaigns.places_progress(demo_db, cid) == (1, 2)


def test_a_group_s_sheet_is_entered_in_one_step_all_normal_but_the_exceptions(demo_db):
    """After a field day the cadre hands in a group's sheet: every household 正常 unless marked otherwise, one
    transaction, an earlier visit left as it was; a wrong value refuses the whole sheet and writes nothing."""
    (v1, _), (v2, _) = residents.villages(demo_db)[:2]
    cid = campaigns.create_campaign(demo_db, "第四季度排查", START, END, [v1])
    group_id, _ = residents.groups(demo_db, v1)[0]
    sheet = campaigns.group_sheet(demo_db, cid, group_id)
    assert len(sheet) > 3 and all(h.result == "" for h in sheet)
    first, odd = sheet[0], sheet[1]
    campaigns.record(demo_db, cid, household_id=first.household_id, screened_on=dt.date(2026, 11, 2),
                     screener="王强", result="人户分离", today=AS_OF)  # fmt: skip
    with pytest.raises(ValidationFailed):
        campaigns.record_group(demo_db, cid, group_id, screened_on=dt.date(2026, 11, 20), screener="李娜",
                               results={odd.household_id: ("打工", "")}, today=AS_OF)  # fmt: skip
    assert [h.result for h in campaigns.group_sheet(demo_db, cid, group_id)].count("") == len(sheet) - 1
    written = campaigns.record_group(
        demo_db, cid, group_id, screened_on=dt.date(2026, 11, 20), screener="李娜",
        results={odd.household_id: ("疑似涉毒", "夜间常有生人出入")}, today=AS_OF,
    )  # fmt: skip
    after = {h.household_id: h for h in campaigns.group_sheet(demo_db, cid, group_id)}
    assert written == len(sheet) - 1
    assert after[first.household_id].result == "人户分离"  # the earlier visit stands
    assert after[odd.household_id].result == "疑似涉毒" and "生人" in after[odd.household_id].notes
    assert sum(h.result == "正常" for h in after.values()) == len(sheet) - 2
    progress = {(g.village, g.group): g for g in campaigns.completeness(demo_db, cid)}
    assert any(g.screened == g.total for g in progress.values())
    other_group, _ = residents.groups(demo_db, v2)[0]
    with pytest.raises(ValidationFailed):  # a village outside the campaign
        campaigns.record_group(demo_db, cid, other_group, screened_on=dt.date(2026, 11, 20), screener="李娜",
                               results={}, today=AS_OF)  # fmt: skip
