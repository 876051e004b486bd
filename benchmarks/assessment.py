"""The 考核 figures (issue 14): every figure of a year for one township (the `township` demo) and for a whole
county (the `county` demo, about 800,000 residents), the twelve months behind the tab's chart, and the year-end
report PDF. Baseline in the same run: reading, on a raw SQLCipher connection, the rows the figures stand on (the
key persons' files and histories, the aftercare cases and groups, the year's urine notices and agreements, the
households that must sign). Goals: one township ≤ 1 s, the county ≤ 5 s."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from benchmarks import median_seconds, paired_median_seconds

PASSWORD = "benchmark-pass-1"
SOURCES = (
    "SELECT * FROM drug_file",
    "SELECT * FROM drug_status_entry",
    "SELECT * FROM aftercare_case",
    "SELECT * FROM aftercare_member",
    "SELECT * FROM urine_notice WHERE window_to BETWEEN '{y}-01-01' AND '{y}-12-31'",
    "SELECT * FROM agreement WHERE year = {y}",
    "SELECT id, group_id FROM household",
)


def run(repeats: int = 3) -> list[dict]:
    from desktop import db
    from desktop.services import accounts, assessment, assessment_report, assessment_trend, demo

    year = dt.date.today().year
    rows = []
    with tempfile.TemporaryDirectory(prefix="wudu-bench-") as tmp:
        for size, goal in (("township", 1.0), ("county", 5.0)):
            database = accounts.create_installation(Path(tmp) / size / db.DB_FILENAME, "admin", PASSWORD).db
            demo.build(database, size, seed=2026)
            raw = db.connect_raw(database.path, database.key, readonly=True)

            def baseline(raw=raw):
                for sql in SOURCES:
                    raw.execute(sql.format(y=year)).fetchall()

            def figures(database=database):
                assessment.assess(database, assessment.parse_period(year, ""))

            ours, base = paired_median_seconds(figures, baseline, repeats)
            rows.append({"figure": f"考核: every figure of {year}, {size} demo", "value": f"{ours * 1000:.0f} ms",
                         "ratio": f"{ours / base:.2f}× reading its rows raw ({base * 1000:.0f} ms)",
                         "goal": f"≤ {goal:g} s", "peak": "", "ok": ours <= goal})  # fmt: skip
            if size == "township":
                months = median_seconds(lambda d=database: assessment_trend.by_month(d, year), 1)
                rows.append({"figure": "考核: twelve months for the chart (in the background), township demo",
                             "value": f"{months * 1000:.0f} ms", "ratio": f"{months / ours:.1f}× one year's figures",
                             "goal": "", "peak": "", "ok": None})  # fmt: skip
                pdf = median_seconds(lambda d=database: assessment_report.year_report(d, year), 1)
                rows.append(
                    {
                        "figure": "考核: year-end report PDF with charts, township demo",
                        "value": f"{pdf * 1000:.0f} ms",
                        "ratio": "",
                        "goal": "",
                        "peak": "",
                        "ok": None,
                    }
                )
            raw.close()
            database.close()
    return rows
