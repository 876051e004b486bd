"""考核: every figure the county assesses, each defined once here and read by the 考核 tab, the year-end report,
`wudu report` and the county alike. A figure has its value, its target from the year's plan, its numerator and
denominator, pass or fail, and (assessment_drill.py) the records behind it.

The definitions, written down in one place (the report prints `Figure.definition`):
- 新增吸毒人员: files of category 吸毒 first found in the period, against the same span of the baseline year;
  met when fewer by at least the target's share (none in either: met).
- 帮教率: `aftercare_register.rate_of` on the period's last day (or today, for a period not yet over); a case
  delegated to another township (人户分离, 委托外地管理) is counted there, not here.
- 尿检率: `urine_register.rate` — tests due whose window closed in the period (scheduled, noticed or not), the
  share with a result of 阴性 or 阳性 (拒检 and 未到 are tests not done).
- 创建面: villages (communities) taken into a screening campaign held in the period, over all villages.
- 宣传教育覆盖率: villages where an education activity was held in the period, over all villages; 重点群体: of
  students, migrant workers, venue owners and staff and idle youth, the groups an activity reached.
- 知晓率 by group: of those asked in the period's surveys of the group, those who knew the answers.
- 签订率 by type: `agreement_register.totals` for the period's year.
- 涉毒人员底数清: of the key persons on the books on the day, those whose file is complete
  (`assessment_people.missing_parts`).
- 在册吸毒人员 and the township's class: files of category 吸毒 or 复吸 whose status on the day is not 死亡 or
  迁出; none: 保无毒; fewer than the plan's limit (200): 创无毒.
- 复吸人员绝对数: persons with a positive urine test in the period or a 复吸 file first found in it; falling
  when fewer than in the same span a year earlier.
- 年度脱毒人数: 脱毒认定 decided in the period; rising when more than a year earlier.
- 戒断巩固率: of the 在册吸毒人员 on the day, those whose status is 戒断三年未复吸.
- 复吸率: of the persons with an aftercare case open at any time in the period, those who relapsed in it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from desktop.db import Database
from desktop.errors import Problem, ValidationFailed
from desktop.models.enums import AgreementType, Audience
from desktop.services import assessment_people as people
from desktop.services.assessment_targets import AGREEMENT_KEYS, AWARENESS, Plan, plan
from desktop.services.auth import Permission, require
from desktop.services.rates import Rate

KEY_GROUPS = (Audience.SCHOOL, Audience.MIGRANT, Audience.VENUE, Audience.IDLE_YOUTH)
AFTERCARE_AGREEMENT = "帮教协议书"


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str  # 2026年 / 2026年第三季度 / 2026年3月
    code: str  # "" for the year, Q1–Q4, M1–M12

    @property
    def year(self) -> int:
        return self.start.year

    def a_year_earlier(self, years: int = 1) -> Period:
        return parse_period(self.year - years, self.code)

    def day(self, today: dt.date) -> dt.date:
        """The day the standing figures (帮教率, the books) are read on: the period's last day, or today."""
        return min(self.end, today)


QUARTERS = "一二三四"


def parse_period(year: int, code: str | None = "") -> Period:
    """The year, a quarter (Q3) or a month (M3, 3 or 03) of `year`; ValidationFailed for anything else."""
    text = (code or "").strip().upper()
    if text in ("", "全年", "Y"):
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年", "")
    if m := re.fullmatch(r"Q([1-4])", text):
        q = int(m.group(1))
        start = dt.date(year, 3 * q - 2, 1)
        return Period(start, _month_end(year, 3 * q), f"{year}年第{QUARTERS[q - 1]}季度", f"Q{q}")
    if (m := re.fullmatch(r"M?(\d{1,2})", text)) and 1 <= int(m.group(1)) <= 12:
        month = int(m.group(1))
        return Period(dt.date(year, month, 1), _month_end(year, month), f"{year}年{month}月", f"M{month}")
    raise ValidationFailed([Problem("period", "period_format", {"value": code})])


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Figure:
    key: str
    name: str
    definition: str
    rate: Rate | None = None  # a rate: numerator over denominator
    count: int | None = None  # a count (new users, relapses, detox)
    compared: int | None = None  # the count it is compared with (the baseline year, a year earlier)
    target: float | None = None
    target_text: str = ""
    passed: bool | None = None  # None: nothing to judge ("—")
    value_text: str = ""
    points: float = 0  # what the score preview takes off
    group: str = ""  # the tab's section

    @property
    def verdict(self) -> str:
        return "—" if self.passed is None else "达标" if self.passed else "未达标"

    @property
    def fraction(self) -> str:
        """ "numerator/denominator" of a rate, the count of a count."""
        if self.rate is not None:
            return f"{self.rate.numerator}/{self.rate.denominator}"
        return "" if self.count is None else str(self.count)


