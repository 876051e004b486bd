"""尿检通知: 1,000 notices with their receipts and barcodes into one PDF, and issuing a county-sized demo's month.

Baselines in the same run: a bare ReportLab canvas drawing the same lines of text and the same bars on as many
pages (what any PDF of these pages costs), and reading the county's due list (what issuing costs on top of
finding what is due). Goals: 1,000 notices ≤ 10 s and ≤ 1.5× the bare canvas.
"""

from __future__ import annotations

import datetime as dt
import io
import resource
import tempfile
import time
from pathlib import Path

NOTICES = 1_000
PASSWORD = "benchmark-pass-1"


def papers(count: int):
    from desktop.pdf.urine_docs import NoticePaper

    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    return [
        NoticePaper(
            f"2026-尿-{i:04d}",
            f"N2026-{i:04d}",
            f"{surnames[i % 20]}明{'辉华军'[i % 3]}",
            "430522**********19",
            "社区戒毒" if i % 3 else "社区康复",
            1 + i % 3,
            dt.date(2026, 12, 1),
            dt.date(2026, 12, 31),
            "严塘镇派出所",
            "严塘镇禁毒办",
            dt.date(2026, 11, 25),
        )  # fmt: skip
        for i in range(1, count + 1)
    ]


def bare_canvas(items) -> float:
    """The same strings and bars, drawn with nothing else: no glyph fallback, no line breaking, no layout."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from desktop.pdf.canvas_text import bars
    from desktop.pdf.official import faces

    font = faces().body
    lines = [f"根据《中华人民共和国禁毒法》《戒毒条例》和你的社区戒毒协议，请你于{i}" for i in range(9)]
    t0 = time.perf_counter()
    c = Canvas(io.BytesIO(), pagesize=A4, pageCompression=1)
    for n in items:
        pattern = bars(n.barcode)
        for half in (0, 400):
            c.setFont(font, 20)
            c.drawString(80, 780 - half, "尿检通知书")
            for x, width in pattern:
                c.rect(400 + x, 760 - half, width, 30, stroke=0, fill=1)
            c.setFont(font, 14)
            for k, line in enumerate(lines):
                c.drawString(80, 700 - half - 24 * k, line)
        c.showPage()
    c.save()
    return time.perf_counter() - t0


def run() -> list[dict]:
    from desktop import db
    from desktop.pdf.urine_docs import build_notices
    from desktop.services import accounts, demo, urine, urine_register

    items = papers(NOTICES)
    build_notices(items[:5])  # fonts loaded and registered once, as in a session
    baseline = bare_canvas(items)
    t0 = time.perf_counter()
    pdf = build_notices(items)
    elapsed = time.perf_counter() - t0
    assert pdf.startswith(b"%PDF")
    rows = [
        {"figure": f"{NOTICES:,} pages of the same text and bars, bare canvas (baseline)",
         "value": f"{baseline:.2f} s", "ratio": "1.00×", "goal": "", "peak": ""},
        {"figure": f"{NOTICES:,} notices with receipts and barcodes, one PDF", "value": f"{elapsed:.2f} s",
         "ratio": f"{elapsed / baseline:.2f}×", "goal": "≤ 10 s, ≤ 1.5×", "peak": "",
         "ok": elapsed <= 10 and elapsed <= 1.5 * baseline},
    ]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="wudu-bench-") as tmp:
        database = accounts.create_installation(Path(tmp) / db.DB_FILENAME, "admin", PASSWORD).db
        demo.build(database, "county", seed=2026)
        today = dt.date.today()
        until = today.replace(day=28) + dt.timedelta(days=4)
        until = until - dt.timedelta(days=until.day)  # the month's last day
        t0 = time.perf_counter()
        due = urine_register.due(database, until=until, today=today)
        listed = time.perf_counter() - t0
        t0 = time.perf_counter()
        ids = urine.issue_many(database, [(d.case_id, d.due_on) for d in due], today=today)
        issued = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        database.close()
    assert len(ids) == len(due)
    rows += [
        {"figure": f"county demo: list the month's due tests ({len(due):,}) (baseline)", "value": f"{listed:.2f} s",
         "ratio": "1.00×", "goal": "", "peak": ""},
        {"figure": f"county demo: issue the month's {len(ids):,} notices", "value": f"{issued:.2f} s",
         "ratio": f"{issued / max(listed, 1e-6):.2f}×", "goal": "≤ 5 s", "peak": f"{peak:.0f} MB (process)",
         "ok": issued <= 5},
    ]  # fmt: skip
    return rows
