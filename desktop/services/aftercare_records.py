"""What a case's file holds besides its group and talks: employment help (就业安置), the six-monthly summaries
(半年小结) and the yearly assessment (年度评估) with the group's judgement of the risk (低 / 中 / 高).

A summary is due once its half-year has ended while the case was open; the case's file shows the ones still
missing a month after (the office has a month to write them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import select

from desktop.db import Database
from desktop.errors import Problem, ValidationFailed, before, choice
from desktop.models import AftercareCase, AftercareEmployment, AftercareReview
from desktop.models.enums import RiskLevel
from desktop.models.units import clean
from desktop.services.aftercare import open_case_row
from desktop.services.auth import Permission, require

YEARLY = 0
GRACE_DAYS = 30  # a summary is missing this long after its period ended


def period_name(year: int, half: int) -> str:
    return f"{year}年度" if half == YEARLY else f"{year}年{'上' if half == 1 else '下'}半年"


def period_bounds(year: int, half: int) -> tuple[dt.date, dt.date]:
    if half == 1:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    if half == 2:
        return dt.date(year, 7, 1), dt.date(year, 12, 31)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def add_employment(
    db: Database, case_id: int, *, job: str, employer: str, since: dt.date, notes: str = "", today=None
) -> int:
    require(db, Permission.WRITE)
    problems = []
    if not clean(job):
        problems.append(Problem("job", "required", {}))
    if since > (today or dt.date.today()):
        problems.append(Problem("employment_since", "date_in_future", {"value": since.isoformat()}))
    if problems:
        raise ValidationFailed(problems)
    with db.session() as s:
        open_case_row(s, case_id)
        row = AftercareEmployment(
            case_id=case_id,
            job=clean(job),
            employer=clean(employer),
            since=since,
            notes=(notes or "").strip(),
        )
        s.add(row)
        s.flush()
        return row.id


def end_employment(db: Database, employment_id: int, *, until: dt.date, today=None) -> None:
    """The person left the job: the record stays, with its end."""
    require(db, Permission.WRITE)
    with db.session() as s:
        row = s.get(AftercareEmployment, employment_id)
        problems = []
        if until > (today or dt.date.today()):
            problems.append(Problem("employment_until", "date_in_future", {"value": until.isoformat()}))
        if until < row.since:
            problems.append(before("employment_until", until, "就业日期", row.since))
        if problems:
            raise ValidationFailed(problems)
        row.until = until


def employments(db: Database, case_id: int) -> list[AftercareEmployment]:
    require(db, Permission.READ)
    with db.session() as s:
        return list(
            s.exec(
                select(AftercareEmployment)
                .where(AftercareEmployment.case_id == case_id)
                .order_by(AftercareEmployment.since.desc(), AftercareEmployment.id.desc())
            ).all()
        )


def add_review(
    db: Database,
    case_id: int,
    *,
    year: int,
    half: int,
    risk: str,
    text: str,
    by_whom: str,
    written_on: dt.date,
    today: dt.date | None = None,
) -> int:
    """A half-year summary (half 1 or 2) or the yearly assessment (half 0); one of each per period, written
    from a month before the period ends."""
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    name = period_name(year, half) if half in (0, 1, 2) else str(half)
    problems = []
    if half not in (0, 1, 2):
        problems.append(choice("period", name, ["上半年", "下半年", "年度"]))
    elif written_on < (opens := period_bounds(year, half)[1] - dt.timedelta(days=GRACE_DAYS)):
        problems.append(Problem("period", "period_too_early", {"value": name, "from": opens.isoformat()}))
    elif written_on > today:
        problems.append(Problem("written_on", "date_in_future", {"value": written_on.isoformat()}))
    if risk not in {r.value for r in RiskLevel}:
        problems.append(choice("risk", risk, [r.value for r in RiskLevel]))
    if not clean(text):
        problems.append(Problem("review_text", "required", {}))
    if not clean(by_whom):
        problems.append(Problem("writer", "required", {}))
    if problems:
        raise ValidationFailed(problems)
    with db.session() as s:
        open_case_row(s, case_id)
        exists = s.exec(
            select(AftercareReview.id).where(
                AftercareReview.case_id == case_id, AftercareReview.year == year, AftercareReview.half == half
            )
        ).first()
        if exists:
            raise ValidationFailed([Problem("period", "review_exists", {"value": name})])
        row = AftercareReview(
            case_id=case_id,
            year=year,
            half=half,
            risk=risk,
            text=text.strip(),
            by_whom=clean(by_whom),
            written_on=written_on,
        )
        s.add(row)
        s.flush()
        return row.id


@dataclass(frozen=True)
class Review:
    id: int
    period: str
    kind: str  # 半年小结 / 年度评估
    written_on: dt.date
    risk: str
    text: str
    by_whom: str


def reviews(db: Database, case_id: int) -> list[Review]:
    require(db, Permission.READ)
    with db.session() as s:
        rows = s.exec(select(AftercareReview).where(AftercareReview.case_id == case_id)).all()
    # newest first; a year's assessment above its second half's summary
    return [_review(r) for r in sorted(rows, key=lambda r: (r.year, r.half or 3), reverse=True)]


def _review(r: AftercareReview) -> Review:
    kind = "年度评估" if r.half == YEARLY else "半年小结"
    return Review(r.id, period_name(r.year, r.half), kind, r.written_on, r.risk, r.text, r.by_whom)


def review(db: Database, review_id: int) -> tuple[int, Review]:
    """(case id, the review)."""
    require(db, Permission.READ)
    with db.session() as s:
        r = s.get(AftercareReview, review_id)
        return r.case_id, _review(r)


def missing_reviews(db: Database, case_id: int, *, today: dt.date | None = None) -> list[str]:
    """Periods the case was open for (a month or more) that ended over a month ago with nothing written."""
    require(db, Permission.READ)
    today = today or dt.date.today()
    with db.session() as s:
        case = s.get(AftercareCase, case_id)
        written = set(
            s.exec(
                select(AftercareReview.year, AftercareReview.half).where(AftercareReview.case_id == case_id)
            ).all()
        )
    last_day = min(today - dt.timedelta(days=GRACE_DAYS), case.ended_on or today)
    out = []
    for year in range(case.start_on.year, last_day.year + 1):
        for half in (1, 2, YEARLY):
            start, end = period_bounds(year, half)
            served = (end - max(start, case.start_on)).days + 1  # a few days of a period owe nothing
            if served >= GRACE_DAYS and end < last_day and (year, half) not in written:
                out.append(period_name(year, half))
    return out


def record_agreement_signed(db: Database, case_id: int, *, on: dt.date, today: dt.date | None = None) -> None:
    """The case's 帮教协议书 came back signed: it counts in the agreements' coverage (agreement_register)."""
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    if on > today:
        raise ValidationFailed([Problem("signed_on", "date_in_future", {"value": on.isoformat()})])
    with db.session() as s:
        case = s.get(AftercareCase, case_id)
        if case.ended_on is not None:
            raise ValidationFailed([Problem("case", "case_ended", {"value": case.ended_on.isoformat()})])
        case.agreement_signed_on = on
