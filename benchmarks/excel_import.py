"""Import of a 50,000-row residents workbook into the township demo. Goal: ≤ 20 s.

Baseline in the same run: reading the same workbook with openpyxl alone, so the ratio is what validation,
duplicate checks, writing and the audit trail cost on top of reading the file.
"""

from __future__ import annotations

import datetime as dt
import resource
import tempfile
import time
from pathlib import Path

ROWS = 50_000
PASSWORD = "benchmark-pass-1"


def make_workbook(path: Path, villages: list[tuple[str, str]], rows: int, registered: set[str]) -> None:
    from openpyxl import Workbook

    from desktop.models.enums import Sex
    from desktop.services.demo import _Generator
    from desktop.services.people_excel import HEADERS

    g = _Generator(seed=777, as_of=dt.date(2026, 11, 29))
    g.used_ids = {n[:17] for n in registered}  # new people only: numbers the demo did not already give out
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("居民登记")
    ws.append(HEADERS)
    for i in range(rows):
        village, group = villages[i % len(villages)]
        sex = Sex.MALE if i % 2 else Sex.FEMALE
        birth = g.birth(1, 90)
        ws.append(
            [
                village,
                group,
                f"B{i // 3:06d}",
                f"{village}{group}{i // 3}号",
                g.name("王", sex),
                g.id_number(birth, sex, local=False),
                "户主" if i % 3 == 0 else "子女",
                "常住",
                "",
                g.phone(),
                "2026-01-05",
                "",
            ]
        )
    wb.save(path)


def run() -> list[dict]:
    from openpyxl import load_workbook

    from desktop import db
    from desktop.services import accounts, demo, people_excel

    with tempfile.TemporaryDirectory(prefix="wudu-bench-") as tmp:
        folder = Path(tmp)
        database = accounts.create_installation(folder / db.DB_FILENAME, "admin", PASSWORD).db
        demo.build(database, "township", seed=2026)
        conn = db.connect_raw(database.path, database.key)
        villages = conn.execute(
            "SELECT v.name, g.name FROM village v JOIN village_group g ON g.village_id = v.id"
        ).fetchall()
        registered = {n for (n,) in conn.execute("SELECT id_number FROM person")}
        conn.close()
        path = folder / "roster.xlsx"
        make_workbook(path, villages, ROWS, registered)

        t0 = time.perf_counter()
        wb = load_workbook(path, read_only=True, data_only=True)
        read = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
        wb.close()
        baseline = time.perf_counter() - t0

        t0 = time.perf_counter()
        result = people_excel.import_file(database, path)
        elapsed = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        database.close()
    assert result.added == ROWS and read == ROWS + 1, (result, read)
    return [
        {
            "figure": f"read {ROWS:,}-row workbook, openpyxl alone (baseline)",
            "value": f"{baseline:.2f} s",
            "ratio": "1.00×",
            "goal": "",
            "peak": "",
        },
        {
            "figure": f"import {ROWS:,}-row workbook into township demo",
            "value": f"{elapsed:.2f} s",
            "ratio": f"{elapsed / baseline:.2f}×",
            "goal": "≤ 20 s",
            "peak": f"{peak:.0f} MB (process)",
            "ok": elapsed <= 20,
        },
    ]
