"""尿检通知 (issue 11): the schedule each default rule gives over a term, a rule change that leaves issued
notices alone, the steps in order and never in the future, the relapse warning and its proposed status entry,
three evasions, 尿检率 on a hand-computed fixture, the scan of a receipt, and what a 查看 account may not do."""

import datetime as dt
from collections import Counter

import pytest

from desktop import messages
from desktop.errors import PermissionDenied, ValidationFailed
from desktop.models.idnumber import check_character
from desktop.services import aftercare, key_persons, people, township, urine, urine_register, urine_rules
from desktop.services.urine_rules import DEFAULT_RULES, schedule

D = dt.date
TODAY = D(2026, 11, 29)


@pytest.mark.parametrize(
    ("basis", "start", "counts", "first", "last"),
    [
        ("社区戒毒", D(2026, 1, 15), {1: 12, 2: 6, 3: 4}, D(2026, 2, 1), D(2028, 11, 1)),
        ("社区戒毒", D(2024, 2, 29), {1: 12, 2: 6, 3: 4}, D(2024, 3, 1), D(2026, 12, 1)),  # 29 Feb
        (
            "社区戒毒",
            D(2025, 12, 31),
            {1: 12, 2: 6, 3: 4},
            D(2026, 1, 1),
            D(2028, 10, 1),
        ),  # a year's last day
        ("社区戒毒", D(2026, 3, 1), {1: 11, 2: 6, 3: 4}, D(2026, 4, 1), D(2028, 12, 1)),  # reports on the 1st
        ("社区康复", D(2026, 1, 15), {1: 6, 2: 4, 3: 2}, D(2026, 2, 1), D(2028, 8, 1)),
        ("社区康复", D(2024, 2, 29), {1: 6, 2: 4, 3: 2}, D(2024, 3, 1), D(2026, 9, 1)),
        ("社区康复", D(2026, 1, 31), {1: 6, 2: 4, 3: 2}, D(2026, 2, 1), D(2028, 8, 1)),  # a month's end
    ],
)
def test_each_default_rule_over_a_three_year_term(basis, start, counts, first, last):
    slots = schedule(basis, start, aftercare.add_years(start, 3), DEFAULT_RULES)
    assert dict(Counter(s.year_of_term for s in slots)) == counts
    assert (slots[0].due_on, slots[-1].due_on) == (first, last)
    assert all(s.due_on.day == 1 and s.window_from == s.due_on for s in slots)
    assert all(
        s.window_to.month == s.due_on.month and (s.window_to + dt.timedelta(days=1)).day == 1 for s in slots
    )
    assert schedule("出所", start, aftercare.add_years(start, 3), DEFAULT_RULES) == []


def test_the_schedule_stops_when_the_person_goes_into_compulsory_rehab():
    slots = schedule("社区戒毒", D(2026, 1, 15), D(2029, 1, 15), DEFAULT_RULES, stop_on=D(2026, 6, 10))
    assert [s.due_on for s in slots] == [D(2026, m, 1) for m in (2, 3, 4, 5, 6)]


@pytest.fixture
def case(database, township_draft):
    """钱某 in 东山村, 社区戒毒 from 15 January 2026, reported the same day."""
    township.initialize(database, township_draft)
    first17 = "43052219880304561"
    pid = people.add_resident(
        database,
        people.ResidentDraft("东山村", "一组", "0001", "", "钱某", first17 + check_character(first17)),
    )
    key_persons.open_file(database, pid, category="吸毒", first_found_on=D(2026, 1, 15), status="社区戒毒",
                          today=TODAY)  # fmt: skip
    return aftercare.open_case(
        database, pid, basis="社区戒毒", start_on=D(2026, 1, 15), reported_on=D(2026, 1, 15), today=TODAY
    )


def issue(database, case, day: D, today=TODAY) -> int:
    return urine.issue_many(database, [(case, day)], today=today)[0]


