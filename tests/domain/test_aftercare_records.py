"""Issue 5's records beyond the group: the township's aftercare rules, a case's particulars, employment help,
half-year summaries and yearly assessments, the rosters filed with the county."""

import datetime as dt

import pytest

from desktop.errors import ValidationFailed
from desktop.messages import describe
from desktop.services import aftercare, aftercare_records, aftercare_register, rosters, township

D = dt.date
JULY = D(2026, 7, 1)


def _police_and_cadre(database, case):
    aftercare.add_member(database, case, role="社区民警", name="王警官", since=D(2026, 6, 1))
    aftercare.add_member(
        database, case, role="村（社区）干部", name="李主任", since=D(2026, 6, 1), first_responsible=True
    )


def test_the_rule_of_which_roles_make_a_group_complete_is_the_townships(database, aftercare_case):
    """A county that counts police and cadre alone: the same group becomes 帮教落实 once the rule changes."""
    _police_and_cadre(database, aftercare_case)
    assert aftercare_register.aftercare_rate(database, today=JULY) == (0, 1)
    township.set_aftercare_rules(
        database, township.AftercareRules(("村（社区）干部", "社区民警"), talk_interval_days=60, term_years=2)
    )
    rules = township.aftercare_rules(database)
    assert rules.required_roles == ("社区民警", "村（社区）干部") and rules.talk_interval_days == 60
    assert aftercare_register.aftercare_rate(database, today=JULY) == (1, 1)
    assert not aftercare.state(database, aftercare_case, today=D(2026, 7, 25)).talk_overdue  # 54 days < 60
    with pytest.raises(ValidationFailed) as caught:
        township.set_aftercare_rules(database, township.AftercareRules((), 0, 20))
    assert describe(caught.value).splitlines() == [
        "帮教落实须有的成员不能为空",
        "谈话间隔天数应在1到365之间",
        "帮教期限（年）应在1到10之间",
    ]
    assert township.aftercare_rules(database) == rules  # nothing half-saved


def test_a_new_case_takes_the_townships_term(database, aftercare_case):
    township.set_aftercare_rules(database, township.AftercareRules(("社区民警",), 30, 2))
    pid = aftercare.case_header(database, aftercare_case).person_id
    aftercare.end_case(database, aftercare_case, kind="终止", on=JULY, paper="终字1号", today=JULY)
    case = aftercare.open_case(
        database, pid, basis="社区康复", start_on=JULY, decision_on=D(2026, 6, 25), today=JULY
    )
    assert aftercare.state(database, case, today=JULY).term_end == D(2028, 7, 1)


def test_recording_the_report_clears_the_report_deadline(database, aftercare_case):
    header = aftercare.case_header(database, aftercare_case)
    fields = dict(
        basis=header.basis,
        start_on=header.start_on,
        facility=header.facility,
        handover_notice_on=header.handover_notice_on,
        term_years=3,
        today=JULY,
    )
    aftercare.update_case(database, aftercare_case, decision_on=D(2026, 6, 1), reported_on=None, **fields)
    assert [d.kind for d in aftercare.state(database, aftercare_case, today=JULY).overdue] == [
        "report",
        "group",
    ]
    with pytest.raises(ValidationFailed) as caught:
        aftercare.update_case(
            database, aftercare_case, decision_on=D(2026, 6, 1), reported_on=D(2026, 5, 30), **fields
        )
    assert describe(caught.value) == "报到日期（2026-05-30）早于决定书日期（2026-06-01）"
    aftercare.update_case(
        database, aftercare_case, decision_on=D(2026, 6, 1), reported_on=D(2026, 6, 10), **fields
    )
    assert [d.kind for d in aftercare.state(database, aftercare_case, today=JULY).overdue] == ["group"]


def test_a_member_can_serve_several_cases_and_is_offered_for_the_next_group(database, aftercare_case):
    from desktop.models.idnumber import check_character
    from desktop.services import people

    _police_and_cadre(database, aftercare_case)
    first17 = "43052219900101123"
    other = people.add_resident(
        database,
        people.ResidentDraft("东山村", "二组", "0002", "", "孙某", first17 + check_character(first17)),
    )
    second = aftercare.open_case(database, other, basis="社区戒毒", start_on=JULY, today=JULY)
    aftercare.add_member(database, second, role="社区民警", name="王警官", since=JULY)
    police = next(k for k in rosters.known_members(database, on=JULY) if k.name == "王警官")
    assert police.cases == 2 and "帮教2人" in police.label
    roster = rosters.group_roster(database, on=JULY)
    assert [(r.subject, r.name, r.first_responsible) for r in roster] == [
        ("孙某", "王警官", False),
        ("钱某", "李主任", True),  # the first responsible person heads the group's lines
        ("钱某", "王警官", False),
    ]


