"""考核 figures on a small fixture computed by hand: two villages, five key persons, two aftercare cases, a year
of records; an empty period, a person who moves village mid-year, cases that begin and end on a period's
boundary days, a changed target; the drill-down lists exactly what each figure counted."""

import datetime as dt

import pytest

from desktop.errors import ValidationFailed
from desktop.models.idnumber import check_character
from desktop.services import (
    aftercare,
    aftercare_register,
    assessment,
    assessment_drill,
    assessment_records,
    assessment_targets,
    people,
    residents,
    township,
)
from desktop.services.assessment import parse_period

D = dt.date
TODAY = D(2026, 11, 29)


def _number(serial: int, born: str = "19880304") -> str:
    first17 = f"430522{born}{serial:03d}"
    return first17 + check_character(first17)


def _person(database, village: str, group: str, house: str, name: str, serial: int) -> int:
    return people.add_resident(
        database, people.ResidentDraft(village, group, house, "", name, _number(serial))
    )


def _file(database, pid, category, found, status, *, paper=True):
    from desktop.services import key_persons

    extra = dict(decision_kind="责令社区戒毒决定书", decision_number=f"决字〔2026〕{pid}号",
                 decision_date=found, decision_station="镇派出所") if paper else {}  # fmt: skip
    key_persons.open_file(database, pid, category=category, first_found_on=found, status=status,
                          today=TODAY, **extra)  # fmt: skip


@pytest.fixture
def town(database, township_draft):
    """东山村 and 河口社区. Key persons:
    - 甲 (东山村) 吸毒, found 2026-03-10, 社区戒毒, complete file; aftercare case from 2026-01-01, implemented
    - 乙 (东山村) 吸毒, found 2025-05-01, 社区康复, no decision paper; case from 2026-06-30 (Q2's last day),
      group without a family member (not implemented)
    - 丙 (河口社区) 复吸, found 2026-07-01, 强制隔离戒毒中
    - 丁 (东山村) 吸毒, found 2025-02-01, 戒断三年未复吸 since 2026-02-01
    - 戊 (东山村) 贩毒前科, found 2024-01-01, 死亡 2026-04-01 (off the books from then)
    """
    township.initialize(database, township_draft)
    ids = {}
    for name, village, group, serial in (("甲", "东山村", "一组", 1), ("乙", "东山村", "二组", 2),
                                         ("丙", "河口社区", "一组", 3), ("丁", "东山村", "一组", 4),
                                         ("戊", "东山村", "二组", 5)):  # fmt: skip
        ids[name] = _person(database, village, group, f"000{serial}", name, serial)
    _file(database, ids["甲"], "吸毒", D(2026, 3, 10), "社区戒毒")
    _file(database, ids["乙"], "吸毒", D(2025, 5, 1), "社区康复", paper=False)
    _file(database, ids["丙"], "复吸", D(2026, 7, 1), "强制隔离戒毒中")
    _file(database, ids["丁"], "吸毒", D(2025, 2, 1), "社区戒毒")
    _file(database, ids["戊"], "贩毒前科", D(2024, 1, 1), "社区康复")
    from desktop.services import key_persons

    key_persons.add_status(database, ids["丁"], "戒断三年未复吸", D(2026, 2, 1), today=TODAY)
    key_persons.add_status(database, ids["戊"], "死亡", D(2026, 4, 1), "病故", today=TODAY)
    a = aftercare.open_case(database, ids["甲"], basis="社区戒毒", start_on=D(2026, 1, 1), today=TODAY)
    for role, who, first in (("社区民警", "王警官", False), ("村（社区）干部", "李主任", True),
                             ("家庭成员/监护人", "甲母", False)):  # fmt: skip
        aftercare.add_member(database, a, role=role, name=who, since=D(2026, 1, 2), first_responsible=first)
    aftercare.add_talk(database, a, held_on=D(2026, 11, 20), kind="谈心", by_whom="李主任", today=TODAY)
    b = aftercare.open_case(database, ids["乙"], basis="社区康复", start_on=D(2026, 6, 30), today=TODAY)
    aftercare.add_member(
        database, b, role="社区民警", name="赵警官", since=D(2026, 7, 1), first_responsible=True
    )
    return ids