@dataclass
class Assessment:
    period: Period
    day: dt.date  # the standing figures' day: the period's last, or today
    today: dt.date
    plan: Plan
    figures: list[Figure] = field(default_factory=list)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    @property
    def score(self) -> float:
        """The score preview: 100 less what each missed figure takes off (assessment_rules in the plan)."""
        return max(0.0, 100 - sum(f.points for f in self.figures))


# points a missed figure takes off in the preview (the county sets the real rules; these follow the plan's
# weights as the office reads them: one point per agreement missing, up to the type's share)
POINTS = {
    "new_users": 10,
    "aftercare_rate": 15,
    "urine_rate": 15,
    "campaign_coverage": 5,
    "education_coverage": 5,
    "key_groups_coverage": 5,
    "awareness": 2,  # each group
    "files_complete": 10,
    "agreement": 5,  # each type, one point per agreement missing
}


def _rate_figure(key, name, definition, rate: Rate, target: float, group: str, points: float) -> Figure:
    p = rate.percent
    passed = None if p is None else p + 1e-9 >= target
    lost = 0.0 if passed is not False else points
    return Figure(key, name, definition, rate=rate, target=target, target_text=f"≥{target:g}%",
                  passed=passed, value_text=rate.text(), points=lost, group=group)  # fmt: skip


