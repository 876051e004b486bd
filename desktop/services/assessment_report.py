"""The year-end report and `wudu report`: the figures of `assessment.assess` as a PDF (pdf/assessment_docs.py)
or as JSON — the same Figure objects the 考核 tab shows, so the three cannot disagree — with the table by
village, the trends by month and the records the plans ask for."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import text

from desktop import audit
from desktop.db import Database
from desktop.pdf import assessment_docs as docs
from desktop.services import assessment, assessment_people, assessment_records, assessment_trend
from desktop.services.auth import Permission, require

TRENDS = ("urine_rate", "aftercare_rate", "new_users", "relapsed")  # the report's charts, in this order


def as_json(a: assessment.Assessment) -> dict:
    """The figures as `wudu report --json` prints them."""
    return {
        "period": a.period.label,
        "start": a.period.start.isoformat(),
        "end": a.period.end.isoformat(),
        "as_of": a.day.isoformat(),
        "baseline_year": a.plan.baseline_year,
        "score_preview": a.score,
        "figures": [
            {"key": f.key, "name": f.name, "group": f.group, "value": f.value_text,
             "numerator": f.rate.numerator if f.rate else None,
             "denominator": f.rate.denominator if f.rate else None,
             "percent": None if f.rate is None or f.rate.percent is None else round(f.rate.percent, 1),
             "count": f.count, "compared_with": f.compared, "target": f.target_text, "passed": f.passed,
             "verdict": f.verdict, "points_lost": f.points, "definition": f.definition}
            for f in a.figures
        ],
    }  # fmt: skip


def villages(db: Database, a: assessment.Assessment) -> list[docs.VillageLine]:
    """The table by village: each person counted in the village of their household today (a person who moved
    mid-year is counted once, where they live now)."""
    from desktop.services import aftercare_register, agreement_register, urine_register

    books = assessment_people.load(db)
    village_of = {f.person_id: f.village_id for f in books.files}
    users = Counter(f.village_id for f in books.registered_users(a.day))
    new = Counter(f.village_id for f in books.new_users(a.period))
    away = aftercare_register.managed_elsewhere(db, a.day)
    cases = aftercare_register.counted_on(aftercare_register.case_rows(db, today=a.day), a.day, away)
    open_by, done_by = Counter(), Counter()
    for c in cases:
        open_by[village_of.get(c.person_id)] += 1
        done_by[village_of.get(c.person_id)] += c.implemented
    with db.read() as conn:
        person_of = dict(conn.execute(text("SELECT id, person_id FROM aftercare_case")).all())
    due_by, tested_by = Counter(), Counter()
    for t in urine_register.counted_tests(db, a.period.start, a.period.end, today=a.today):
        v = village_of.get(person_of.get(t.case_id))
        due_by[v] += 1
        tested_by[v] += t.done
    acts = Counter(x.village_id for x in assessment_records.activities(db, a.period))
    rows, signed = agreement_register.parties_signed(db, a.period.year, "家庭禁毒承诺书")
    names = books.villages
    by_name = {name: vid for vid, name in names.items()}
    house_due, house_signed = Counter(), Counter()
    for (village, _group, _party), ok in zip(rows, signed, strict=True):
        house_due[by_name.get(village)] += 1
        house_signed[by_name.get(village)] += ok
    return [
        docs.VillageLine(name, users[vid], new[vid], f"{done_by[vid]}/{open_by[vid]}", f"{tested_by[vid]}/{due_by[vid]}",
                         acts[vid], f"{house_signed[vid]}/{house_due[vid]}")
        for vid, name in names.items()
    ]  # fmt: skip


def records(db: Database, period: assessment.Period) -> list[tuple[str, str]]:
    out = []
    acts = assessment_records.activities(db, period)
    out.append(("禁毒宣传教育活动", f"{len(acts)}次，参加{sum(a.head_count for a in acts)}人次"))
    surveys = assessment_records.surveys(db, period)
    out.append(("知晓率调查", f"{len(surveys)}次，调查{sum(s.sample_size for s in surveys)}人"))
    for key, words in (
        ("meeting", "党政研究排查毒情会议"),
        ("major", "重大毒情报告"),
        ("delegation", "人户分离委托管理"),
    ):
        out.append((words, f"{len(assessment_records.records(db, key, period))}次"))
    plants = assessment_records.records(db, "plants", period)
    destroyed = sum(r.values["plants_destroyed"] or 0 for r in plants)
    out.append(("禁种铲毒检查", f"{len(plants)}次，铲除{destroyed}株"))
    return out


def year_report(db: Database, year: int, code: str = "", *, today: dt.date | None = None) -> bytes:
    """年度工作总结统计表 and 自查评分表 for the year (or a quarter or month of it) as PDF bytes."""
    require(db, Permission.PRINT)
    today = today or dt.date.today()
    a = assessment.assess(db, assessment.parse_period(year, code), today=today)
    trend = assessment_trend.by_month(db, year, today=today)
    info = db.township()
    names = {f.key: f.name for f in a.figures}
    trends = tuple(
        docs.Trend(f"{names[k]}（{year}年按月）", tuple(p.month for p in trend.get(k, ())),
                   tuple(p.value for p in trend.get(k, ())), a.figure(k).target if a.figure(k).rate else None)
        for k in TRENDS
    )  # fmt: skip
    report = docs.YearReport(
        info.township_name if info else "",
        info.county_name if info else "",
        a.period.label,
        a.day,
        tuple(
            docs.FigureLine(f.group, f.name, f.value_text, f.fraction, f.target_text, f.verdict, f.points)
            for f in a.figures
        ),  # fmt: skip
        tuple(villages(db, a)),
        trends,
        tuple(records(db, a.period)),
        a.plan.summary,
        a.score,
        None if db.read_only else audit.read_head(audit.head_path_for(db.path)),
        today,
    )
    return docs.build_year_report(report)


COUNTS = (  # (column, SQL giving one date per thing counted); headers of three characters a line, to fit A4
    ("新吸毒\n人员", "SELECT first_found_on FROM drug_file WHERE category = '吸毒'"),
    ("新开\n帮教", "SELECT start_on FROM aftercare_case"),
    ("帮教\n谈话", "SELECT held_on FROM aftercare_talk"),
    ("开具\n通知", "SELECT issued_on FROM urine_notice WHERE state != '作废'"),
    ("完成\n尿检", "SELECT tested_on FROM urine_notice WHERE tested_on IS NOT NULL AND state != '作废'"),
    ("阳性\n拒检\n未到", "SELECT tested_on FROM urine_notice WHERE result IN ('阳性', '拒检', '未到')"),
    ("宣传\n活动", "SELECT held_on FROM education_activity"),
    ("排查\n户数", "SELECT screened_on FROM screening"),
)


def buckets(period: assessment.Period) -> list[tuple[str, dt.date, dt.date]]:
    """The sheet's lines: weeks (Monday to Sunday, cut to the period) for a month or a quarter, months for a year."""
    if period.code == "":
        return [
            (f"{m}月", p.start, p.end)
            for m in range(1, 13)
            for p in [assessment.parse_period(period.year, f"M{m}")]
        ]
    out, start = [], period.start
    while start <= period.end:
        end = min(period.end, start + dt.timedelta(days=6 - start.weekday()))
        out.append((f"{start.month}月{start.day}日—{end.month}月{end.day}日", start, end))
        start = end + dt.timedelta(days=1)
    return out


