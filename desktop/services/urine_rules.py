"""When a person under 社区戒毒 or 社区康复 is due for a urine test: the rule table (设置 → 尿检规则) and the
schedule it gives over a case's term.

The schedule: the first test is due on the 1st of the month after the person reported (or the case started);
each next one comes the rule's interval later, the interval being that of the year of the term the previous test
fell in (year 1 runs from the start to its first anniversary; a 29 February start has its anniversaries on
28 February). Each test's window is its calendar month. It stops before the term's end date, or earlier when
the case ends or the person dies, moves away or goes into compulsory rehab (`stop_on`, the first day not
scheduled).
With the defaults a three-year term gives 社区戒毒 12 + 6 + 4 tests and 社区康复 6 + 4 + 2.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sqlmodel import select

from desktop.db import Database
from desktop.errors import Problem, ValidationFailed
from desktop.models import UrineRule
from desktop.models.enums import CaseBasis
from desktop.services.aftercare import add_years
from desktop.services.auth import Permission, require

SCHEDULED = (CaseBasis.COMMUNITY_REHAB.value, CaseBasis.COMMUNITY_RECOVERY.value)
DEFAULT_RULES: dict[str, tuple[int, ...]] = {"社区戒毒": (1, 2, 3), "社区康复": (2, 3, 6)}  # months, by year
MAX_INTERVAL = 12

Rules = dict[str, tuple[int, ...]]


@dataclass(frozen=True)
class Slot:
    """One scheduled test: due on the first day of its window."""

    due_on: dt.date
    window_from: dt.date
    window_to: dt.date
    interval_months: int  # the rule of its year of the term: the next test comes this many months later
    year_of_term: int


def add_months(day: dt.date, months: int) -> dt.date:
    """`months` later, on the same day, or the month's last day when it has fewer (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def year_of_term(start: dt.date, day: dt.date) -> int:
    year = 1
    while add_years(start, year) <= day:
        year += 1
    return year


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def first_due(reported: dt.date) -> dt.date:
    """The 1st of the month after reporting."""
    return add_months(reported.replace(day=1), 1)


def schedule(
    basis: str,
    start_on: dt.date,
    term_end: dt.date,
    rules: Rules,
    *,
    reported_on: dt.date | None = None,
    stop_on: dt.date | None = None,
) -> list[Slot]:
    """Every test of the term, in order; none for a basis the rules do not schedule (出所)."""
    intervals = rules.get(basis)
    if not intervals:
        return []
    # the term runs from its start up to its end date (a test due that day is not scheduled: the term is over)
    last = (term_end if stop_on is None else min(term_end, stop_on)) - dt.timedelta(days=1)
    slots, due = [], first_due(reported_on or start_on)
    while due <= last:
        year = year_of_term(start_on, due)
        interval = intervals[min(year, len(intervals)) - 1]
        slots.append(Slot(due, due, month_end(due), interval, year))
        due = add_months(due, interval)
    return slots


def rules(db: Database) -> Rules:
    """The township's rule table; a basis without rows falls back to the defaults."""
    require(db, Permission.READ)
    with db.session() as s:
        rows = s.exec(select(UrineRule).order_by(UrineRule.basis, UrineRule.year)).all()
    table: dict[str, list[int]] = {}
    for row in rows:
        table.setdefault(row.basis, []).append(row.interval_months)
    return {basis: tuple(table.get(basis) or DEFAULT_RULES[basis]) for basis in SCHEDULED}


def rule_problems(new: Rules) -> list[Problem]:
    problems = []
    for basis in SCHEDULED:
        months = new.get(basis, ())
        if not months:
            problems.append(Problem(f"urine_rules[{basis}]", "required", {}))
        for year, m in enumerate(months, start=1):
            if not isinstance(m, int) or not 1 <= m <= MAX_INTERVAL:
                problems.append(
                    Problem(
                        f"urine_rules[{basis}]", "out_of_range", {"min": 1, "max": MAX_INTERVAL, "year": year}
                    )
                )
    return problems


def set_rules(db: Database, new: Rules) -> None:
    """Replace the rule table. Notices already issued keep the window they were issued with; the schedule of
    tests not yet issued follows the new rules at once."""
    require(db, Permission.SETTINGS)
    problems = rule_problems(new)
    if problems:
        raise ValidationFailed(problems)
    with db.session() as s:
        stored = {(r.basis, r.year): r for r in s.exec(select(UrineRule)).all()}
        wanted = {(basis, year): m for basis in SCHEDULED for year, m in enumerate(new[basis], start=1)}
        for key, row in stored.items():
            if key not in wanted:
                s.delete(row)
            elif row.interval_months != wanted[key]:
                row.interval_months = wanted[key]
        for (basis, year), months in wanted.items():
            if (basis, year) not in stored:
                s.add(UrineRule(basis=basis, year=year, interval_months=months))
