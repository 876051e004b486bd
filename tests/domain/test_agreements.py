"""责任书 (issue 12): generation covers exactly the parties in scope and is idempotent; an agreement keeps its
template version's text after the template changes; the steps in order and voiding; coverage on a hand-built
township (a household that moved, a new household, an empty village); scan-back; what a 查看 account may not do."""

import datetime as dt

import pytest

from desktop.errors import PermissionDenied, ValidationFailed
from desktop.models.idnumber import check_character
from desktop.models.units import GroupDraft, TownshipDraft, VillageDraft
from desktop.services import agreement_register, agreements, people, township
from desktop.services.rates import Rate
from tests.conftest import raw

D = dt.date
TODAY = D(2026, 11, 29)
HOUSEHOLD, VILLAGE = "家庭禁毒承诺书", "禁毒工作目标责任书"


def resident(db, village, group, household, name, n):
    first17 = f"43052219880304{n:02d}1"
    return people.add_resident(
        db, people.ResidentDraft(village, group, household, "", name, first17 + check_character(first17))
    )


@pytest.fixture
def town(database):
    """东山村 (一组: households 0001, 0002; 二组: 0003), 河口社区 (一组: 0004), and 西岭村 with nobody in it."""
    township.initialize(
        database,
        TownshipDraft("新邵县", "严塘镇", "430522101", [
            VillageDraft("001", "东山村", "村", [GroupDraft("01", "一组"), GroupDraft("02", "二组")]),
            VillageDraft("002", "河口社区", "社区", [GroupDraft("01", "一组")]),
            VillageDraft("003", "西岭村", "村", [GroupDraft("01", "一组")]),
        ]),
    )  # fmt: skip
    for i, (v, g, h, name) in enumerate(
        (("东山村", "一组", "0001", "钱某"), ("东山村", "一组", "0002", "孙某"), ("东山村", "二组", "0003", "李某"),
         ("河口社区", "一组", "0004", "周某")), start=1):  # fmt: skip
        resident(database, v, g, h, name, i)
    return database


def sign_all(db, year, kind, *, except_names=()):
    for row in agreement_register.rows(db, year, kind=kind):
        if any(n in row.second_party for n in except_names):
            continue
        agreements.mark_printed(db, [row.agreement_id], today=TODAY)
        agreements.sign(db, row.agreement_id, on=TODAY, by="户主", today=TODAY)


def test_generation_covers_exactly_the_parties_in_scope_and_running_it_twice_makes_nothing(town):
    made = agreements.generate(town, 2026, HOUSEHOLD, today=TODAY)
    assert (made.made, made.skipped) == (4, 0)  # 西岭村 has no household with residents
    rows = agreement_register.rows(town, 2026, kind=HOUSEHOLD)
    assert [r.second_party for r in rows] == [
        "钱某户（户号：0001）",
        "孙某户（户号：0002）",
        "李某户（户号：0003）",
        "周某户（户号：0004）",
    ]  # village, group, 户号 order
    assert [r.number for r in rows] == [f"2026-责-{i:04d}" for i in range(1, 5)]
    assert agreements.generate(town, 2026, HOUSEHOLD, today=TODAY) == agreements.Generated(0, 4)
    villages = agreements.generate(town, 2026, VILLAGE, today=TODAY)
    assert villages.made == 3  # every village, the empty one too
    assert [r.second_party for r in agreement_register.rows(town, 2026, kind=VILLAGE)] == [
        "东山村村民委员会", "河口社区居民委员会", "西岭村村民委员会"]  # fmt: skip
    with pytest.raises(ValidationFailed):
        agreements.generate(town, 2031, VILLAGE, today=TODAY)


def test_an_agreement_keeps_its_template_version_after_the_template_changes(town):
    from desktop.services import agreement_print

    agreements.generate(town, 2026, VILLAGE, today=TODAY)
    first = agreement_register.rows(town, 2026, kind=VILLAGE)[0].agreement_id
    before = agreement_print.text_of(town, first)
    current = agreements.templates(town)[VILLAGE]
    agreements.save_template(
        town, VILLAGE, title=current.title, body="新的条款：{乙方}要做好禁毒工作。", copies=3
    )
    assert agreements.templates(town)[VILLAGE].version == 2
    assert agreement_print.text_of(town, first) == before  # printed years later, the same
    with pytest.raises(ValidationFailed) as bad:
        agreements.save_template(town, VILLAGE, title="x", body="{乙放}负责", copies=2)
    assert bad.value.problems[0].reason == "unknown_placeholder"


