"""The `township` demo's 考核 records, for this year and the last (so the year-on-year figures compare): the
education activities of a year (6·26, the school-start lesson, films, posters, village meetings — most
villages reached, one or two not), awareness surveys by group, meetings of the 党政研究排查毒情 system, a 重大毒情
report, 禁种铲毒 inspections, 人户分离 delegations both ways, and a few 脱毒认定. Its own random draws, so the
demo's people and files stay as the seed made them."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import insert

from desktop.models import (
    AwarenessSurvey,
    Delegation,
    DetoxDecision,
    DrugMeeting,
    EducationActivity,
    MajorReport,
    PlantCheck,
)
from desktop.models.enums import ActivityKind, Audience, DelegationDirection

DEMO = "演示数据（合成，不对应任何真人）"
SURVEYED = {  # group → share who knew, roughly (some below the plan's targets, to show what fails)
    Audience.TOWN: 0.97,
    Audience.VILLAGE: 0.84,
    Audience.MIGRANT: 0.76,
    Audience.VENUE: 0.99,
    Audience.SCHOOL: 1.0,
}


def _day(rng: random.Random, year: int, as_of: dt.date, month: int | None = None) -> dt.date:
    last = as_of if year == as_of.year else dt.date(year, 12, 31)
    month = month or rng.randint(1, last.month)
    day = dt.date(year, month, rng.randint(1, 28))
    return min(day, last)


def build(s, rng: random.Random, as_of: dt.date, villages: list[tuple[int, str]], files: list[dict]) -> None:
    acts, surveys, meetings, plants = [], [], [], []
    for year in (as_of.year - 1, as_of.year):
        reached = villages[:-2] if year == as_of.year else villages  # this year two villages still lack one
        for vid, name in reached:
            acts.append({"held_on": _day(rng, year, as_of), "kind": ActivityKind.VILLAGE_MEETING.value,
                         "place": f"{name}村部", "village_id": vid, "audience": Audience.VILLAGE.value,
                         "head_count": rng.randint(40, 160), "notes": ""})  # fmt: skip
        if year < as_of.year or as_of.month >= 6:
            acts.append({"held_on": dt.date(year, 6, 26), "kind": ActivityKind.DAY_626.value, "place": "乡镇集市",
                         "village_id": None, "audience": Audience.TOWN.value, "head_count": rng.randint(300, 800),
                         "notes": "发放宣传资料，展出禁毒展板"})  # fmt: skip
        if year < as_of.year or as_of.month >= 9:
            acts.append({"held_on": dt.date(year, 9, 1), "kind": ActivityKind.SCHOOL_LESSON.value,
                         "place": "中心小学", "village_id": villages[0][0], "audience": Audience.SCHOOL.value,
                         "head_count": rng.randint(300, 600), "notes": "禁毒第一课，观看禁毒影片"})  # fmt: skip
        acts.append({"held_on": _day(rng, year, as_of), "kind": ActivityKind.POSTERS.value, "place": "辖区娱乐场所",
                     "village_id": None, "audience": Audience.VENUE.value, "head_count": rng.randint(20, 60),
                     "notes": "场所张贴禁毒宣传画，业主和从业人员签到"})  # fmt: skip
        acts.append({"held_on": _day(rng, year, as_of, 2), "kind": ActivityKind.FILM.value, "place": "乡镇文化站",
                     "village_id": None, "audience": Audience.MIGRANT.value, "head_count": rng.randint(50, 150),
                     "notes": "春节返乡务工人员禁毒影片放映"})  # fmt: skip
        for audience, share in SURVEYED.items():
            asked = rng.randint(60, 200)
            surveys.append({"held_on": _day(rng, year, as_of), "audience": audience.value, "village_id": None,
                            "sample_size": asked, "aware": min(asked, round(asked * (share + rng.uniform(-0.03, 0.02)))),
                            "notes": "问卷调查"})  # fmt: skip
        for quarter in range(4):
            month = 3 * quarter + 1
            if dt.date(year, month, 1) <= as_of:
                meetings.append({"held_on": _day(rng, year, as_of, month), "chaired_by": "乡镇党委副书记",
                                 "attendees": "分管领导、派出所所长、综治办主任、各村（社区）支部书记",
                                 "decisions": "研究本季度毒情形势，部署排查和帮教工作"})  # fmt: skip
        for vid, name in villages[:: max(1, len(villages) // 5)]:
            if dt.date(year, 4, 1) <= as_of:
                found = rng.random() < 0.15
                plants.append({"checked_on": _day(rng, year, as_of, 4), "village_id": vid, "area": f"{name}山地、房前屋后",
                               "findings": "发现零星种植罂粟，已当场铲除" if found else "未发现非法种植",
                               "plants_destroyed": rng.randint(3, 30) if found else 0})  # fmt: skip
    s.execute(insert(EducationActivity).execution_options(audit_summary=DEMO), acts)
    s.execute(insert(AwarenessSurvey).execution_options(audit_summary=DEMO), surveys)
    s.execute(insert(DrugMeeting).execution_options(audit_summary=DEMO), meetings)
    s.execute(insert(PlantCheck).execution_options(audit_summary=DEMO), plants)
    found = as_of - dt.timedelta(days=90)
    s.execute(insert(MajorReport).execution_options(audit_summary=DEMO), [
        {"found_on": found, "what": "群众举报某出租屋内疑似多人聚集吸毒", "village_id": villages[1][0],
         "reported_to": "县禁毒办、派出所", "reported_on": found + dt.timedelta(days=1)}])  # fmt: skip
    s.execute(insert(Delegation).execution_options(audit_summary=DEMO), [
        {"direction": DelegationDirection.OUT.value, "person_name": "演示甲", "id_number": "430522199001011234",
         "person_id": None, "other_township": "长沙市岳麓区望月湖街道", "letter": f"委托函〔{as_of.year}〕1号",
         "from_on": as_of - dt.timedelta(days=200), "until_on": None},
        {"direction": DelegationDirection.IN.value, "person_name": "演示乙", "id_number": "430521198805052345",
         "person_id": None, "other_township": "邵阳县塘渡口镇", "letter": f"邵县禁毒委函〔{as_of.year}〕7号",
         "from_on": as_of - dt.timedelta(days=120), "until_on": None}])  # fmt: skip
    users = [f for f in files if f["category"] in ("吸毒", "复吸")]
    detox = []
    for f in rng.sample(users, min(len(users), 6)):
        decided = max(
            f["first_found_on"] + dt.timedelta(days=3 * 365), as_of - dt.timedelta(days=rng.randint(10, 600))
        )
        if decided <= as_of:
            detox.append({"file_id": f["id"], "decided_on": decided, "basis": "社区康复期满，期间尿检均为阴性",
                          "decided_by": "县公安局禁毒大队", "notes": "", "created_at": dt.datetime.now().replace(microsecond=0)})  # fmt: skip
    if detox:
        s.execute(insert(DetoxDecision).execution_options(audit_summary=DEMO), detox)