def _figures(database, code="", year=2026, today=TODAY):
    return assessment.assess(database, parse_period(year, code), today=today)


def test_the_figures_of_the_year_as_computed_by_hand(database, town):
    a = _figures(database)
    f = {x.key: x for x in a.figures}
    assert a.day == TODAY  # a year not yet over is read today
    assert (f["new_users"].count, f["new_users"].compared) == (1, 2)  # 甲 (2026) against 乙 and 丁 (2025)
    assert f["new_users"].passed is True  # one is at least 20% fewer than two
    assert (f["aftercare_rate"].rate.numerator, f["aftercare_rate"].rate.denominator) == (1, 2)
    assert f["aftercare_rate"].value_text == "50.0%" and f["aftercare_rate"].passed is False
    # 在册吸毒人员 today: 甲 乙 丙 丁 (戊 is dead, and a trafficking record anyway)
    assert f["township_class"].count == 4 and f["township_class"].value_text.startswith("创无毒")
    assert (f["abstinence_rate"].rate.numerator, f["abstinence_rate"].rate.denominator) == (1, 4)  # 丁
    # 底数清: the key persons on the books (甲 乙 丙 丁), 乙 without a decision paper
    assert (f["files_complete"].rate.numerator, f["files_complete"].rate.denominator) == (3, 4)
    assert f["relapsed"].count == 1  # 丙's 复吸 file found in 2026
    # no notice was issued, yet tests were due: 甲's monthly tests of February–October and 乙's of July and
    # September (every two months from 1 July) had windows that closed by 29 November — 0 of 11 done
    assert (f["urine_rate"].rate.numerator, f["urine_rate"].rate.denominator) == (0, 11)
    assert f["urine_rate"].passed is False
    # 复吸率: of 甲 and 乙 (the persons with a case this year) nobody relapsed (丙's 复吸 file has no case)
    assert (f["relapse_rate"].rate.numerator, f["relapse_rate"].rate.denominator) == (0, 2)
    # no campaign, no activity, no agreement yet: 0 of 2 villages, 0 of 4 key groups; five households (户号
    # 0001–0005, one person each), of which 戊's no longer counts (nobody registered lives there since he died)
    assert (f["campaign_coverage"].rate.numerator, f["campaign_coverage"].rate.denominator) == (0, 2)
    assert f["campaign_coverage"].passed is False and f["campaign_coverage"].points == 5
    assert (f["key_groups_coverage"].rate.numerator, f["key_groups_coverage"].rate.denominator) == (0, 4)
    village = f["agreement:禁毒工作目标责任书"].rate
    assert (village.numerator, village.denominator) == (0, 2)
    households = f["agreement:家庭禁毒承诺书"]
    assert households.rate.denominator == 4 and households.points == 4  # 戊 died: 0005 has no one left
    assert a.score == 100 - sum(x.points for x in a.figures)


def test_an_empty_period_shows_dashes_and_takes_no_points(database, town):
    a = _figures(database, year=2019, today=TODAY)
    rates = [f for f in a.figures if f.rate is not None and f.key != "township_class"]
    empty = [f for f in rates if f.rate.denominator == 0]
    assert empty and all(f.value_text == "—" and f.passed is None and f.points == 0 for f in empty)


def test_standing_figures_of_a_past_quarter_are_read_on_its_last_day(database, town):
    """乙's case begins on 30 June, Q2's last day: open that day (counted, not implemented); 丁's status of
    February counts in Q1; 戊 died on 1 April: on the books at the end of Q1, not of Q2."""
    q1, q2 = _figures(database, "Q1"), _figures(database, "Q2")
    assert q2.day == D(2026, 6, 30)
    assert (q1.figure("aftercare_rate").rate.numerator, q1.figure("aftercare_rate").rate.denominator) == (
        1,
        1,
    )
    assert (q2.figure("aftercare_rate").rate.numerator, q2.figure("aftercare_rate").rate.denominator) == (
        1,
        2,
    )
    # on the books: Q1 甲 乙 丁 戊 (丙 found in July), Q2 甲 乙 丁
    assert q1.figure("files_complete").rate.denominator == 4
    assert q2.figure("files_complete").rate.denominator == 3


