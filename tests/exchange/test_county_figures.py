"""The county's 考核 figures (issue 14 on issue 13's mirrors): each township assessed on what it reported, by
its own targets, equal to what the township's own 考核 tab shows; the county's total adds numerators and
denominators. On files and on a PostgreSQL server."""

from __future__ import annotations

import datetime as dt

from desktop.exchange import county, export
from desktop.exchange.county_figures import county_figures
from desktop.services import assessment, assessment_records, assessment_targets

TODAY = dt.date(2026, 11, 29)


def test_the_county_sees_the_township_figures_the_township_sees(pair):
    assessment_records.add(pair.town, "survey", {"held_on": dt.date(2026, 5, 1), "audience": "农村村民",
                           "sample_size": 40, "aware": 30}, today=TODAY)  # fmt: skip
    assessment_targets.set_plan(pair.town, 2026, targets={"urine_rate": 60})
    period = assessment.parse_period(2026, "")
    own = assessment.assess(pair.town, period, today=TODAY)
    county.import_bundle(pair.county, export.export(pair.town, pair.stick).path)
    seen = county_figures(pair.county, period, today=TODAY)
    assert [name for name, _ in seen.townships] == ["严塘镇"]
    theirs = seen.townships[0][1]
    assert [(f.key, f.value_text, f.passed, f.target_text) for f in theirs.figures] == [
        (f.key, f.value_text, f.passed, f.target_text) for f in own.figures
    ]
    assert theirs.figure("urine_rate").target_text == "≥60%"  # the township's own target came with it
    text, rate, _ = seen.total("awareness:农村村民")
    assert (rate.numerator, rate.denominator) == (30, 40) and text == "75.0%"
    assert seen.total("aftercare_rate")[1].denominator == own.figure("aftercare_rate").rate.denominator