def test_member_phone_numbers_are_checked_and_a_replaced_member_cannot_be_replaced_again(
    database, aftercare_case
):
    with pytest.raises(ValidationFailed) as caught:
        aftercare.add_member(
            database, aftercare_case, role="社区民警", name="王警官", since=JULY, phone="12345"
        )
    assert describe(caught.value) == "联系电话“12345”不是手机号（11位）或带区号的固定电话"
    m = aftercare.add_member(
        database, aftercare_case, role="社区民警", name="王警官", since=JULY, phone="138 1234 5678"
    )
    assert aftercare.state(database, aftercare_case, today=JULY).members[0].phone == "13812345678"
    aftercare.replace_member(database, m, name="赵警官", on=D(2026, 8, 1))
    with pytest.raises(ValidationFailed) as caught:
        aftercare.replace_member(database, m, name="孙警官", on=D(2026, 9, 1))
    assert describe(caught.value) == "这名成员已于2026-08-01离开帮教小组"


def test_employment_help_is_recorded_and_ended_without_losing_it(database, aftercare_case):
    with pytest.raises(ValidationFailed) as caught:
        aftercare_records.add_employment(
            database, aftercare_case, job=" ", employer="", since=D(2026, 8, 1), today=JULY
        )
    assert describe(caught.value).splitlines() == ["工作岗位不能为空", "就业日期（2026-08-01）晚于今天"]
    job = aftercare_records.add_employment(
        database, aftercare_case, job="装卸工", employer="严塘物流公司", since=D(2026, 6, 15), today=JULY
    )
    with pytest.raises(ValidationFailed):
        aftercare_records.end_employment(database, job, until=D(2026, 6, 1), today=JULY)
    aftercare_records.end_employment(database, job, until=D(2026, 6, 30), today=JULY)
    (row,) = aftercare_records.employments(database, aftercare_case)
    assert (row.job, row.employer, row.since, row.until) == (
        "装卸工",
        "严塘物流公司",
        D(2026, 6, 15),
        D(2026, 6, 30),
    )


def test_one_summary_per_half_year_and_one_assessment_per_year(database, aftercare_case):
    today = D(2027, 1, 10)
    common = dict(risk="中", text="按时尿检，思想稳定。", by_whom="李主任", today=today)
    aftercare_records.add_review(
        database, aftercare_case, year=2026, half=2, written_on=D(2027, 1, 5), **common
    )
    aftercare_records.add_review(
        database, aftercare_case, year=2026, half=0, written_on=D(2027, 1, 8), **common
    )
    with pytest.raises(ValidationFailed) as caught:
        aftercare_records.add_review(
            database, aftercare_case, year=2026, half=2, written_on=D(2027, 1, 9), **common
        )
    assert describe(caught.value) == "小结（评估）期间“2026年下半年”已经填写过"
    with pytest.raises(ValidationFailed) as caught:
        aftercare_records.add_review(
            database, aftercare_case, year=2027, half=2, written_on=D(2027, 1, 9), **common
        )
    assert describe(caught.value) == "“2027年下半年”的小结（评估）要到2027-12-01以后才能填写"
    with pytest.raises(ValidationFailed) as caught:
        aftercare_records.add_review(
            database,
            aftercare_case,
            year=2026,
            half=1,
            written_on=D(2027, 1, 9),
            risk="极高",
            text="",
            by_whom="",
            today=today,
        )
    assert describe(caught.value).splitlines() == [
        "风险等级只能是：低、中、高（现为“极高”）",
        "小结（评估）内容不能为空",
        "填写人不能为空",
    ]
    assert [(r.period, r.kind, r.risk) for r in aftercare_records.reviews(database, aftercare_case)] == [
        ("2026年度", "年度评估", "中"),
        ("2026年下半年", "半年小结", "中"),
    ]


@pytest.mark.parametrize(
    ("today", "missing"),
    [
        (D(2026, 7, 30), []),  # the first half ended a month ago, less a day: still time
        (D(2026, 7, 31), ["2026年上半年"]),
        (D(2027, 2, 1), ["2026年上半年", "2026年下半年", "2026年度"]),
    ],
)
def test_summaries_become_missing_a_month_after_their_period(database, aftercare_case, today, missing):
    """The case started on 1 June: a month of the first half, so that half owes a summary too."""
    assert aftercare_records.missing_reviews(database, aftercare_case, today=today) == missing


