"""The figures month by month through a year (the 考核 tab's chart and the year-end report's): each month is
assessed by the same definitions as the year (assessment.assess), so a month's bar is what that month's figure
says. Months not yet begun are left out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desktop.db import Database
from desktop.services import assessment


@dataclass(frozen=True)
class Point:
    month: int
    value: float | None  # a rate's percent, or a count; None where there was nothing to count ("—")
    text: str
    target: float | None  # a rate's target, for the line across the chart


def by_month(
    db: Database, year: int, *, today: dt.date | None = None, progress=None
) -> dict[str, list[Point]]:
    """Every figure's points, by figure key, for the months of `year` begun by `today`."""
    today = today or dt.date.today()
    months = [m for m in range(1, 13) if dt.date(year, m, 1) <= today]
    out: dict[str, list[Point]] = {}
    for i, month in enumerate(months):
        a = assessment.assess(db, assessment.parse_period(year, f"M{month}"), today=today)
        for f in a.figures:
            if f.rate is not None:
                point = Point(month, f.rate.percent, f.rate.text(), f.target)
            elif f.count is not None:
                point = Point(month, float(f.count), str(f.count), None)
            else:
                continue
            out.setdefault(f.key, []).append(point)
        if progress:
            progress(i + 1, len(months))
    return out
