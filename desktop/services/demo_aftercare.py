"""The demo township's 帮教 work: cases for key persons in community rehab or recovery, or awaiting handover,
with groups drawn from the people who really do this (a station's two or three officers and a village's
cadres each serve several cases), talks, jobs, half-year summaries and yearly assessments, and the rosters of
毒情信息员 and 禁毒宣传员. Most of it in order; some groups missing a member, some talks and deadlines overdue,
some summaries not written, as in any office. Deterministic for the generator's seed and reference date."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, text

from desktop.models import (
    AftercareCase,
    AftercareEmployment,
    AftercareMember,
    AftercareReview,
    AftercareTalk,
    RosterEntry,
)
from desktop.models.enums import DrugStatus, Sex
from desktop.services import demo_names as words
from desktop.services.aftercare import add_years
from desktop.services.aftercare_records import GRACE_DAYS, period_bounds

CASE_BASIS = {
    DrugStatus.COMMUNITY_REHAB.value: "社区戒毒",
    DrugStatus.COMMUNITY_RECOVERY.value: "社区康复",
    DrugStatus.AWAITING_HANDOVER.value: "出所",
}
JOBS = (
    ("装卸工", "物流有限公司"),
    ("保洁员", "镇环卫站"),
    ("普工", "电子厂"),
    ("养殖", "自家养殖场"),
    ("厨工", "农家乐"),
    ("保安", "物业公司"),
)
SUMMARIES = {
    "低": "按时接受尿检，结果均为阴性；思想稳定，与家人关系融洽，有稳定收入，未发现与涉毒人员交往。",
    "中": "能接受尿检和谈话，但收入不稳定，偶有外出未及时报告；需加强走访，协调就业。",
    "高": "多次未按时报到，交往对象复杂，家人反映情绪波动；已报告派出所，增加谈话频次。",
}
DEMO = "演示数据（合成，不对应任何真人）"


def _villages_of(s, person_ids: list[int]) -> dict[int, tuple[int, str]]:
    rows = s.execute(
        text(
            "SELECT p.id, v.id, v.name FROM person p JOIN household h ON h.id = p.household_id "
            "JOIN village_group g ON g.id = h.group_id JOIN village v ON v.id = g.village_id"
        )
    ).all()
    wanted = set(person_ids)
    return {pid: (vid, name) for pid, vid, name in rows if pid in wanted}


def build(s, g, files: list[dict], entries: list[dict]) -> None:
    """Generate and insert (inside the caller's transaction) the aftercare records for `files`."""
    rng, today = g.rng, g.as_of
    latest: dict[int, dict] = {}
    for e in entries:
        latest[e["file_id"]] = e  # entries are in date order per file
    person_of = {f["id"]: f["person_id"] for f in files}
    where = _villages_of(s, list(person_of.values()))
    villages = sorted({v for v in where.values()})
    all_villages = s.execute(text("SELECT id, name FROM village ORDER BY sort_order, id")).all()

    def person(sex: Sex | None = None) -> str:
        return g.name(rng.choice(words.SURNAMES), sex or rng.choice((Sex.MALE, Sex.FEMALE)))

    stations = {st: [(person(Sex.MALE), g.phone()) for _ in range(2)] for st in words.DECISION_STATIONS}
    station_of = {
        vid: words.DECISION_STATIONS[i % len(words.DECISION_STATIONS)] for i, (vid, _) in enumerate(villages)
    }
    cadres = {vid: [(person(), g.phone()) for _ in range(2)] for vid, _ in villages}
    social_workers = [(person(Sex.FEMALE), g.phone()) for _ in range(2)]

    cases, members, talks, jobs, reviews = [], [], [], [], []
    for file_id, entry in latest.items():
        basis = CASE_BASIS.get(entry["status"])
        if basis is None:
            continue
        cid = len(cases) + 1
        pid = person_of[file_id]
        vid, village = where.get(pid, villages[0] if villages else (None, ""))
        start = entry["since"]
        released = basis == "出所"
        decision = None if released else start - dt.timedelta(days=rng.randint(3, 20))
        reported = None
        if decision is not None and rng.random() > 0.08:  # a few never reported: overdue
            reported = decision + dt.timedelta(days=rng.randint(1, 14))
        term_end = add_years(start, 3)
        ended = term_end + dt.timedelta(days=7) < today and rng.random() < 0.8
        roll = rng.random()
        roles = (
            ["社区民警", "村（社区）干部", "家庭成员/监护人"]
            if roll < 0.86
            else (["社区民警", "村（社区）干部"] if roll < 0.95 else [])
        )
        formed = start + dt.timedelta(days=rng.randint(0, 3)) if len(roles) == 3 else None
        cases.append(
            {
                "id": cid,
                "person_id": pid,
                "basis": basis,
                "decision_on": decision,
                "reported_on": reported,
                "start_on": start,
                "term_years": 3,
                "facility": "市强制隔离戒毒所" if released else "",
                "handover_notice_on": start if released else None,
                "group_formed_on": formed,
                "ended_on": term_end if ended else None,
                "end_kind": "解除" if ended else "",
                "end_paper": f"新公（禁）解字〔{term_end.year}〕{rng.randint(1, 80)}号" if ended else "",
                "end_notified_on": term_end + dt.timedelta(days=rng.randint(1, 6)) if ended else None,
                # the 帮教协议书 signed within days of the start, for all but every ninth case (no draw of the rng:
                # the demo's people stay as the seed made them)
                "agreement_signed_on": start + dt.timedelta(days=2) if cid % 9 else None,
            }
        )
        station = station_of.get(vid, words.DECISION_STATIONS[0])
        chosen = {
            "社区民警": (*rng.choice(stations[station]), station),
            "村（社区）干部": (*rng.choice(cadres.get(vid) or [(person(), g.phone())]), f"{village}村委会"),
            "家庭成员/监护人": (person(), g.phone(), ""),
        }
        if roles and rng.random() < 0.3:  # 五位一体: a social worker too
            roles.append("专职社工")
            chosen["专职社工"] = (*rng.choice(social_workers), "镇禁毒办")
        for role in roles:
            name, phone, unit = chosen[role]
            row = {
                "case_id": cid,
                "role": role,
                "name": name,
                "unit": unit,
                "phone": phone,
                "first_responsible": role == "村（社区）干部",
                "since": start,
                "until": None,
            }
            if role == "社区民警" and rng.random() < 0.12 and (today - start).days > 200:  # officer moved on
                change = start + dt.timedelta(days=rng.randint(90, (today - start).days - 30))
                others = [o for o in stations[station] if o[0] != name] or stations[station]
                members.append({**row, "until": change})
                new_name, new_phone = rng.choice(others)
                row = {**row, "name": new_name, "phone": new_phone, "since": change}
            members.append(row)
        if not roles:
            continue
        by = chosen["村（社区）干部"][0]
        stop = term_end if ended else today
        last = stop - dt.timedelta(days=rng.choice((3, 6, 9, 12, 15, 18, 21, 24, 27, 40, 75)))
        for n in range(12):
            held = last - dt.timedelta(days=28 * n + (rng.randint(0, 2) if n else 0))
            if held < start:
                break
            talks.append(
                {
                    "case_id": cid,
                    "held_on": held,
                    "kind": rng.choice(("谈心", "家访", "电话")),
                    "by_whom": by if rng.random() < 0.7 else chosen["社区民警"][0],
                    "thinking": rng.choice(("情绪稳定", "情绪稳定", "有些焦虑", "积极向上")),
                    "income": rng.choice(("务工", "务农", "低保", "家人资助")),
                    "contacts": rng.choice(("无异常", "无异常", "与外地朋友联系较多")),
                    "whereabouts": rng.choice(("在家", "在本镇务工", "在县城务工")),
                    "behaviour": rng.choice(("正常", "正常", "遵守协议")),
                    "notes": "",
                }
            )
        if rng.random() < 0.45:
            job, employer = rng.choice(JOBS)
            since = start + dt.timedelta(days=rng.randint(20, 200))
            if since < stop:
                left = since + dt.timedelta(days=rng.randint(60, 400)) if rng.random() < 0.15 else None
                jobs.append(
                    {
                        "case_id": cid,
                        "job": job,
                        "employer": f"{village[:2]}{employer}",
                        "since": since,
                        "until": left if left and left < stop else None,
                        "notes": "",
                    }
                )
        for year in range(start.year, stop.year + 1):
            for half in (1, 2, 0):
                begin, end = period_bounds(year, half)
                if (end - max(begin, start)).days + 1 < GRACE_DAYS or end + dt.timedelta(
                    days=GRACE_DAYS
                ) > stop:
                    continue
                if rng.random() < 0.12:  # not written: the dialog shows it missing
                    continue
                risk = rng.choices(("低", "中", "高"), weights=(6, 3, 1))[0]
                reviews.append(
                    {
                        "case_id": cid,
                        "year": year,
                        "half": half,
                        "written_on": end + dt.timedelta(days=rng.randint(1, 20)),
                        "risk": risk,
                        "text": SUMMARIES[risk],
                        "by_whom": by,
                    }
                )
    roster = []
    for vid, name in all_villages:
        roster.append(_entry("毒情信息员", Sex.MALE, vid, f"{name}治保主任", g, today))
        if rng.random() < 0.6:
            roster.append(_entry("禁毒宣传员", Sex.FEMALE, vid, f"{name}妇联主任", g, today))
    for unit in ("镇中心学校教师", "镇卫生院医生", "镇文化站站长"):
        roster.append(_entry("禁毒宣传员", rng.choice((Sex.MALE, Sex.FEMALE)), None, unit, g, today))
    for table, rows in (
        (AftercareCase, cases),
        (AftercareMember, members),
        (AftercareTalk, talks),
        (AftercareEmployment, jobs),
        (AftercareReview, reviews),
        (RosterEntry, roster),
    ):
        if rows:
            s.execute(insert(table).execution_options(audit_summary=DEMO), rows)


def _entry(kind: str, sex: Sex, village_id, unit: str, g, today: dt.date) -> dict:
    rng = g.rng
    since = today - dt.timedelta(days=rng.randint(60, 1500))
    until = since + dt.timedelta(days=rng.randint(30, 400)) if rng.random() < 0.1 else None
    return {
        "kind": kind,
        "name": g.name(rng.choice(words.SURNAMES), sex),
        "sex": sex.value,
        "village_id": village_id,
        "unit": unit,
        "phone": g.phone(),
        "since": since,
        "until": until if until and until < today else None,
        "notes": "",
    }
