"""The year's work plan (工作方案) in the program: its targets, with the source plans' values as defaults
(DOMAIN.md, "The figures the county assesses"), the baseline year for new drug users, and the text the clerk
writes for the year-end report. 设置 → 年度考核目标 edits them; every change is in the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from desktop.db import Database
from desktop.errors import Problem, ValidationFailed
from desktop.models import AssessmentTarget, AssessmentYear
from desktop.models.enums import AgreementType, Audience
from desktop.services.auth import Permission, require


@dataclass(frozen=True)
class TargetSpec:
    key: str
    label: str
    default: float
    unit: str = "%"  # % of a rate; "人" for the township class's limit
    low: float = 0
    high: float = 100


AWARENESS = {  # 知晓率 by group (the second plan's 考核内容 3)
    Audience.TOWN: 100,
    Audience.VILLAGE: 80,
    Audience.MIGRANT: 80,
    Audience.VENUE: 100,
    Audience.SCHOOL: 100,
}
AGREEMENT_KEYS = {kind: f"agreement:{kind.value}" for kind in AgreementType}

SPECS: tuple[TargetSpec, ...] = (
    TargetSpec("new_users_drop", "新增吸毒人员比基准年下降", 20),
    TargetSpec("aftercare_rate", "社区戒毒（康复）人员帮教率", 95),
    TargetSpec("urine_rate", "尿检率", 80),
    TargetSpec("campaign_coverage", "创建面（开展排查的村、社区）", 100),
    TargetSpec("education_coverage", "禁毒宣传教育覆盖率（村、社区）", 100),
    TargetSpec("key_groups_coverage", "重点群体宣传教育覆盖率", 100),
    *(TargetSpec(f"awareness:{a.value}", f"知晓率：{a.value}", v) for a, v in AWARENESS.items()),
    *(TargetSpec(key, f"签订率：{kind.value}", 100) for kind, key in AGREEMENT_KEYS.items()),
    TargetSpec("agreement:帮教协议书", "签订率：帮教协议书", 100),
    TargetSpec("files_complete", "涉毒人员底数清（档案完整）", 100),
    TargetSpec("class_limit", "创无毒乡镇的在册吸毒人员上限", 200, "人", 1, 100000),
)
BY_KEY = {s.key: s for s in SPECS}


@dataclass(frozen=True)
class Plan:
    year: int
    baseline_year: int  # new drug users are compared with this year's
    targets: dict[str, float]  # every key of SPECS: the year's own value or the default
    changed: frozenset[str]  # the keys the office set for the year
    summary: str  # the clerk's text for the year-end report

    def target(self, key: str) -> float:
        return self.targets[key]


def plan(db: Database, year: int) -> Plan:
    require(db, Permission.READ)
    with db.session() as s:
        own = {
            t.figure: t.value for t in s.exec(select(AssessmentTarget).where(AssessmentTarget.year == year))
        }
        row = s.exec(select(AssessmentYear).where(AssessmentYear.year == year)).first()
    own = {k: v for k, v in own.items() if k in BY_KEY}  # a key a later version dropped is ignored
    return Plan(
        year,
        row.baseline_year if row and row.baseline_year else year - 1,
        {s.key: own.get(s.key, s.default) for s in SPECS},
        frozenset(own),
        row.summary if row else "",
    )


def set_plan(
    db: Database,
    year: int,
    *,
    targets: dict[str, float] | None = None,
    baseline_year: int | None = None,
    summary: str | None = None,
) -> None:
    """Change the year's targets (a value equal to the default is stored as the default: the row goes), its
    baseline year and its report text; every value is checked first, and nothing is written if one is wrong."""
    require(db, Permission.SETTINGS if targets or baseline_year else Permission.WRITE)
    problems = []
    if not 2000 <= year <= 2100:
        problems.append(Problem("year", "out_of_range", {"min": 2000, "max": 2100}))
    for key, value in (targets or {}).items():
        spec = BY_KEY.get(key)
        if spec is None:
            problems.append(Problem("target", "unknown_target", {"value": key}))
        elif not isinstance(value, int | float) or not spec.low <= value <= spec.high:
            problems.append(Problem(f"target:{key}", "target_range", {"label": spec.label, "min": spec.low,
                                                                      "max": spec.high, "value": str(value)}))  # fmt: skip
    if baseline_year is not None and not 2000 <= baseline_year < year:
        problems.append(Problem("baseline_year", "baseline_year", {"year": year}))
    if problems:
        raise ValidationFailed(problems)
    with db.session() as s:
        own = {t.figure: t for t in s.exec(select(AssessmentTarget).where(AssessmentTarget.year == year))}
        for key, value in (targets or {}).items():
            row = own.get(key)
            if value == BY_KEY[key].default:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(AssessmentTarget(year=year, figure=key, value=float(value)))
            elif row.value != value:
                row.value = float(value)
        if baseline_year is not None or summary is not None:
            row = s.exec(select(AssessmentYear).where(AssessmentYear.year == year)).first()
            if row is None:
                row = AssessmentYear(year=year)
                s.add(row)
            if baseline_year is not None:
                row.baseline_year = baseline_year
            if summary is not None:
                row.summary = summary


def placeholders(db: Database, year: int) -> dict[str, str]:
    """The year's targets as an agreement's text names them ({帮教率目标} …)."""
    p = plan(db, year)
    return {
        "帮教率目标": f"{p.target('aftercare_rate'):g}%",
        "尿检率目标": f"{p.target('urine_rate'):g}%",
        "知晓率目标": f"{p.target('awareness:' + Audience.VILLAGE.value):g}%",
    }
