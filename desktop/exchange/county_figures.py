"""At the county: the 考核 figures of every township that has reported, each assessed on its read-only mirror by
the township's own definitions and targets (services/assessment.py), and the county's total — a rate's
numerators and denominators added up (never an average of percentages), a count summed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desktop.db import Database
from desktop.services import assessment
from desktop.services.rates import Rate


@dataclass(frozen=True)
class CountyFigures:
    period: assessment.Period
    townships: list[tuple[str, assessment.Assessment]]  # the townships that have reported, by name
    names: list[tuple[str, str]]  # (figure key, name) in the assessment's order

    def total(self, key: str) -> tuple[str, Rate | None, int | None]:
        """The county's value of a figure: its text, and the summed rate or count."""
        found = [a.figure(key) for _, a in self.townships]
        rates = [f.rate for f in found if f.rate is not None]
        if rates:
            rate = Rate(sum(r.numerator for r in rates), sum(r.denominator for r in rates))
            return rate.text(), rate, None
        counts = [f.count for f in found if f.count is not None]
        return (str(sum(counts)), None, sum(counts)) if counts else ("—", None, None)


SUMMED = {"township_class": "在册吸毒人员"}  # a class does not add up; its count does


def county_figures(
    db: Database, period: assessment.Period, *, today: dt.date | None = None, progress=None
) -> CountyFigures:
    from desktop.exchange.county_status import status, township_records

    reported = [s for s in status(db) if s.bundles]
    out = []
    for i, town in enumerate(reported):
        records = township_records(db, town.id)
        try:
            out.append((town.township, assessment.assess(records, period, today=today)))
        finally:
            records.close()
        if progress:
            progress(i + 1, len(reported))
    names = [(f.key, SUMMED.get(f.key, f.name)) for f in out[0][1].figures] if out else []
    return CountyFigures(period, out, names)
