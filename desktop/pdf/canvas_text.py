"""Drawing straight on a ReportLab canvas, for papers printed by the thousand (尿检通知书, 责任书): Chinese text
broken into lines here (never before a closing mark, never inside a number or a date), each character a face
lacks set in the bundled font, and Code 128 barcodes as rectangles. Platypus would lay the same pages out several
times slower (benchmarks/notices.py, benchmarks/agreements.py)."""

from __future__ import annotations

import re
from functools import lru_cache

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from desktop.pdf.official import runs

CANNOT_START = "，。、；：！？）》”’…—"
MODULE = 0.33 * mm  # the narrowest bar: 13 mil, read by any scanner at arm's length
BAR_HEIGHT = 11 * mm


def bars(value: str) -> list[tuple[float, float]]:
    """(x, width) of each bar of `value` in Code 128, in modules, quiet zones excluded."""
    code = Code128(value)
    code.validate()
    code.encode()
    x, out = 0.0, []
    for ch in code.decompose():  # upper case: a bar, lower case: a space; A = one module, B = two …
        width = ord(ch.upper()) - ord("A") + 1
        if ch.isupper():
            out.append((x, width))
        x += width
    return out


def draw_barcode(c: Canvas, value: str, right: float, top: float, font: str) -> None:
    """The barcode with its quiet zones, right-aligned at `right`, its top at `top`; the value under it."""
    pattern = bars(value)
    total = (pattern[-1][0] + pattern[-1][1]) * MODULE
    left = right - total - 10 * MODULE
    for x, width in pattern:
        c.rect(left + x * MODULE, top - BAR_HEIGHT, width * MODULE, BAR_HEIGHT, stroke=0, fill=1)
    c.setFont(font, 9)
    c.drawCentredString(left + total / 2, top - BAR_HEIGHT - 10, value)


@lru_cache(maxsize=4096)  # a batch repeats its clauses page after page
def wrap(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """Chinese text broken between any two characters, never before a closing mark (，。）…) and never inside
    a number or a date (2026年12月1日 stays on one line). A closing mark that would pass the margin takes the
    character before it to the next line, so nothing hangs outside the text block."""
    pieces = re.findall(r"\d{4}年\d{1,2}月\d{1,2}日|[0-9A-Za-z\-*]+|.", text)
    lines: list[list[str]] = [[]]
    used = 0.0
    for piece in pieces:
        w = pdfmetrics.stringWidth(piece, font, size)
        if used + w > width and lines[-1]:
            carried = []
            if piece[0] in CANNOT_START and len(lines[-1]) > 1:
                carried = [lines[-1].pop()]
            lines.append(carried)
            used = sum(pdfmetrics.stringWidth(p, font, size) for p in carried)
        lines[-1].append(piece)
        used += w
    return tuple("".join(line) for line in lines if line)


@lru_cache(maxsize=8192)
def _runs(text: str, font: str) -> tuple[tuple[str, str, float], ...]:
    return tuple((part, face, pdfmetrics.stringWidth(part, face, 1)) for part, face in runs(text, font))


def draw_text(c: Canvas, x: float, y: float, text: str, font: str, size: float) -> None:
    """One line, each character the face lacks (a rare surname) set in the bundled font."""
    for part, face, width in _runs(text, font):
        c.setFont(face, size)
        c.drawString(x, y, part)
        x += width * size