def test_due_lists_the_tests_without_a_notice_and_numbers_notices_per_year(database, case):
    due = urine_register.due(database, until=D(2026, 12, 31), today=TODAY)
    # November's window is still open on 29 November; February–October's have closed: they are 逾期未检
    assert [d.due_on for d in due] == [D(2026, 11, 1), D(2026, 12, 1)]
    late = urine_register.missed(database, today=TODAY)
    assert [(d.due_on, d.overdue) for d in late] == [(D(2026, m, 1), True) for m in range(2, 11)]
    assert due[0].id_masked.endswith("*" * 8 + due[0].id_masked[-2:]) and due[0].village == "东山村"
    ids = urine.issue_many(database, [(case, D(2026, 11, 1)), (case, D(2026, 12, 1))], today=TODAY)
    rows = {r.notice_id: r for r in urine_register.notice_rows(database, today=TODAY)}
    assert [rows[i].number for i in ids] == ["2026-尿-0001", "2026-尿-0002"]
    assert D(2026, 11, 1) not in {
        d.due_on for d in urine_register.due(database, until=D(2026, 12, 31), today=TODAY)
    }
    with pytest.raises(ValidationFailed) as twice:
        issue(database, case, D(2026, 11, 1))
    assert twice.value.problems[0].reason == "notice_exists"
    with pytest.raises(ValidationFailed) as off:
        issue(database, case, D(2026, 11, 15))
    assert off.value.problems[0].reason == "not_scheduled"
    assert urine.parse_number("N2026-0042") == urine.parse_number("2026-尿-0042") == (2026, 42)
    assert urine.parse_number("2026-尿-") is None


def test_in_january_last_decembers_missed_test_is_still_listed_overdue(database, case):
    january = D(2027, 1, 5)
    assert [d.due_on for d in urine_register.due(database, until=D(2027, 1, 31), today=january)] == [
        D(2027, 1, 1)
    ]
    late = urine_register.missed(database, today=january)
    assert late[-1].due_on == D(2026, 12, 1)
    assert late[0].due_on == D(2026, 2, 1)  # the twelve months before this one: all of this case's year


def test_no_notice_is_issued_for_a_window_already_closed(database, case):
    """On 4 December a notice for November's test would tell the person to test between 1 and 30 November:
    refused in words, and nothing is written."""
    with pytest.raises(ValidationFailed) as closed:
        urine.issue_many(database, [(case, D(2026, 11, 1))], today=D(2026, 12, 4))
    assert closed.value.problems[0].reason == "window_closed"
    assert "不能再开具通知书" in messages.describe(closed.value) and "2026-11-30" in messages.describe(
        closed.value
    )
    assert urine_register.notice_rows(database, today=D(2026, 12, 4)) == []


def test_a_missed_test_is_recorded_with_what_was_done_and_stays_a_test_not_done(database, case):
    """逾期未检: the tests of February–October had no notice. Each is recorded with what was done (已告诫; 未通知到
    needs why), once, only once its window has closed; recorded or not it counts as not done in 尿检率."""
    before = urine_register.rate(database, D(2026, 1, 1), D(2026, 12, 31), today=TODAY)
    urine.record_missed(database, case, D(2026, 2, 1), action="已告诫", today=TODAY)
    with pytest.raises(ValidationFailed) as why:
        urine.record_missed(database, case, D(2026, 3, 1), action="未通知到", reason=" ", today=TODAY)
    assert messages.describe(why.value) == "未检原因不能为空"
    urine.record_missed(
        database, case, D(2026, 3, 1), action="未通知到", reason="电话停机，家中无人", today=TODAY
    )
    for day, reason in ((D(2026, 2, 1), "missed_exists"), (D(2026, 11, 1), "window_open"),
                        (D(2026, 2, 15), "not_scheduled")):  # fmt: skip
        with pytest.raises(ValidationFailed) as refused:
            urine.record_missed(database, case, day, action="已告诫", today=TODAY)
        assert refused.value.problems[0].reason == reason
    with pytest.raises(ValidationFailed):
        urine.record_missed(database, case, D(2026, 4, 1), action="不管了", today=TODAY)
    late = urine_register.missed(database, today=TODAY)
    assert [(d.due_on.month, d.missed_action) for d in late][-2:] == [(2, "已告诫"), (3, "未通知到")]
    assert late[0].missed_action == ""  # the ones still to record come first
    assert (
        urine_register.rate(database, D(2026, 1, 1), D(2026, 12, 31), today=TODAY)
        == before
        == (urine_register.Rate(0, 9))
    )
    tests = urine_register.counted_tests(database, D(2026, 2, 1), D(2026, 3, 31), today=TODAY)
    assert [t.outcome for t in tests] == ["逾期未检（已告诫）", "逾期未检（未通知到）"]
    with pytest.raises(ValidationFailed) as closed:  # and never a notice afterwards
        urine.issue_many(database, [(case, D(2026, 2, 1))], today=TODAY)
    assert closed.value.problems[0].reason == "window_closed"


