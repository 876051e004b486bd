"""A realistic synthetic township (or county) for trying the program and for benchmarks.

Deterministic: the same size, seed and reference date give the same data, row for row. ID numbers are
valid (real area code, real birth date, sex digit, check character) but belong to nobody. Written only into a
database with no township, in one transaction: cancelled or failed, nothing is left behind.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import insert, update

from desktop.db import Database
from desktop.errors import Cancelled, DemoNeedsEmptyDatabase
from desktop.models import (
    Campaign,
    CampaignVillage,
    DrugFile,
    DrugStatusEntry,
    Household,
    Person,
    Screening,
    Township,
    Village,
    VillageGroup,
)
from desktop.models.enums import (
    DrugCategory,
    DrugStatus,
    PersonState,
    Relation,
    ResidenceType,
    ScreeningResult,
    Sex,
    VillageKind,
)
from desktop.models.idnumber import check_character
from desktop.models.pinyin import initials
from desktop.services import demo_aftercare, demo_agreements, demo_assessment, demo_urine, township
from desktop.services import demo_names as words
from desktop.services.auth import Permission, require

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DemoSize:
    villages: int
    households: int
    key_persons: int
    townships: int = 1  # the county size spreads its villages over this many townships' worth


SIZES = {
    "small": DemoSize(villages=3, households=300, key_persons=12),
    "township": DemoSize(villages=15, households=12_000, key_persons=150),
    "county": DemoSize(villages=300, households=240_000, key_persons=3_000, townships=20),
}
# Household sizes and their weights: a mean of about 3.33 persons, as in the rural census.
HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6)
HOUSEHOLD_WEIGHTS = (10, 20, 22, 28, 14, 6)
CHUNK = 5_000
# Synthetic rows are audited as one entry per bulk insert, not one per row.
DEMO = "演示数据（合成，不对应任何真人）"


@dataclass(frozen=True)
class DemoSummary:
    villages: int
    groups: int
    households: int
    persons: int
    key_persons: int


class _Generator:
    def __init__(self, seed: int, as_of: dt.date) -> None:
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.used_ids: set[str] = set()

    def id_number(self, birth: dt.date, sex: Sex, local: bool = True) -> str:
        rng = self.rng
        area = words.HOME_AREA if local else rng.choice(words.OTHER_AREAS)
        while True:
            seq = rng.randrange(0, 500) * 2 + (1 if sex is Sex.MALE else 0)
            first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
            if first17 not in self.used_ids:
                self.used_ids.add(first17)
                return first17 + check_character(first17)

    def birth(self, min_age: int, max_age: int) -> dt.date:
        age_days = self.rng.randint(min_age * 365 + 1, max_age * 365 + 300)
        return self.as_of - dt.timedelta(days=age_days)

    def name(self, surname: str, sex: Sex) -> str:
        pool = words.GIVEN_MALE if sex is Sex.MALE else words.GIVEN_FEMALE
        return surname + "".join(self.rng.choice(pool) for _ in range(self.rng.choice((1, 2, 2))))

    def phone(self) -> str:
        return self.rng.choice(words.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"


def _village_names(n: int) -> list[tuple[str, str]]:
    out = []
    for i in range(n):
        stem = words.VILLAGE_STEMS[i % len(words.VILLAGE_STEMS)]
        round_ = i // len(words.VILLAGE_STEMS)
        kind = VillageKind.COMMUNITY if i % 5 == 0 else VillageKind.VILLAGE
        prefix = stem if round_ == 0 else f"{stem}{words.GROUP_NUMERALS[(round_ - 1) % 10]}"
        out.append((prefix + kind.value, kind.value))
    return out


def _status_history(g: _Generator, found: dt.date) -> list[tuple[DrugStatus, dt.date, str]]:
    """A plausible sequence of statuses from `found` to the reference date."""
    rng, today = g.rng, g.as_of
    start = DrugStatus.COMMUNITY_REHAB if rng.random() < 0.7 else DrugStatus.COMMUNITY_RECOVERY
    history = [
        (start, found, "责令社区戒毒决定书" if start is DrugStatus.COMMUNITY_REHAB else "责令社区康复决定书")
    ]
    day = found
    if rng.random() < 0.25:  # relapse → compulsory rehab → released → awaiting handover → recovery
        day = day + dt.timedelta(days=rng.randint(60, 400))
        if day < today:
            history.append((DrugStatus.COMPULSORY_REHAB, day, "社区戒毒期间复吸，决定强制隔离戒毒"))
            release = day + dt.timedelta(days=rng.randint(540, 730))
            if release < today:
                history.append((DrugStatus.AWAITING_HANDOVER, release, "强制隔离戒毒期满出所"))
                handed = release + dt.timedelta(days=rng.randint(1, 20))
                if handed < today:
                    history.append((DrugStatus.COMMUNITY_RECOVERY, handed, "接茬后责令社区康复"))
                day = handed
    roll = rng.random()
    end_day = day + dt.timedelta(days=rng.randint(30, 700))
    if end_day < today:
        if roll < 0.04:
            history.append((DrugStatus.LOST_CONTACT, end_day, "多次联系不上，去向不明"))
        elif roll < 0.06:
            history.append((DrugStatus.MOVED_OUT, end_day, "户籍迁出本乡镇"))
        elif roll < 0.07:
            history.append((DrugStatus.DECEASED, end_day, "病故"))
    three_years = found + dt.timedelta(days=3 * 365 + 1)
    if len(history) == 1 and three_years < today:
        history.append((DrugStatus.ABSTINENT_3Y, three_years, "社区戒毒期满，三年未复吸"))
    return history


def build(
    db: Database,
    size: str = "township",
    *,
    seed: int = 2026,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> DemoSummary:
    require(db, Permission.SETTINGS)
    spec = SIZES[size]
    g = _Generator(seed, as_of or dt.date.today())
    rng = g.rng
    report = progress or (lambda done, total: None)
    is_cancelled = cancelled or (lambda: False)
    if township.is_set_up(db):
        raise DemoNeedsEmptyDatabase()

    households_per_village = spec.households // spec.villages
    with db.session() as s:
        county = "演示县"
        name = "演示镇" if spec.townships == 1 else f"演示县（{spec.townships}个乡镇合并演示）"
        s.add(Township(id=1, county_name=county, township_name=name, code="", is_demo=True))
        villages, groups = [], []
        for vi, (vname, kind) in enumerate(_village_names(spec.villages), start=1):
            villages.append({"id": vi, "code": f"{vi:03d}", "name": vname, "kind": kind, "sort_order": vi})
            for gi in range(1, rng.randint(6, 11) + 1):
                groups.append(
                    {
                        "id": len(groups) + 1,
                        "village_id": vi,
                        "code": f"{gi:02d}",
                        "name": words.group_name(gi),
                        "sort_order": gi,
                    }
                )
        s.execute(insert(Village).execution_options(audit_summary=DEMO), villages)
        s.execute(insert(VillageGroup).execution_options(audit_summary=DEMO), groups)
        groups_of: dict[int, list[dict]] = {}
        for gr in groups:
            groups_of.setdefault(gr["village_id"], []).append(gr)
        village_name = {v["id"]: v["name"] for v in villages}

        total = spec.households
        households: list[dict] = []
        persons: list[dict] = []
        adults: list[int] = []
        pid = 0
        for hid in range(1, total + 1):
            vid = (hid - 1) // households_per_village % spec.villages + 1
            gr = rng.choice(groups_of[vid])
            number = f"{hid:06d}"
            households.append(
                {
                    "id": hid,
                    "group_id": gr["id"],
                    "number": number,
                    "address": f"{village_name[vid]}{gr['name']}{rng.randint(1, 199)}号",
                }
            )
            surname = rng.choice(words.SURNAMES)
            members = rng.choices(HOUSEHOLD_SIZES, HOUSEHOLD_WEIGHTS)[0]
            head_sex = Sex.MALE if rng.random() < 0.82 else Sex.FEMALE
            head_birth = g.birth(28, 78)
            plan = [(Relation.HEAD, head_sex, head_birth, surname)]
            if members >= 2:
                spouse_sex = Sex.FEMALE if head_sex is Sex.MALE else Sex.MALE
                plan.append(
                    (
                        Relation.SPOUSE,
                        spouse_sex,
                        head_birth + dt.timedelta(days=rng.randint(-1500, 1500)),
                        rng.choice(words.SURNAMES),
                    )
                )
            for _ in range(members - len(plan)):
                child_birth = head_birth + dt.timedelta(days=rng.randint(20 * 365, 38 * 365))
                if child_birth >= g.as_of:
                    child_birth = g.as_of - dt.timedelta(days=rng.randint(30, 3000))
                plan.append((Relation.CHILD, rng.choice((Sex.MALE, Sex.FEMALE)), child_birth, surname))
            for relation, sex, birth, sname in plan:
                pid += 1
                age = (g.as_of - birth).days // 365
                roll = rng.random()
                residence = (
                    ResidenceType.PERMANENT
                    if roll < 0.8
                    else ResidenceType.TEMPORARY
                    if roll < 0.87
                    else ResidenceType.FLOATING
                    if roll < 0.92
                    else ResidenceType.WORKING_AWAY
                )
                if age < 16 and residence is ResidenceType.WORKING_AWAY:
                    residence = ResidenceType.PERMANENT
                name = g.name(sname, sex)
                persons.append(
                    {
                        "id": pid,
                        "id_number": g.id_number(birth, sex, local=residence is not ResidenceType.TEMPORARY),
                        "name": name,
                        "name_initials": initials(name),
                        "sex": sex.value,
                        "birth_date": birth,
                        "household_id": hid,
                        "relation": relation.value,
                        "residence_type": residence.value,
                        "work_away_place": rng.choice(words.WORK_AWAY_PLACES)
                        if residence is ResidenceType.WORKING_AWAY
                        else "",
                        "phone": g.phone() if age >= 16 and rng.random() < 0.75 else "",
                        "state": "在册",
                        "notes": "",
                    }
                )
                if 18 <= age <= 60:
                    adults.append(pid)
            if len(persons) >= CHUNK or hid == total:
                if is_cancelled():
                    raise Cancelled()
                s.execute(insert(Household).execution_options(audit_summary=DEMO), households)
                s.execute(insert(Person).execution_options(audit_summary=DEMO), persons)
                households.clear()
                persons.clear()
                report(hid, total)

        files, entries = [], []
        for fid, person_id in enumerate(rng.sample(adults, spec.key_persons), start=1):
            found = g.as_of - dt.timedelta(days=rng.randint(60, 6 * 365))
            roll = rng.random()
            category = (
                DrugCategory.USER
                if roll < 0.6
                else DrugCategory.RELAPSE
                if roll < 0.85
                else DrugCategory.TRAFFICKING_RECORD
                if roll < 0.95
                else DrugCategory.OTHER
            )
            files.append(
                {"id": fid, "person_id": person_id, "category": category.value, "first_found_on": found}
                | _decision_paper(rng, fid, found)
            )
            for status, since, reason in _status_history(g, found):
                entries.append({"file_id": fid, "status": status.value, "since": since, "reason": reason})
        s.execute(insert(DrugFile).execution_options(audit_summary=DEMO), files)
        s.execute(insert(DrugStatusEntry).execution_options(audit_summary=DEMO), entries)
        # a key person who died or moved away is off the books too, as key_persons.add_status keeps it
        last = {e["file_id"]: e["status"] for e in entries}  # entries are in date order per file
        person_of = {f["id"]: f["person_id"] for f in files}
        for status in (PersonState.DECEASED, PersonState.MOVED_OUT):
            ids = [person_of[fid] for fid, st in last.items() if st == status.value]
            if ids:
                s.execute(
                    update(Person)
                    .where(Person.id.in_(ids))
                    .values(state=status.value)
                    .execution_options(audit_summary=DEMO)
                )
        demo_aftercare.build(s, g, files, entries)
        if size == "township":  # the small demo stays bare for the tests that start a campaign themselves
            _campaigns(s, random.Random(seed * 7919 + 1), g.as_of, [v["id"] for v in villages], files)
            demo_urine.build(s, random.Random(seed * 104729 + 3), g.as_of)
            demo_agreements.build(s, random.Random(seed * 130363 + 5), g.as_of)
            names = [(v["id"], v["name"]) for v in villages]
            demo_assessment.build(s, random.Random(seed * 15485863 + 7), g.as_of, names, files)
        if is_cancelled():
            raise Cancelled()
    done = township.summary(db)
    assert done is not None
    return DemoSummary(done.villages, done.groups, done.households, done.persons, done.key_persons)


def _decision_paper(rng: random.Random, fid: int, found: dt.date) -> dict:
    """Most files hold their decision paper; about one in eight still lacks it (底数清 shows who)."""
    if fid % 8 == 0:
        return {"decision_kind": "", "decision_number": "", "decision_date": None, "decision_station": ""}
    decided = found + dt.timedelta(days=fid % 5)
    kind = "责令社区戒毒决定书" if fid % 3 else "责令社区康复决定书"
    return {"decision_kind": kind, "decision_number": f"新公（禁）决字〔{decided.year}〕{fid:03d}号",
            "decision_date": decided, "decision_station": words.DECISION_STATIONS[fid % len(words.DECISION_STATIONS)]}  # fmt: skip


def _campaigns(s, rng: random.Random, as_of: dt.date, village_ids: list[int], files: list[dict]) -> None:
    """A finished campaign (every household visited) and one in progress (most of it), so 排查活动 opens on
    real-looking work. Its own random draws: the people and their files stay as the seed made them."""
    from sqlalchemy import text

    homes = s.execute(
        text(
            "SELECT h.id, g.village_id FROM household h JOIN village_group g ON g.id = h.group_id ORDER BY h.id"
        )
    ).all()
    key_homes = {
        hid
        for (hid,) in s.execute(
            text("SELECT household_id FROM person WHERE id IN (SELECT person_id FROM drug_file)")
        ).all()
    }
    plans = (
        (1, as_of - dt.timedelta(days=200), as_of - dt.timedelta(days=120), 1.0),  # finished, complete
        (2, as_of - dt.timedelta(days=40), as_of + dt.timedelta(days=50), 0.6),  # under way
    )
    campaigns, scope, visits = [], [], []
    for cid, start, end, share in plans:
        name = f"{start.year}年{start.month}月毒情大排查"
        campaigns.append({"id": cid, "name": name, "start_on": start, "end_on": end})
        scope += [{"campaign_id": cid, "village_id": v} for v in village_ids]
        last_day = min(end, as_of)
        for hid, _village in homes:
            if rng.random() >= share:
                continue
            roll = rng.random()
            result = (
                ScreeningResult.REGISTERED_USER.value
                if hid in key_homes
                else ScreeningResult.SEPARATED.value
                if roll < 0.04
                else ScreeningResult.UNREACHABLE.value
                if roll < 0.05
                else ScreeningResult.SUSPECTED.value
                if roll < 0.052
                else ScreeningResult.NORMAL.value
            )
            day = start + dt.timedelta(days=rng.randint(0, (last_day - start).days))
            visits.append(
                {"campaign_id": cid, "household_id": hid, "screened_on": day, "screener": rng.choice(SCREENERS),
                 "result": result, "notes": ""}
            )  # fmt: skip
    s.execute(insert(Campaign).execution_options(audit_summary=DEMO), campaigns)
    s.execute(insert(CampaignVillage).execution_options(audit_summary=DEMO), scope)
    s.execute(insert(Screening).execution_options(audit_summary=DEMO), visits)


SCREENERS = ("李娜", "王强", "张敏", "刘洋", "陈静", "杨帆")