def assess(db: Database, period: Period, *, today: dt.date | None = None) -> Assessment:
    """Every figure for `period`, judged against the year's plan."""
    require(db, Permission.READ)
    today = today or dt.date.today()
    day = period.day(today)
    p = plan(db, period.year)
    out = Assessment(period, day, today, p)
    add = out.figures.append
    books = people.load(db)

    # 1. new drug users against the baseline year's same span
    base = parse_period(p.baseline_year, period.code)
    new, was = len(books.new_users(period)), len(books.new_users(base))
    drop = p.target("new_users_drop")
    limit = was * (1 - drop / 100)
    passed = (new == 0) if was == 0 else new <= limit + 1e-9
    change = "—" if was == 0 else f"{(new - was) / was * 100:+.1f}%"
    add(Figure("new_users", "新增吸毒人员", f"本期首次发现的吸毒人员，与{base.label}比较", count=new, compared=was,
               target=drop, target_text=f"比{base.label}下降≥{drop:g}%", passed=passed,
               value_text=f"{new}人（{base.label}{was}人，{change}）",
               points=0 if passed else POINTS["new_users"], group="禁吸戒毒"))  # fmt: skip

    # 2. 帮教率 and 尿检率
    from desktop.services import aftercare_register, urine_register

    away = aftercare_register.managed_elsewhere(db, day)
    rate = aftercare_register.rate_of(aftercare_register.case_rows(db, today=day), day, away)
    add(_rate_figure("aftercare_rate", "帮教率", f"{day.isoformat()}在帮教的对象中帮教落实的比例", rate,
                     p.target("aftercare_rate"), "禁吸戒毒", POINTS["aftercare_rate"]))  # fmt: skip
    rate = urine_register.rate(db, period.start, period.end, today=today)
    add(_rate_figure("urine_rate", "尿检率", "本期检测期已满的应检尿检中实际检测（阴性或阳性）的比例；拒检、未到、未开具通知的都算未检", rate,
                     p.target("urine_rate"), "禁吸戒毒", POINTS["urine_rate"]))  # fmt: skip

    # 3. relapse, detox, abstinence
    relapsed = books.relapsed(db, period)
    before = books.relapsed(db, period.a_year_earlier())
    falling = None if not relapsed and not before else len(relapsed) < len(before) or not relapsed
    add(Figure("relapsed", "复吸人员绝对数", "本期尿检阳性或新建复吸档案的人数，与上年同期比较",
               count=len(relapsed), compared=len(before), target_text="逐年下降", passed=falling,
               value_text=f"{len(relapsed)}人（上年同期{len(before)}人）", group="禁吸戒毒"))  # fmt: skip
    detox, detox_before = len(books.detox(period)), len(books.detox(period.a_year_earlier()))
    rising = None if not detox and not detox_before else detox > detox_before
    add(Figure("detox", "年度脱毒人数", "本期作出脱毒认定的人数，与上年同期比较", count=detox,
               compared=detox_before, target_text="逐年增加", passed=rising,
               value_text=f"{detox}人（上年同期{detox_before}人）", group="禁吸戒毒"))  # fmt: skip
    users = books.registered_users(day)
    abstinent = [f for f in users if books.status_on(f, day) == people.ABSTINENT]
    rate = Rate(len(abstinent), len(users))
    add(Figure("abstinence_rate", "戒断巩固率", "在册吸毒人员中戒断三年未复吸的比例", rate=rate,
               value_text=rate.text(), group="禁吸戒毒"))  # fmt: skip
    under = books.under_aftercare(db, period)
    rate = Rate(len(relapsed & under), len(under))
    add(Figure("relapse_rate", "复吸率", "本期有帮教档案的人员中本期复吸的比例", rate=rate,
               value_text=rate.text(), group="禁吸戒毒"))  # fmt: skip

    # 4. the books: 底数清 and the township's class
    on_books = books.key_persons(day)
    complete = [f for f in on_books if not books.missing_parts(f)]
    add(_rate_figure("files_complete", "涉毒人员底数清", "在册重点人员中档案完整（类别、发现日期、决定书、状态、住户）的比例",
                     Rate(len(complete), len(on_books)), p.target("files_complete"), "排查管控",
                     POINTS["files_complete"]))  # fmt: skip
    limit = int(p.target("class_limit"))
    klass = "保无毒" if not users else "创无毒" if len(users) < limit else "未达创无毒条件"
    add(Figure("township_class", "乡镇类别", f"在册吸毒人员：无为保无毒，少于{limit}人为创无毒", count=len(users),
               target_text=f"＜{limit}人", passed=len(users) < limit, value_text=f"{klass}（在册吸毒人员{len(users)}人）",
               group="排查管控"))  # fmt: skip
    villages = books.villages
    screened = books.campaign_villages(db, period)
    add(_rate_figure("campaign_coverage", "创建面", "本期开展排查的村（社区）占全部村（社区）的比例",
                     Rate(len(screened & set(villages)), len(villages)), p.target("campaign_coverage"), "排查管控",
                     POINTS["campaign_coverage"]))  # fmt: skip

    # 5. education and awareness
    from desktop.services import assessment_records as records

    acts = records.activities(db, period)
    reached = {a.village_id for a in acts if a.village_id is not None}
    add(_rate_figure("education_coverage", "宣传教育覆盖率", "本期开展禁毒宣传教育活动的村（社区）占全部村（社区）的比例",
                     Rate(len(reached & set(villages)), len(villages)), p.target("education_coverage"), "宣传教育",
                     POINTS["education_coverage"]))  # fmt: skip
    groups = {a.audience for a in acts}
    add(_rate_figure("key_groups_coverage", "重点群体宣传教育覆盖率", "学生、外来务工人员、场所从业人员、闲散青少年中本期有活动覆盖的群体比例",
                     Rate(sum(g.value in groups for g in KEY_GROUPS), len(KEY_GROUPS)),
                     p.target("key_groups_coverage"), "宣传教育", POINTS["key_groups_coverage"]))  # fmt: skip
    surveys = records.surveys(db, period)
    for audience in AWARENESS:
        asked = [s for s in surveys if s.audience == audience.value]
        rate = Rate(sum(s.aware for s in asked), sum(s.sample_size for s in asked))
        add(_rate_figure(f"awareness:{audience.value}", f"知晓率（{audience.value}）", "本期调查中答对的人数占调查人数的比例",
                         rate, p.target(f"awareness:{audience.value}"), "宣传教育", POINTS["awareness"]))  # fmt: skip

    # 6. agreements, level by level
    from desktop.services import agreement_register

    totals = agreement_register.totals(db, period.year)
    for kind in (*AgreementType, AFTERCARE_AGREEMENT):
        name = kind.value if isinstance(kind, AgreementType) else kind
        rate = totals[name]
        key = AGREEMENT_KEYS.get(kind, f"agreement:{name}")
        target = p.target(key)
        f = _rate_figure(
            key,
            f"签订率（{name}）",
            f"{period.year}年应签订的{name}中已签订的比例",
            rate,
            target,
            "责任书",
            0,
        )
        missing = rate.denominator - rate.numerator
        lost = min(POINTS["agreement"], missing) if f.passed is False else 0
        add(replace(f, points=float(lost)))
    return out
