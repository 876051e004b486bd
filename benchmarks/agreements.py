"""责任书: a village's 1,000 household pledges into one PDF, and generating a whole township's agreements.

Baselines in the same run: a bare ReportLab canvas drawing the same lines of text on as many pages (what any PDF
of these pages costs), and listing the township's parties in scope (what generating costs on top of finding
who must sign). Goals: 1,000 agreements ≤ 12 s and ≤ 1.5× the bare canvas.
"""

from __future__ import annotations

import datetime as dt
import resource
import tempfile
import time
from pathlib import Path

AGREEMENTS = 1_000
PASSWORD = "benchmark-pass-1"


def papers(count: int):
    from desktop.models.agreement_texts import TEXTS
    from desktop.pdf.agreement_docs import AgreementPaper
    from desktop.services.agreements import render

    title, body = TEXTS["家庭禁毒承诺书"]
    out = []
    for i in range(1, count + 1):
        values = {"年度": "2026", "甲方": "东山村一组", "乙方": f"王明{i}户（户号：{i:06d}）", "份数": "2"}
        out.append(AgreementPaper(f"2026-责-{i:04d}", f"A2026-{i:04d}", render(title, values), values["甲方"],
                                  values["乙方"], tuple(render(body, values).splitlines())))  # fmt: skip
    return out


def bare_canvas(items) -> float:
    """The same lines, already broken, and the same bars, drawn with nothing else: no glyph fallback, no layout
    decisions, no page numbers."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from desktop.pdf.canvas_text import bars, wrap
    from desktop.pdf.official import TEXT_WIDTH, faces

    font = faces().body
    signatures = [
        "甲方（盖章）　　　　　　乙方（户主）",
        "代表签字：＿＿＿＿＿　签字（捺印）：＿＿＿＿",
        "年　月　日　　　　年　月　日",
    ]
    pages = [
        [f"甲方：{p.first_party}", f"乙方：{p.second_party}"]
        + [line for clause in p.clauses for line in wrap(clause, font, 16, TEXT_WIDTH)]
        + signatures
        for p in items
    ]
    t0 = time.perf_counter()
    c = Canvas(io.BytesIO(), pagesize=A4, pageCompression=1, initialFontName=font)
    for p, lines in zip(items, pages, strict=True):
        for x, width in bars(p.barcode):
            c.rect(400 + x, 790, width, 30, stroke=0, fill=1)
        c.setFont(font, 22)
        c.drawString(80, 740, p.title)
        c.setFont(font, 16)
        for k, line in enumerate(lines):
            c.drawString(80, 690 - 29 * k, line)
        c.showPage()
    c.save()
    return time.perf_counter() - t0


def run() -> list[dict]:
    from desktop import db
    from desktop.pdf.agreement_docs import build_agreements
    from desktop.services import accounts, agreements, demo

    items = papers(AGREEMENTS)
    build_agreements(items[:3])  # fonts registered once, as in a session
    baseline = bare_canvas(items)
    t0 = time.perf_counter()
    pdf = build_agreements(items)
    elapsed = time.perf_counter() - t0
    assert pdf.startswith(b"%PDF")
    rows = [
        {"figure": f"{AGREEMENTS:,} pages of the same text, bare canvas (baseline)", "value": f"{baseline:.2f} s",
         "ratio": "1.00×", "goal": "", "peak": ""},
        {"figure": f"{AGREEMENTS:,} household pledges with barcodes, one PDF", "value": f"{elapsed:.2f} s",
         "ratio": f"{elapsed / baseline:.2f}×", "goal": "≤ 12 s, ≤ 1.5×", "peak": "",
         "ok": elapsed <= 12 and elapsed <= 1.5 * baseline},
    ]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="wudu-bench-") as tmp:
        database = accounts.create_installation(Path(tmp) / db.DB_FILENAME, "admin", PASSWORD).db
        demo.build(database, "small", seed=2026)  # a township without this year's agreements: built below
        demo_db = accounts.create_installation(Path(tmp) / "t" / db.DB_FILENAME, "admin", PASSWORD).db
        demo.build(
            demo_db, "township", seed=2026, as_of=dt.date(2025, 11, 29)
        )  # its agreements are last year's
        year = 2026
        today = dt.date(2026, 1, 5)
        t0 = time.perf_counter()
        with demo_db.session() as s:
            count = sum(len(agreements.parties(s, kind)) for kind in agreements.PARTY_KIND)
        listed = time.perf_counter() - t0
        t0 = time.perf_counter()
        made = sum(
            agreements.generate(demo_db, year, kind, today=today).made for kind in agreements.PARTY_KIND
        )
        generated = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        database.close()
        demo_db.close()
    assert made == count
    rows += [
        {"figure": f"township demo: list the parties in scope ({count:,}) (baseline)", "value": f"{listed:.2f} s",
         "ratio": "1.00×", "goal": "", "peak": ""},
        {"figure": f"township demo: generate the year's {made:,} agreements", "value": f"{generated:.2f} s",
         "ratio": f"{generated / max(listed, 1e-6):.2f}×", "goal": "≤ 10 s", "peak": f"{peak:.0f} MB (process)",
         "ok": generated <= 10},
    ]  # fmt: skip
    return rows