def test_a_rule_change_reschedules_what_is_not_issued_and_leaves_issued_notices_alone(database, case):
    issued = issue(database, case, D(2026, 11, 1))
    urine_rules.set_rules(database, {"社区戒毒": (3, 3, 3), "社区康复": (2, 3, 6)})
    due = [d.due_on for d in urine_register.due(database, until=D(2027, 6, 30), today=TODAY)]
    late = [d.due_on for d in urine_register.missed(database, today=TODAY)]
    assert (late, due) == ([D(2026, 2, 1), D(2026, 5, 1), D(2026, 8, 1)], [D(2027, 2, 1), D(2027, 5, 1)])
    row = next(r for r in urine_register.notice_rows(database, today=TODAY) if r.notice_id == issued)
    assert (row.window_from, row.window_to) == (D(2026, 11, 1), D(2026, 11, 30))
    with pytest.raises(ValidationFailed):
        urine_rules.set_rules(database, {"社区戒毒": (0, 13), "社区康复": ()})


def test_the_steps_go_in_order_never_backwards_and_never_in_the_future(database, case):
    n = issue(database, case, D(2026, 11, 1), today=D(2026, 11, 2))
    with pytest.raises(ValidationFailed) as skipped:  # no result before delivery
        urine.record_result(database, n, on=D(2026, 11, 5), result="阴性", tester="赵警官", today=TODAY)
    assert skipped.value.problems[0].reason == "notice_state"
    for on, reason in ((D(2026, 12, 1), "date_in_future"), (D(2026, 11, 1), "before_date")):
        with pytest.raises(ValidationFailed) as bad:
            urine.deliver(database, n, on=on, how="当面", by="李主任", today=TODAY)
        assert bad.value.problems[0].reason == reason
    urine.deliver(database, n, on=D(2026, 11, 3), how="当面", by="李主任", today=TODAY)
    with pytest.raises(ValidationFailed):
        urine.deliver(database, n, on=D(2026, 11, 4), how="当面", by="李主任", today=TODAY)  # not twice
    with pytest.raises(ValidationFailed) as early:
        urine.record_result(database, n, on=D(2026, 11, 2), result="阴性", tester="赵警官", today=TODAY)
    assert early.value.problems[0].reason == "before_date"
    assert (
        urine.record_result(database, n, on=D(2026, 11, 5), result="阴性", tester="赵警官", today=TODAY)
        is None
    )
    with pytest.raises(ValidationFailed):
        urine.void(database, n, reason="重复", today=TODAY)  # a tested notice is not voided, it is corrected
    with pytest.raises(ValidationFailed) as no_reason:
        urine.correct(database, n, field="tested_on", value=D(2026, 11, 6), reason="", today=TODAY)
    assert no_reason.value.problems[0].field == "correction_reason"
    urine.correct(database, n, field="tested_on", value=D(2026, 11, 6), reason="录入错误", today=TODAY)
    row = next(r for r in urine_register.notice_rows(database, today=TODAY) if r.notice_id == n)
    assert (row.state, row.tested_on, row.result) == ("已检测", D(2026, 11, 6), "阴性")


