"""Aftercare (帮教) domain: deadlines at month ends and leap years, the 帮教落实 rule, who served when, overdue."""

import datetime as dt

import pytest

from desktop.errors import ValidationFailed
from desktop.models import AftercareCase
from desktop.services import aftercare, aftercare_register
from desktop.services.aftercare import add_years, deadlines

D = dt.date


@pytest.mark.parametrize(
    ("start", "years", "end"),
    [
        (D(2024, 2, 29), 3, D(2027, 2, 28)),
        (D(2024, 2, 29), 4, D(2028, 2, 29)),
        (D(2023, 12, 31), 3, D(2026, 12, 31)),
    ],
)
def test_a_term_from_29_february_ends_on_28_february_in_a_common_year(start, years, end):
    assert add_years(start, years) == end


def test_the_three_deadlines_across_month_ends():
    case = AftercareCase(
        person_id=1,
        basis="社区戒毒",
        start_on=D(2024, 2, 29),
        term_years=3,
        decision_on=D(2024, 1, 31),
        handover_notice_on=D(2024, 3, 31),
    )
    due = {d.kind: d.due for d in deadlines(case)}
    assert due == {"report": D(2024, 2, 15), "group": D(2024, 3, 31), "end_notice": D(2027, 3, 7)}
    report = next(d for d in deadlines(case) if d.kind == "report")
    assert not report.overdue(D(2024, 2, 15)) and report.overdue(D(2024, 2, 16))


@pytest.fixture
def case(aftercare_case):
    return aftercare_case


def test_a_group_is_implemented_with_police_cadre_family_and_one_first_responsible(database, case):
    today = D(2026, 7, 1)
    aftercare.add_member(database, case, role="社区民警", name="王警官", since=D(2026, 6, 1))
    aftercare.add_member(
        database, case, role="村（社区）干部", name="李主任", since=D(2026, 6, 1), first_responsible=True
    )
    st = aftercare.state(database, case, today=today)
    assert not st.implemented and [d.kind for d in st.overdue] == ["group"]  # the notice came on 28 May
    aftercare.add_member(database, case, role="家庭成员/监护人", name="钱母", since=D(2026, 6, 2))
    st = aftercare.state(database, case, today=today)
    assert st.implemented and st.overdue == ()
    assert aftercare_register.aftercare_rate(database, today=today) == (1, 1)


def test_naming_a_new_first_responsible_passes_the_duty_on(database, case):
    a = aftercare.add_member(
        database, case, role="村（社区）干部", name="李主任", since=D(2026, 6, 1), first_responsible=True
    )
    aftercare.add_member(
        database, case, role="社区民警", name="王警官", since=D(2026, 6, 1), first_responsible=True
    )
    members = aftercare.state(database, case, today=D(2026, 7, 1)).members
    assert [m.first_responsible for m in members if m.id == a] == [False]
    assert sum(m.first_responsible for m in members) == 1


def test_replacing_a_member_keeps_who_served_when(database, case):
    old = aftercare.add_member(database, case, role="社区民警", name="王警官", since=D(2026, 6, 1))
    aftercare.replace_member(database, old, name="赵警官", on=D(2026, 9, 1))
    members = aftercare.state(database, case, today=D(2026, 10, 1)).members
    assert [(m.name, m.since, m.until) for m in members] == [
        ("王警官", D(2026, 6, 1), D(2026, 9, 1)),
        ("赵警官", D(2026, 9, 1), None),
    ]
    with pytest.raises(ValidationFailed):
        aftercare.replace_member(database, old, name="孙警官", on=D(2026, 5, 1))


def test_a_case_without_a_talk_in_the_interval_is_flagged(database, case):
    assert aftercare.state(database, case, today=D(2026, 6, 20)).talk_overdue is False
    assert aftercare.state(database, case, today=D(2026, 7, 15)).talk_overdue is True
    aftercare.add_talk(
        database,
        case,
        held_on=D(2026, 7, 10),
        kind="家访",
        by_whom="李主任",
        thinking="稳定",
        income="务工",
        contacts="无异常",
        whereabouts="在家",
        behaviour="正常",
        today=D(2026, 7, 15),
    )
    st = aftercare.state(database, case, today=D(2026, 7, 15))
    assert st.last_talk == D(2026, 7, 10) and not st.talk_overdue
    with pytest.raises(ValidationFailed):
        aftercare.add_talk(
            database, case, held_on=D(2026, 8, 1), kind="谈心", by_whom="李主任", today=D(2026, 7, 15)
        )


def test_a_release_needs_its_handover_notice(database, case):
    with pytest.raises(ValidationFailed) as caught:
        aftercare.open_case(database, 1, basis="出所", start_on=D(2026, 6, 1))
    assert caught.value.problems[0].field == "handover_notice_on"