def test_a_case_ended_on_the_day_after_the_period_still_counts_in_it(database, town):
    cases = {r.name: r.case_id for r in aftercare_register.case_rows(database, today=TODAY)}
    aftercare.end_case(database, cases["甲"], kind="解除", on=D(2026, 10, 1), paper="解字〔2026〕1号",
                       notified_on=D(2026, 10, 2), today=TODAY)  # fmt: skip
    q3, q4 = _figures(database, "Q3"), _figures(database, "Q4")
    assert q3.figure("aftercare_rate").rate.denominator == 2  # open on 30 September
    assert q4.figure("aftercare_rate").rate.denominator == 1  # ended on 1 October


def test_a_person_moving_village_mid_year_is_counted_once_where_they_live_now(database, town):
    from desktop.services import assessment_report

    before = _figures(database)
    people.update_resident(database, town["甲"], people.ResidentDraft(
        "河口社区", "一组", "0009", "", "甲", _number(1)))  # fmt: skip
    a = _figures(database)
    assert a.figure("township_class").count == before.figure("township_class").count == 4
    lines = {v.village: v for v in assessment_report.villages(database, a)}
    assert lines["东山村"].users == 2 and lines["河口社区"].users == 2  # 乙 丁 | 甲 丙
    assert lines["河口社区"].new_users == 1 and lines["东山村"].new_users == 0  # 甲, now in 河口社区
    assert sum(v.users for v in lines.values()) == 4


def test_a_changed_target_changes_the_verdict_and_is_kept_per_year(database, town):
    assert _figures(database).figure("aftercare_rate").passed is False
    assessment_targets.set_plan(database, 2026, targets={"aftercare_rate": 50})
    f = _figures(database).figure("aftercare_rate")
    assert f.passed is True and f.target_text == "≥50%" and f.points == 0
    assert assessment_targets.plan(database, 2025).target("aftercare_rate") == 95  # another year: the default
    assessment_targets.set_plan(database, 2026, targets={"aftercare_rate": 95})  # back to the default
    assert assessment_targets.plan(database, 2026).changed == frozenset()
    with pytest.raises(ValidationFailed) as caught:
        assessment_targets.set_plan(
            database, 2026, targets={"urine_rate": 180, "nonsense": 1}, baseline_year=2027
        )
    assert {p.reason for p in caught.value.problems} == {"target_range", "unknown_target", "baseline_year"}
    assert assessment_targets.plan(database, 2026).target("urine_rate") == 80  # nothing was written


def test_the_baseline_year_is_the_plans(database, town):
    assessment_targets.set_plan(database, 2026, baseline_year=2024)
    f = _figures(database).figure("new_users")
    assert f.compared == 0 and f.passed is False  # none in 2024, one in 2026


def test_education_and_awareness_from_the_records(database, town):
    villages = {name: vid for vid, name in residents.villages(database)}
    assessment_records.add(database, "activity", {"held_on": D(2026, 6, 26), "kind": "6·26国际禁毒日宣传",
                           "place": "村部", "village_id": villages["东山村"], "audience": "中小学生",
                           "head_count": 120}, today=TODAY)  # fmt: skip
    for aware, asked in ((70, 80), (9, 20)):
        assessment_records.add(database, "survey", {"held_on": D(2026, 5, 1), "audience": "农村村民",
                               "sample_size": asked, "aware": aware}, today=TODAY)  # fmt: skip
    a = _figures(database)
    assert (
        a.figure("education_coverage").rate.numerator,
        a.figure("education_coverage").rate.denominator,
    ) == (1, 2)
    assert a.figure("key_groups_coverage").rate.numerator == 1
    village = a.figure("awareness:农村村民")
    assert (village.rate.numerator, village.rate.denominator) == (
        79,
        100,
    ) and village.passed is False  # < 80%
    assert a.figure("awareness:中小学生").value_text == "—"