def test_a_positive_result_proposes_a_status_entry_and_three_evasions_are_a_serious_breach(database, case):
    notices = [issue(database, case, D(2026, m, 1), today=D(2026, m, 1)) for m in (8, 9, 10, 11)]
    for n, (m, result) in zip(notices, ((8, "阳性"), (9, "未到"), (10, "拒检"), (11, "未到")), strict=True):
        urine.deliver(database, n, on=D(2026, m, 2), how="家属代收", by="李主任", today=TODAY)
        proposal = urine.record_result(
            database, n, on=D(2026, m, 20), result=result, tester="赵警官", today=TODAY
        )
        expected = "失联" if result == "未到" else "强制隔离戒毒中"
        assert proposal.status == expected and f"2026-尿-{notices.index(n) + 1:04d}" in proposal.reason
    person = aftercare.case_header(database, case).person_id
    assert key_persons.file_of(database, person).current.status == "社区戒毒"  # proposed, never changed
    warned = urine_register.case_warnings(database, case)
    assert len(warned.warnings) == 4 and len(warned.evasions) == 3 and warned.breach
    rows = [r for r in urine_register.notice_rows(database, today=TODAY) if r.case_id == case]
    assert all(r.warning and r.breach for r in rows)


def test_the_test_rate_counts_tests_done_over_tests_due(database, case):
    """尿检率 by hand. 钱某's monthly tests are due from 1 February. Notices for June–November: June 阴性,
    July 阳性, August 未到, September 拒检, October voided, November still open on 29 November. February–May
    never had a notice. Due by 29 November: February–October (nine windows closed; November's is open) — the
    voided October test is still due. Done: June and July (a result of 阴性 or 阳性) → 2/9. A no-show or a
    refusal raises nothing."""
    n = {m: issue(database, case, D(2026, m, 1), today=D(2026, m, 1)) for m in (6, 7, 8, 9, 10, 11)}
    for m, result in ((6, "阴性"), (7, "阳性"), (8, "未到"), (9, "拒检")):
        urine.deliver(database, n[m], on=D(2026, m, 2), how="当面", by="李主任", today=TODAY)
        urine.record_result(database, n[m], on=D(2026, m, 9), result=result, tester="赵警官", today=TODAY)
    urine.void(database, n[10], reason="本人已住院，另行安排", today=TODAY)
    year = urine_register.rate(database, D(2026, 1, 1), D(2026, 12, 31), today=TODAY)
    assert (year.numerator, year.denominator, year.text()) == (2, 9, "22.2%")
    tests = urine_register.counted_tests(database, D(2026, 1, 1), D(2026, 12, 31), today=TODAY)
    assert [(t.due_on.month, t.outcome, t.done) for t in tests] == [
        (2, "未开具通知书", False), (3, "未开具通知书", False), (4, "未开具通知书", False),
        (5, "未开具通知书", False), (6, "阴性", True), (7, "阳性", True), (8, "未到", False),
        (9, "拒检", False), (10, "未开具通知书", False),
    ]  # fmt: skip
    # August alone: its no-show is a test not done — 0/1, not 1/1
    august = urine_register.rate(database, D(2026, 8, 1), D(2026, 8, 31), today=TODAY)
    assert (august.numerator, august.denominator) == (0, 1)
    # November alone: its window is still open on the 29th — nothing due yet, no rate
    november = urine_register.rate(database, D(2026, 11, 1), D(2026, 11, 30), today=TODAY)
    assert (november.denominator, november.text()) == (0, "—")
    # the next day it closes without a result: 2/10
    assert urine_register.rate(database, D(2026, 1, 1), D(2026, 12, 31), today=D(2026, 12, 1)) == (
        urine_register.Rate(2, 10)
    )
    empty = urine_register.rate(database, D(2025, 1, 1), D(2025, 12, 31), today=TODAY)
    assert (empty.denominator, empty.text(), empty.percent) == (0, "—", None)