def test_ending_a_case_takes_it_off_the_open_register_and_keeps_it(database, case):
    aftercare.add_member(database, case, role="社区民警", name="王警官", since=D(2026, 6, 1))
    with pytest.raises(ValidationFailed) as caught:
        aftercare.end_case(
            database,
            case,
            kind="取消",
            on=D(2026, 5, 1),
            paper="",
            notified_on=D(2026, 4, 1),
            today=D(2026, 7, 1),
        )
    assert {p.field for p in caught.value.problems} == {
        "end_kind",
        "end_paper",
        "ended_on",
        "end_notified_on",
    }
    aftercare.end_case(
        database,
        case,
        kind="终止",
        on=D(2026, 6, 30),
        paper="新公（禁）终字〔2026〕3号",
        notified_on=D(2026, 7, 1),
        today=D(2026, 7, 1),
    )
    assert aftercare_register.case_rows(database, today=D(2026, 7, 1)) == []
    assert aftercare_register.aftercare_rate(database, today=D(2026, 7, 1)) == (0, 0)
    assert len(aftercare.state(database, case, today=D(2026, 7, 1)).members) == 1  # its record stays


def test_the_register_puts_the_most_severe_and_the_latest_first(database):
    """Missed deadlines before missing groups before incomplete groups before late talks; within each, the
    longest overdue first. Decided by typed flags, never by the words shown."""
    from desktop.services import aftercare_register, demo
    from tests.conftest import AS_OF

    demo.build(database, "township", seed=2026, as_of=AS_OF)
    rows = aftercare_register.case_rows(database, today=AS_OF)
    flagged = [r for r in rows if r.flags]
    order = list(aftercare_register.CaseFlag)
    keys = [(order.index(r.flags[0]), -r.days_late) for r in flagged]
    assert keys == sorted(keys)
    deadlines = [r for r in rows if r.deadline_overdue]
    assert deadlines and rows[: len(deadlines)] == deadlines  # every overdue deadline is at the top
    assert aftercare_register.overdue_count(database, today=AS_OF) == len(deadlines)
    assert any(r.flags == (aftercare_register.CaseFlag.TALK_OVERDUE,) for r in rows)
    no_group = [r for r in rows if aftercare_register.CaseFlag.NO_GROUP in r.flags]
    assert no_group and all(r.members == "" for r in no_group)  # the roster's 小组未组建 is the tab's too
    assert all(r.warnings == "" for r in rows if not r.flags)


def _serving(database, today, include_ended=False):
    return {
        r.case_id: sorted((m.role, m.name) for m in r.group)
        for r in aftercare_register.case_rows(database, today=today, include_ended=include_ended)
    }


def test_the_register_lists_who_serves_exactly_as_the_case_dialog_does_on_the_boundary_days(database, case):
    """The register reads who serves in SQL (`serving_sql`); the dialog filters every member in Python
    (`current_members`). A replacement on its own day, and a case ending the day after, list the same people."""
    old = aftercare.add_member(database, case, role="社区民警", name="王警官", since=D(2026, 6, 1))
    aftercare.add_member(database, case, role="家庭成员/监护人", name="钱母", since=D(2026, 6, 2))
    aftercare.replace_member(database, old, name="赵警官", on=D(2026, 9, 1))
    for today in (D(2026, 6, 1), D(2026, 6, 2), D(2026, 8, 31), D(2026, 9, 1)):
        dialog = aftercare.current_members(aftercare.state(database, case, today=today).members, today)
        assert _serving(database, today)[case] == sorted((m.role, m.name) for m in dialog), today
    assert _serving(database, D(2026, 8, 31))[case] == [("家庭成员/监护人", "钱母"), ("社区民警", "王警官")]
    assert _serving(database, D(2026, 9, 1))[case] == [("家庭成员/监护人", "钱母"), ("社区民警", "赵警官")]
    # ended on 1 September: the register shows the group of its last day (31 August), whoever came after
    aftercare.end_case(
        database, case, kind="解除", on=D(2026, 9, 1), paper="新公（禁）解字〔2026〕9号",
        notified_on=D(2026, 9, 2), today=D(2026, 9, 2),
    )  # fmt: skip
    assert _serving(database, D(2026, 12, 1), include_ended=True)[case] == [
        ("家庭成员/监护人", "钱母"),
        ("社区民警", "王警官"),
    ]


def test_a_day_in_the_past_is_judged_without_the_talks_that_came_after_it(database, case):
    aftercare.add_talk(
        database, case, held_on=D(2026, 7, 10), kind="家访", by_whom="李主任", today=D(2026, 7, 15)
    )
    (then,) = aftercare_register.case_rows(database, today=D(2026, 7, 5))
    assert then.last_talk is None and aftercare_register.CaseFlag.TALK_OVERDUE in then.flags
    (now,) = aftercare_register.case_rows(database, today=D(2026, 7, 15))
    assert now.last_talk == D(2026, 7, 10) and aftercare_register.CaseFlag.TALK_OVERDUE not in now.flags