def test_the_steps_go_in_order_and_a_voided_agreement_is_made_again(town):
    agreements.generate(town, 2026, HOUSEHOLD, today=TODAY)
    a = agreement_register.rows(town, 2026, kind=HOUSEHOLD)[0].agreement_id
    with pytest.raises(ValidationFailed):  # not printed yet
        agreements.sign(town, a, on=TODAY, by="钱某", today=TODAY)
    agreements.mark_printed(town, [a], today=D(2026, 3, 1))
    with pytest.raises(ValidationFailed):
        agreements.sign(town, a, on=D(2026, 12, 5), by="钱某", today=TODAY)  # in the future
    with pytest.raises(ValidationFailed):
        agreements.file(town, a, on=TODAY, where="档案柜", today=TODAY)  # not signed yet
    agreements.sign(town, a, on=D(2026, 3, 5), by="钱某", witness="李主任", today=TODAY)
    agreements.file(town, a, on=D(2026, 3, 9), where="禁毒办档案柜2-3", today=TODAY)
    with pytest.raises(ValidationFailed):
        agreements.void(town, a, reason="重复", today=TODAY)  # a filed agreement stays
    b = agreement_register.rows(town, 2026, kind=HOUSEHOLD)[1].agreement_id
    agreements.void(town, b, reason="户主姓名写错", today=TODAY)
    again = agreements.generate(town, 2026, HOUSEHOLD, today=TODAY)
    assert (
        again.made == 1
        and [r.state for r in agreement_register.rows(town, 2026, kind=HOUSEHOLD)].count("作废") == 1
    )


def test_coverage_counts_the_parties_that_must_sign_today(town):
    agreements.generate(town, 2026, HOUSEHOLD, today=TODAY)
    sign_all(town, 2026, HOUSEHOLD, except_names=("孙某",))
    totals = agreement_register.totals(town, 2026)
    assert totals[HOUSEHOLD] == Rate(3, 4) and totals[VILLAGE] == Rate(0, 3)
    # 李某's household moves away (its residents off the books), and a new household arrives in 二组
    conn = raw(town)
    (person,) = conn.execute("SELECT id FROM person WHERE name = '李某'").fetchone()
    conn.close()
    people.set_state(town, person, "迁出", "迁往县城", D(2026, 10, 1))
    resident(town, "东山村", "二组", "0005", "吴某", 9)
    lines = {(c.village, c.group): c for c in agreement_register.coverage(town, 2026) if c.type == HOUSEHOLD}
    assert lines[("", "")].rate == Rate(2, 4)  # 钱某, 周某 signed; 孙某 and the new 吴某 missing
    assert lines[("东山村", "二组")].missing == ("吴某户（户号：0005）",) and lines[
        ("东山村", "一组")
    ].missing == ("孙某户（户号：0002）",)
    assert ("西岭村", "") not in lines  # no household there: nothing to cover, no 0%
    # the totals the tab and the figures read are counted without drawing up each party: the same numbers
    whole = {c.type: c.rate for c in agreement_register.coverage(town, 2026) if not c.village}
    assert agreement_register.totals(town, 2026) == whole and whole[HOUSEHOLD] == Rate(2, 4)
    signed_moved = [
        r for r in agreement_register.rows(town, 2026, kind=HOUSEHOLD) if r.second_party.startswith("李某户")
    ]
    assert signed_moved[0].state == "已签订"  # the moved household keeps its signed agreement


def test_scanning_a_stack_of_returned_copies(town):
    agreements.generate(town, 2026, HOUSEHOLD, today=TODAY)
    ids = [r.agreement_id for r in agreement_register.rows(town, 2026, kind=HOUSEHOLD)]
    agreements.mark_printed(town, ids[:3], today=TODAY)
    agreements.void(town, ids[2], reason="作废重印", today=TODAY)
    kinds = [agreements.scan(town, code, today=TODAY).kind
             for code in ("A2026-0001", "2026-责-0002", "A2026-0001", "A2026-0003", "A2026-0004", "A2026-0999", "x")]  # fmt: skip
    assert kinds == [
        "done",
        "done",
        "already",
        "void",
        "already",
        "unknown",
        "unreadable",
    ]  # 0004: never printed
    assert agreement_register.totals(town, 2026)[HOUSEHOLD] == Rate(2, 4)