def test_a_case_that_ended_takes_no_new_records(database, aftercare_case):
    aftercare.end_case(database, aftercare_case, kind="解除", on=JULY, paper="解字1号", today=JULY)
    with pytest.raises(ValidationFailed) as caught:
        aftercare.add_talk(database, aftercare_case, held_on=JULY, kind="谈心", by_whom="李主任", today=JULY)
    assert describe(caught.value) == "这个帮教对象已于2026-07-01结束帮教，不能再添加记录"


def test_the_informant_and_propagandist_rosters(database, township_draft):
    township.initialize(database, township_draft)
    with pytest.raises(ValidationFailed) as caught:
        rosters.add_entry(database, kind="毒情信息员", name="周某", village="西山村", since=JULY, today=JULY)
    assert "没有名为“西山村”的村（社区）" in describe(caught.value)
    a = rosters.add_entry(
        database,
        kind="毒情信息员",
        name="周某",
        sex="男",
        village="东山村",
        unit="一组组长",
        since=D(2026, 1, 1),
        phone="0739-1234567",
        today=JULY,
    )
    rosters.add_entry(
        database, kind="禁毒宣传员", name="吴某", village="河口社区", since=D(2026, 3, 1), today=JULY
    )
    rosters.add_entry(
        database, kind="毒情信息员", name="郑某", village="河口社区", since=D(2026, 2, 1), today=JULY
    )
    rosters.end_entry(database, a, until=D(2026, 6, 30), today=JULY)
    assert [r.name for r in rosters.entries(database, "毒情信息员")] == ["周某", "郑某"]  # by village
    assert [r.name for r in rosters.entries(database, "毒情信息员", serving_on=JULY)] == ["郑某"]
    assert [(r.name, r.village) for r in rosters.entries(database, "禁毒宣传员")] == [("吴某", "河口社区")]


def test_a_person_has_one_open_case_at_a_time(database, aftercare_case):
    pid = aftercare.case_header(database, aftercare_case).person_id
    with pytest.raises(ValidationFailed) as caught:
        aftercare.open_case(database, pid, basis="社区康复", start_on=JULY, today=JULY)
    assert describe(caught.value) == "此人已有在帮教的档案，请在帮教小组中打开它"


def test_every_change_to_a_group_is_in_the_audit_trail(database, aftercare_case):
    """Who replaced whom, and when, is traceable beyond the member history itself."""
    from desktop.services import audit_log

    m = aftercare.add_member(database, aftercare_case, role="社区民警", name="王警官", since=D(2026, 6, 1))
    aftercare.replace_member(database, m, name="赵警官", on=D(2026, 9, 1))
    rows = audit_log.entries(database, entity="aftercare_member")
    updated = next(r for r in rows if r.action == "update" and r.entity_id == m)
    assert "2026-09-01" in updated.after and updated.username == "admin"
    assert any(r.action == "create" and "赵警官" in r.after for r in rows)


def test_replacing_the_first_responsible_person_keeps_who_held_the_duty_when(database, aftercare_case):
    cadre = aftercare.add_member(
        database,
        aftercare_case,
        role="村（社区）干部",
        name="李主任",
        since=D(2026, 6, 1),
        first_responsible=True,
    )
    aftercare.replace_member(database, cadre, name="周主任", on=D(2026, 9, 1), today=D(2026, 9, 1))
    members = aftercare.state(database, aftercare_case, today=D(2026, 9, 2)).members
    assert [(m.name, m.first_responsible, m.until) for m in members] == [
        ("李主任", True, D(2026, 9, 1)),
        ("周主任", True, None),
    ]
    current = aftercare.current_members(list(members), D(2026, 9, 2))
    assert sum(m.first_responsible for m in current) == 1


def test_dates_a_group_cannot_have(database, aftercare_case):
    with pytest.raises(ValidationFailed) as caught:
        aftercare.add_member(
            database,
            aftercare_case,
            role="社区民警",
            name="王警官",
            since=D(2026, 12, 1),
            today=D(2026, 11, 29),
        )
    assert describe(caught.value) == "成员参加日期（2026-12-01）晚于今天"
    with pytest.raises(ValidationFailed) as caught:
        aftercare.add_talk(
            database, aftercare_case, held_on=D(2026, 5, 20), kind="谈心", by_whom="李主任", today=JULY
        )
    assert describe(caught.value) == "谈话日期（2026-05-20）早于帮教起始日期（2026-06-01）"