def test_a_scanned_receipt_marks_its_notice_delivered_and_a_bad_scan_changes_nothing(database, case):
    n = issue(database, case, D(2026, 11, 1))
    number = next(r.number for r in urine_register.notice_rows(database, today=TODAY) if r.notice_id == n)
    out = urine.scan(database, "N2026-0001", today=TODAY)
    assert (out.kind, out.number, out.name) == ("done", number, "钱某")
    assert urine.scan(database, number, today=TODAY).kind == "already"
    assert urine.scan(database, "N2026-0999", today=TODAY).kind == "unknown"
    assert urine.scan(database, "hello", today=TODAY).kind == "unreadable"
    other = issue(database, case, D(2026, 12, 1))
    urine.void(database, other, reason="开错了", today=TODAY)
    assert urine.scan(database, "N2026-0002", today=TODAY).kind == "void"
    rows = {r.notice_id: r for r in urine_register.notice_rows(database, today=TODAY)}
    assert (rows[n].state, rows[n].delivered_on, rows[other].state) == ("已送达", TODAY, "作废")
    # the scan says the receipt came back, nothing more: how and by whom are left empty when not given
    delivered = urine_register.case_notices(database, case)[0]
    assert (delivered.delivered_how, delivered.delivered_by) == ("", "")


def test_a_scan_records_how_and_by_whom_as_the_clerk_read_them_off_the_receipt(database, case):
    n = issue(database, case, D(2026, 11, 1))
    with pytest.raises(ValidationFailed):
        urine.scan(database, "N2026-0001", how="快递", today=TODAY)
    assert urine_register.case_notices(database, case)[0].state == "已开具"  # the refusal wrote nothing
    urine.scan(database, "N2026-0001", how="家属代收", by=" 李主任 ", today=TODAY)
    got = next(x for x in urine_register.case_notices(database, case) if x.id == n)
    assert (got.state, got.delivered_how, got.delivered_by) == ("已送达", "家属代收", "李主任")


def test_a_viewer_can_neither_issue_nor_record(database, case):
    from desktop.models.enums import Role
    from desktop.services.auth import Actor

    n = issue(database, case, D(2026, 11, 1))
    database.actor = Actor("viewer", "查看员", Role.VIEWER)
    for act in (
        lambda: urine.issue_many(database, [(case, D(2026, 12, 1))], today=TODAY),
        lambda: urine.deliver(database, n, on=TODAY, how="当面", by="李主任", today=TODAY),
        lambda: urine.scan(database, "N2026-0001", today=TODAY),
        lambda: urine.scan(database, "N2026-0001", how="当面", by="李主任", today=TODAY),
        lambda: urine.record_missed(database, case, D(2026, 2, 1), action="已告诫", today=TODAY),
        lambda: urine_rules.set_rules(database, DEFAULT_RULES),
    ):
        with pytest.raises(PermissionDenied):
            act()
    assert urine_register.due(database, until=D(2026, 12, 31), today=TODAY)  # reading is allowed


def test_a_test_days_list_is_recorded_whole_or_not_at_all(database, case):
    from desktop import messages

    a, b = (issue(database, case, D(2026, m, 1), today=D(2026, m, 1)) for m in (10, 11))
    urine.deliver(database, a, on=D(2026, 10, 2), how="当面", by="李主任", today=TODAY)
    with pytest.raises(ValidationFailed) as refused:  # b was never delivered: the whole list is refused
        urine.record_results(
            database, {a: "阴性", b: "阴性"}, on=D(2026, 11, 20), tester="赵警官", today=TODAY
        )
    assert "2026-尿-0002：" in messages.describe(refused.value)
    assert [r.state for r in urine_register.notice_rows(database, today=TODAY)].count("已检测") == 0
    urine.deliver(database, b, on=D(2026, 11, 2), how="当面", by="李主任", today=TODAY)
    proposals = urine.record_results(
        database, {a: "阴性", b: "阳性"}, on=D(2026, 11, 20), tester="赵警官", today=TODAY
    )
    assert [(c, p.status) for c, p in proposals] == [(case, "强制隔离戒毒中")]
    assert urine_register.rate(database, D(2026, 10, 1), D(2026, 11, 30)) == urine_register.Rate(2, 2)
