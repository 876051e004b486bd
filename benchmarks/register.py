"""The residents register on the `county` demo (about 800,000 residents).

Each figure is timed through the service and as the same SQL on a raw SQLCipher connection in the same run, so
the ratio is what the program adds. Goals (issue 4): each ≤ 100 ms and ≤ 2× raw; peak memory with the register
open in the window ≤ 300 MB.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks import PEAK_MB, paired_median_seconds

PASSWORD = "benchmark-pass-1"
ROOT = Path(__file__).resolve().parent.parent

CHILD = (
    PEAK_MB
    + """
import os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path
from desktop.services import accounts
from desktop.views.app import make_app
from desktop.views.main_window import MainWindow
from desktop.views.tasks import InlineRunner
app = make_app()
d = accounts.log_in(Path(sys.argv[1]) / "wudu.sqlite3", "admin", sys.argv[2])
w = MainWindow(d, InlineRunner(), Path(sys.argv[1]))
w.show()
w.load_registers()
model = w.register_tabs[0].view.model()
for row in range(0, 2000, 50):  # scroll through the first pages
    model.data(model.index(row, 0))
app.processEvents()
print("ROWS", model.rowCount(), "PEAK", peak_mb(), flush=True)
d.close()
"""
)


def run(repeats: int = 5) -> list[dict]:
    from desktop import db
    from desktop.services import accounts, aftercare_register, demo, residents
    from desktop.services.residents import FROM, ORDER, ORDERED_FROM, SEARCH_ORDER, ResidentFilter, _where

    with tempfile.TemporaryDirectory(prefix="wudu-bench-") as tmp:
        folder = Path(tmp)
        database = accounts.create_installation(folder / db.DB_FILENAME, "admin", PASSWORD).db
        demo.build(database, "county", seed=2026)
        raw = db.connect_raw(database.path, database.key)
        village_id = residents.villages(database)[4][0]

        def raw_ids(flt, ordered=False, limit=""):
            where, params = _where(flt, True)
            source = ORDERED_FROM if ordered else FROM
            order = SEARCH_ORDER if flt.text else ORDER  # the same SQL the service runs
            return raw.execute(
                f"SELECT p.id {source} WHERE {where} ORDER BY {order}{limit}", params
            ).fetchall()

        def raw_first_page():  # the service's two queries: the page's ids, then what the register shows of them
            ids = [r[0] for r in raw_ids(ResidentFilter(), ordered=True, limit=" LIMIT 300")]
            return raw.execute(residents.rows_sql(ids[:200])).fetchall()

        def raw_count(flt):
            where, params = _where(flt, True)
            return raw.execute(f"SELECT count(*) {FROM} WHERE {where}", params).fetchone()

        def raw_aftercare():  # the SQL the 帮教 register runs (aftercare_register.open_states), without judging
            return [raw.execute(sql).fetchall() for sql in aftercare_register.register_sql(dt.date.today())]

        name = ResidentFilter(text="王")
        initials = ResidentFilter(text="zw")
        counted = ResidentFilter(village_id=village_id, residence_type="外出务工")
        figures = [
            (
                "first page of the register",
                lambda: residents.resident_rows(database, residents.resident_ids(database, limit=300)[:200]),
                raw_first_page,
            ),
            (
                "whole register's ids (loaded after the first page is shown)",
                lambda: residents.resident_ids(database),
                lambda: raw_ids(ResidentFilter(), ordered=True),
            ),
            (
                "name search '王', every hit (loaded after its first page)",
                lambda: residents.resident_ids(database, name),
                lambda: raw_ids(name),
            ),
            (
                "pinyin initials search 'zw', every hit (loaded after its first page)",
                lambda: residents.resident_ids(database, initials),
                lambda: raw_ids(initials),
            ),
            (
                "filtered count (village + 外出务工)",
                lambda: residents.resident_count(database, counted),
                lambda: raw_count(counted),
            ),
            (
                "帮教 register, every open case judged (loaded after the window shows)",
                lambda: aftercare_register.case_rows(database),
                raw_aftercare,
            ),
        ]
        # as you type: the first page (300 ids, 200 rows shown) of each kind of search, through the service and
        # as the same SQL the service runs (its FROM, WHERE and ORDER BY) on a raw connection (issue 13)
        from desktop.services.residents import search_order, source_for

        def raw_first(flt):
            where, params = _where(flt, True)
            sql = (
                f"SELECT p.id {source_for(where, FROM)} WHERE {where} ORDER BY {search_order(flt, 'sqlite')}"
            )
            if source_for(where, FROM) != FROM:
                sql = sql.replace("ORDER BY p.id", "ORDER BY person_number_grams.rowid")
            ids = [r[0] for r in raw.execute(sql + " LIMIT 300", params).fetchall()]
            return raw.execute(residents.rows_sql(ids[:200])).fetchall()

        typed = []
        for text in ("王", "张伟", "秀英", "zw", "w", "4305", "138", "13800"):
            flt = ResidentFilter(text=text)
            typed.append((
                f"first page of a search as you type '{text}'",
                lambda flt=flt: residents.resident_rows(database, residents.resident_ids(database, flt, limit=300)[:200]),
                lambda flt=flt: raw_first(flt),
            ))  # fmt: skip
        rows = []
        for label, ours, baseline in typed:
            ours_t, raw_t = paired_median_seconds(ours, baseline, repeats)
            rows.append({"figure": f"county register: {label}", "value": f"{ours_t * 1000:.1f} ms",
                         "ratio": f"{ours_t / raw_t:.2f}× raw ({raw_t * 1000:.1f} ms)", "goal": "≤ 20 ms", "peak": "",
                         "ok": ours_t <= 0.02})  # fmt: skip
        for label, ours, baseline in figures:
            ours_t, raw_t = paired_median_seconds(ours, baseline, repeats)
            background = "loaded after" in label  # the clerk already sees the first page meanwhile
            judged = label.startswith("帮教")  # issue 13: within 2× of reading its rows raw
            rows.append(
                {
                    "figure": f"county register: {label}",
                    "value": f"{ours_t * 1000:.1f} ms",
                    "ratio": f"{ours_t / raw_t:.2f}× raw ({raw_t * 1000:.1f} ms)",
                    "goal": "≤ 2× raw" if judged else "" if background else "≤ 100 ms, ≤ 2× raw",
                    "peak": "",
                    "ok": ours_t / raw_t <= 2
                    if judged
                    else None
                    if background
                    else ours_t <= 0.1 and ours_t / raw_t <= 2,
                }
            )
        raw.close()
        database.close()
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(folder), PASSWORD],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=600,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        line = next((ln for ln in done.stdout.splitlines() if ln.startswith("ROWS")), None)
        if line is None:
            raise RuntimeError(done.stderr[-2000:])
        _, count, _, peak = line.split()
        rows.append(
            {
                "figure": f"county register open in the window ({int(count):,} rows)",
                "value": "",
                "ratio": "",
                "goal": "≤ 300 MB",
                "peak": f"{float(peak):.0f} MB",
                "ok": float(peak) <= 300,
            }
        )
    return rows