def test_a_viewer_can_read_coverage_but_not_generate_sign_or_edit_templates(town):
    from desktop.models.enums import Role
    from desktop.services.auth import Actor

    agreements.generate(town, 2026, HOUSEHOLD, today=TODAY)
    a = agreement_register.rows(town, 2026)[0].agreement_id
    town.actor = Actor("viewer", "查看员", Role.VIEWER)
    for act in (
        lambda: agreements.generate(town, 2026, VILLAGE, today=TODAY),
        lambda: agreements.void(town, a, reason="x", today=TODAY),
        lambda: agreements.scan(town, "A2026-0001", today=TODAY),
        lambda: agreements.save_template(town, VILLAGE, title="t", body="b", copies=2),
    ):
        with pytest.raises(PermissionDenied):
            act()
    assert agreement_register.totals(town, 2026)[HOUSEHOLD] == Rate(0, 4)


def test_a_scan_of_the_signed_paper_is_kept_in_the_database_and_viewing_it_is_audited(town, tmp_path):
    from desktop import messages
    from desktop.errors import FileProblem
    from desktop.services import audit_log

    agreements.generate(town, 2026, VILLAGE, today=TODAY)
    a = agreement_register.rows(town, 2026, kind=VILLAGE)[0].agreement_id
    photo = tmp_path / "签字页.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 2048)
    scan_id = agreements.attach(town, a, photo)
    photo.unlink()  # the database holds it now
    assert agreements.scans(town, a) == [(scan_id, "签字页.png", 2056)]
    name, data = agreements.scan_bytes(town, scan_id)
    assert (name, len(data)) == ("签字页.png", 2056)
    assert audit_log.entries(town)[0].action == "view_attachment"
    with pytest.raises(FileProblem) as missing:
        agreements.attach(town, a, tmp_path / "没有.jpg")
    assert "找不到文件" in messages.describe(missing.value)
    assert len(agreements.scans(town, a)) == 1


def test_the_aftercare_agreements_count_beside_the_responsibility_agreements(database, aftercare_case):
    from desktop.services import aftercare_records

    line = next(c for c in agreement_register.coverage(database, 2026) if c.type == "帮教协议书")
    assert (line.rate, line.missing) == (Rate(0, 1), ("钱某",))
    with pytest.raises(ValidationFailed):
        aftercare_records.record_agreement_signed(database, aftercare_case, on=D(2026, 12, 30), today=TODAY)
    aftercare_records.record_agreement_signed(database, aftercare_case, on=D(2026, 6, 3), today=TODAY)
    assert agreement_register.totals(database, 2026)["帮教协议书"] == Rate(1, 1)


def test_the_units_of_a_village_sign_too_and_a_closed_one_is_no_longer_asked(town):
    from desktop.services import units_register

    dongshan = residents_village(town, "东山村")
    school = units_register.add_unit(town, dongshan, name="东山小学", kind="学校", contact="校长王某")
    units_register.add_unit(town, dongshan, name="东山砖厂", kind="企业")
    with pytest.raises(ValidationFailed) as twice:
        units_register.add_unit(town, dongshan, name="东山小学", kind="学校")
    assert twice.value.problems[0].reason == "duplicate"
    with pytest.raises(ValidationFailed):
        units_register.add_unit(town, dongshan, name="某厂", kind="工厂")
    assert agreements.generate(town, 2026, "辖区单位禁毒责任书", today=TODAY).made == 2
    rows = agreement_register.rows(town, 2026, kind="辖区单位禁毒责任书")
    assert [r.second_party for r in rows] == ["东山小学（负责人：校长王某）", "东山砖厂（负责人：＿＿）"]
    units_register.set_active(town, school, False)
    assert agreement_register.totals(town, 2026)["辖区单位禁毒责任书"] == Rate(0, 1)


def residents_village(db, name):
    from desktop.services import residents

    return next(vid for vid, v in residents.villages(db) if v == name)


def test_the_goal_agreement_quotes_the_years_targets(town):
    from desktop.services import agreement_print

    agreements.generate(town, 2026, VILLAGE, today=TODAY)
    words = agreement_print.text_of(town, agreement_register.rows(town, 2026, kind=VILLAGE)[0].agreement_id)
    assert "帮教率达到95%以上，尿检率达到80%以上" in words and "{" not in words
