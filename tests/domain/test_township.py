"""Setting up the township and editing its villages and groups: all or nothing, every problem named."""

import copy

import pytest
from sqlalchemy import insert

from desktop import messages
from desktop.errors import AlreadySetUp, UnitInUse, ValidationFailed
from desktop.models import Household
from desktop.models.units import GroupDraft, VillageDraft
from desktop.services import township


def test_setup_stores_the_township_with_its_villages_and_groups(database, township_draft):
    done = township.initialize(database, township_draft)
    assert (done.county_name, done.township_name, done.villages, done.groups) == ("新邵县", "严塘镇", 2, 3)
    loaded = township.load_units(database)
    assert [v.name for v in loaded.villages] == ["东山村", "河口社区"]
    assert [g.name for g in loaded.villages[0].groups] == ["一组", "二组"]


def test_full_width_codes_and_stray_spaces_are_cleaned(database, township_draft):
    township_draft.villages[0].code = "００１ "
    township_draft.villages[0].name = " 东山村\u3000"
    township.initialize(database, township_draft)
    assert township.load_units(database).villages[0].code == "001"
    assert township.load_units(database).villages[0].name == "东山村"


def test_bad_setup_is_refused_with_every_problem_and_writes_nothing(database, township_draft):
    township_draft.township_name = ""
    township_draft.code = "12345"
    township_draft.villages.append(VillageDraft("001", "东山村", "村"))
    township_draft.villages[1].groups.append(GroupDraft("1x", ""))
    with pytest.raises(ValidationFailed) as caught:
        township.initialize(database, township_draft)
    fields = {(p.field, p.reason) for p in caught.value.problems}
    assert fields == {
        ("township_name", "required"),
        ("code", "code_format"),
        ("villages[2].code", "duplicate"),
        ("villages[2].name", "duplicate"),
        ("villages[1].groups[1].code", "code_format"),
        ("villages[1].groups[1].name", "required"),
    }
    text = messages.describe(caught.value)
    assert "乡镇（街道）名称不能为空" in text and "河口社区" in text
    assert township.summary(database) is None


def test_a_township_cannot_be_set_up_twice(database, township_draft):
    township.initialize(database, township_draft)
    with pytest.raises(AlreadySetUp):
        township.initialize(database, township_draft)


def test_editing_units_renames_adds_removes_and_swaps_codes(database, township_draft):
    township.initialize(database, township_draft)
    draft = township.load_units(database)
    dongshan, hekou = draft.villages
    dongshan.code, hekou.code = hekou.code, dongshan.code  # swap: must pass the unique constraint
    dongshan.name = "东山新村"
    del dongshan.groups[1]
    hekou.groups.append(GroupDraft("02", "二组"))
    draft.villages.append(VillageDraft("003", "石桥村", "村", [GroupDraft("01", "一组")]))
    changed = township.apply_units(database, draft)
    assert (changed.villages_added, changed.villages_updated, changed.villages_removed) == (1, 2, 0)
    assert (changed.groups_added, changed.groups_removed) == (2, 1)
    after = township.load_units(database)
    assert [(v.code, v.name, len(v.groups)) for v in after.villages] == [
        ("002", "东山新村", 1),
        ("001", "河口社区", 2),
        ("003", "石桥村", 1),
    ]


def test_a_village_with_households_cannot_be_removed_and_nothing_changes(database, township_draft):
    township.initialize(database, township_draft)
    before = township.load_units(database)
    group_id = before.villages[0].groups[0].id
    with database.session() as s:
        s.execute(insert(Household).values(group_id=group_id, number="000001", address="东山村一组1号"))
    draft = copy.deepcopy(before)
    draft.township_name = "改名镇"
    del draft.villages[0]
    with pytest.raises(UnitInUse) as caught:
        township.apply_units(database, draft)
    assert caught.value.households == 1
    assert "东山村一组" in messages.describe(caught.value)
    assert township.load_units(database) == before