@pytest.mark.parametrize("key", ["new_users", "aftercare_rate", "files_complete", "abstinence_rate",
                                 "relapse_rate", "campaign_coverage", "education_coverage"])  # fmt: skip
def test_the_drill_down_lists_exactly_what_the_figure_counted(database, town, key):
    a = _figures(database)
    f, d = a.figure(key), assessment_drill.drill(database, a, key)
    if f.rate is not None:
        assert (d.numerator, len(d.rows)) == (f.rate.numerator, f.rate.denominator)
    else:
        assert len(d.rows) == f.count
    if key == "aftercare_rate":
        missing = [row for row, counted in zip(d.rows, d.counted, strict=True) if not counted]
        assert [r[0] for r in missing] == ["乙"] and "小组" in missing[0][-1]  # and why


def test_periods_are_read_and_refused(database):
    assert parse_period(2026, "Q3").start == D(2026, 7, 1) and parse_period(2026, "Q3").end == D(2026, 9, 30)
    assert parse_period(2024, "2").end == D(2024, 2, 29) and parse_period(2026, "M12").end == D(2026, 12, 31)
    for wrong in ("Q5", "13", "本年度", "M0"):
        with pytest.raises(ValidationFailed):
            parse_period(2026, wrong)


def test_records_refuse_what_is_wrong_and_write_nothing(database, town):
    with pytest.raises(ValidationFailed) as caught:
        assessment_records.add(database, "survey", {"held_on": D(2027, 1, 1), "audience": "火星人",
                               "sample_size": 10, "aware": 11}, today=TODAY)  # fmt: skip
    assert {p.reason for p in caught.value.problems} == {"date_in_future", "choice", "more_than_asked"}
    with pytest.raises(ValidationFailed) as caught:
        assessment_records.add(database, "delegation", {"direction": "委托外地管理", "person_name": "某",
                               "id_number": "123", "other_township": "", "letter": "函1号",
                               "from_on": D(2026, 5, 1), "until_on": D(2026, 4, 1)}, today=TODAY)  # fmt: skip
    reasons = {p.reason for p in caught.value.problems}
    assert (
        "required" in reasons and "end_before_start" in reasons and any(r.startswith("id:") for r in reasons)
    )
    assert assessment_records.records(database, "survey") == []
    assert assessment_records.records(database, "delegation") == []


def test_a_sentence_keeps_its_chinese_punctuation_and_a_name_is_folded(database, town):
    """What is printed on the year-end report reads as the office wrote it: （，。：） stay full width; a short
    field still folds a full-width digit or space typed with a Chinese input method."""
    assessment_records.add(database, "meeting", {"held_on": D(2026, 3, 2), "chaired_by": "王书记\u3000",
                           "attendees": "党委委员、各村支书", "decisions": "一、开展排查；二、落实帮教（年内）。"},
                           today=TODAY)  # fmt: skip
    (meeting,) = assessment_records.records(database, "meeting")
    assert meeting.values["decisions"] == "一、开展排查；二、落实帮教（年内）。"
    assert meeting.values["chaired_by"] == "王书记"


def test_a_detox_decision_sets_the_status_with_it_or_not_at_all(database, town):
    from desktop.services import key_persons

    assessment_records.record_detox(database, town["乙"], decided_on=D(2026, 9, 1), basis="期满尿检阴性",
                                    decided_by="县公安局禁毒大队", today=TODAY)  # fmt: skip
    assert key_persons.file_of(database, town["乙"]).current.status == "戒断三年未复吸"
    assert _figures(database).figure("detox").count == 1
    with pytest.raises(ValidationFailed):  # 戊 is dead: nothing follows 死亡, and the decision is not kept
        assessment_records.record_detox(database, town["戊"], decided_on=D(2026, 9, 1), basis="x",
                                        decided_by="y", today=TODAY)  # fmt: skip
    assert _figures(database).figure("detox").count == 1