def counts(db: Database, period: assessment.Period) -> tuple[list[str], list[list[int]]]:
    """一周一统计，一月一通报: how many of each thing happened in each week (month) of the period."""
    require(db, Permission.READ)
    lines = buckets(period)
    table = [[0] * len(COUNTS) for _ in lines]
    with db.read() as conn:
        for j, (_, sql) in enumerate(COUNTS):
            for (value,) in conn.execute(text(sql)):
                day = assessment_people._day(value)
                if day is None or not period.start <= day <= period.end:
                    continue
                i = next(i for i, (_, start, end) in enumerate(lines) if start <= day <= end)
                table[i][j] += 1
    return [label for label, _, _ in lines], table


def counts_sheet(db: Database, year: int, code: str = "", *, today: dt.date | None = None) -> bytes:
    require(db, Permission.PRINT)
    period = assessment.parse_period(year, code)
    as_of = min(period.end, today or dt.date.today())
    labels, table = counts(db, period)
    begun = [start <= as_of for _, start, _ in buckets(period)]  # weeks (months) not yet begun are left off
    lines = tuple(
        (label, tuple(row)) for label, row, shown in zip(labels, table, begun, strict=True) if shown
    )
    info = db.township()
    return docs.build_counts_sheet(
        info.township_name if info else "", period.label, as_of, tuple(c for c, _ in COUNTS), lines
    )