def test_the_json_and_the_pdf_say_what_the_tab_says(database, town, tmp_path, capsys, monkeypatch):
    """`wudu report --json --pdf` against the figures the tab shows (the same day: today)."""
    import json
    import subprocess

    from desktop import cli
    from tests.conftest import ADMIN, PASSWORD

    assessment_records.add(database, "survey", {"held_on": D(2026, 5, 1), "audience": "农村村民",
                           "sample_size": 50, "aware": 41}, today=TODAY)  # fmt: skip
    shown = assessment.assess(database, parse_period(2026, ""))
    folder = database.path.parent
    database.close()  # the command opens the file itself
    monkeypatch.setenv("WUDU_USER", ADMIN)
    monkeypatch.setenv("WUDU_PASSWORD", PASSWORD)
    pdf = tmp_path / "年度总结.pdf"
    assert cli.main(["--data-dir", str(folder), "report", "--year", "2026", "--json", "--pdf", str(pdf)]) == 0
    out = capsys.readouterr().out
    printed = json.loads(out[: out.rindex("}") + 1])
    assert [(f["name"], f["value"], f["numerator"], f["denominator"], f["verdict"]) for f in printed["figures"]] == [
        (f.name, f.value_text, f.rate.numerator if f.rate else None, f.rate.denominator if f.rate else None,
         f.verdict) for f in shown.figures
    ]  # fmt: skip
    assert printed["score_preview"] == shown.score
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    for f in shown.figures:  # every figure's name, value and verdict is on the paper
        assert "".join(f.value_text.split()) in flat, f.name
    assert "82.0%" in flat and "41/50" in flat  # the survey, as the tab shows it
    assert f"预计得分{shown.score:g}分" in flat and "主要领导签字" in flat
    # the audit head at the time of printing, the entry and its hash as the chain holds them
    import re

    from tests.conftest import raw

    entry, groups = re.search(r"审计日志链头（.+?打印时）：第(\d+)条，((?:[0-9a-f]{4}){8})", flat).groups()
    conn = raw(database)
    try:
        chained = conn.execute("SELECT hash FROM audit_entry WHERE id = ?", (int(entry),)).fetchone()[0]
    finally:
        conn.close()
    assert chained.startswith(groups)


def test_a_case_delegated_to_another_township_is_counted_there(database, town):
    """人户分离: 乙 lives elsewhere from 1 August, managed there on a 委托函: not in our 帮教率 from that day."""
    assessment_records.add(database, "delegation", {"direction": "委托外地管理", "person_name": "乙",
                           "id_number": _number(2), "other_township": "长沙市岳麓区望月湖街道", "letter": "委托函1号",
                           "from_on": D(2026, 8, 1)}, today=TODAY)  # fmt: skip
    assert _figures(database, "Q2").figure("aftercare_rate").rate.denominator == 2  # before the letter
    year = _figures(database).figure("aftercare_rate")
    assert (year.rate.numerator, year.rate.denominator) == (1, 1)
    assert aftercare_register.aftercare_rate(database, today=TODAY) == (1, 1)  # the 帮教 tab's own figure too
    names = [r[0] for r in assessment_drill.drill(database, _figures(database), "aftercare_rate").rows]
    assert names == ["甲"]


def test_on_the_demo_every_drill_down_adds_up_to_its_figure(database):
    """Every figure of the demo township's year against the records its drill-down lists."""
    from desktop.services import demo
    from tests.conftest import AS_OF

    demo.build(database, "township", seed=2026, as_of=AS_OF)
    a = assessment.assess(database, parse_period(AS_OF.year, ""), today=AS_OF)
    for f in a.figures:
        d = assessment_drill.drill(database, a, f.key)
        if f.key.startswith("awareness:"):  # a survey a line: those who knew, over those asked
            assert (sum(int(r[3]) for r in d.rows), sum(int(r[2]) for r in d.rows)) == (
                f.rate.numerator, f.rate.denominator), f.key  # fmt: skip
        elif f.key == "township_class":
            assert len(d.rows) == f.count
        elif f.rate is not None:
            assert (d.numerator, len(d.rows)) == (f.rate.numerator, f.rate.denominator), f.key
        else:
            assert len(d.rows) == f.count, f.key
    assert a.figure("urine_rate").rate.denominator > 100 and a.figure("detox").count > 0
