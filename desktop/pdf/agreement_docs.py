"""责任书 on paper, in the official-document layout the 帮教 papers use (GB/T 9704: A4, 37 mm top, 28 mm left, 26 mm
right, 35 mm bottom; 22 pt title, 16 pt body on 22 lines, "— N —" page numbers), drawn straight on the canvas so
a village's thousand household pledges print in seconds. Each agreement starts on a new page with its number
as a Code 128 barcode in the top right corner (the ASCII form, printed under the bars); its page numbers start
at 1; the last clause is kept on one page with both parties' signature and seal blocks. Plain data in, PDF
bytes out."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from desktop.pdf.canvas_text import draw_barcode, draw_text, wrap
from desktop.pdf.official import (
    BODY_SIZE,
    BOTTOM,
    LEFT,
    LINE,
    PAGE_NUMBER_SIZE,
    RIGHT,
    TEXT_WIDTH,
    TITLE_SIZE,
    TOP,
    faces,
)

TOP_OF_TEXT = A4[1] - TOP


@dataclass(frozen=True)
class AgreementPaper:
    number: str  # 2026-责-0001
    barcode: str  # A2026-0001
    title: str
    first_party: str
    second_party: str
    clauses: tuple[str, ...]  # the body's paragraphs, placeholders filled in
    printing: int = 1  # this is the Nth printing of the agreement
    first_sign: tuple[str, str] = ("甲方（盖章）", "代表签字")
    second_sign: tuple[str, str] = ("乙方（盖章）", "代表签字")


class _Pages:
    """A cursor down the text block of the current agreement's pages."""

    def __init__(self, c: Canvas, body: str) -> None:
        self.c, self.body = c, body
        self.page, self.y = 0, TOP_OF_TEXT

    def new_page(self) -> None:
        if self.page:
            self._number()
            self.c.showPage()
        self.page += 1
        self.y = TOP_OF_TEXT

    def _number(self) -> None:
        """'— N —' 7 mm below the text block: odd pages on the right, even on the left, one character in."""
        c, y, label = self.c, BOTTOM - 7 * mm - PAGE_NUMBER_SIZE, f"— {self.page} —"
        c.setFont(self.body, PAGE_NUMBER_SIZE)
        if self.page % 2:
            c.drawRightString(A4[0] - RIGHT - PAGE_NUMBER_SIZE, y, label)
        else:
            c.drawString(LEFT + PAGE_NUMBER_SIZE, y, label)

    def room(self) -> float:
        return self.y - BOTTOM

    def lines(self, lines: list[str], *, size: float = BODY_SIZE) -> None:
        for line in lines:
            if self.room() < LINE:
                self.new_page()
            self.y -= LINE
            draw_text(self.c, LEFT, self.y + (LINE - size) / 2, line, self.body, size)

    def finish(self) -> None:
        self._number()
        self.c.showPage()


def _signatures(p: _Pages, paper: AgreementPaper) -> None:
    """Both parties side by side: who signs and seals, the line to sign on, and the date."""
    c, half = p.c, TEXT_WIDTH / 2
    p.y -= LINE / 2
    for column, (party, line) in enumerate((paper.first_sign, paper.second_sign)):
        x = LEFT + column * half
        rule = half - 12 - pdfmetrics.stringWidth(f"{line}：", p.body, BODY_SIZE)
        blank = "_" * max(4, int(rule / pdfmetrics.stringWidth("_", p.body, BODY_SIZE)))
        for row, text in enumerate((party, f"{line}：{blank}", "　　　　年　　月　　日")):
            draw_text(c, x, p.y - LINE * (row + 1) + (LINE - BODY_SIZE) / 2, text, p.body, BODY_SIZE)
    p.y -= 3 * LINE


def balanced_title(title: str, face: str) -> list[str]:
    """The title's lines: one if it fits; else two, broken after a closing quote, bracket or 年度 nearest the
    middle where there is one ("…“无毒社区”" / "禁毒工作目标责任书"), else evened out, so that no line is left
    with a character or two."""
    lines = list(wrap(title, face, TITLE_SIZE, TEXT_WIDTH))
    if len(lines) != 2:
        return lines
    fits = lambda text: pdfmetrics.stringWidth(text, face, TITLE_SIZE) <= TEXT_WIDTH  # noqa: E731
    breaks = [i + 1 for i, ch in enumerate(title) if ch in "”）度" and 0 < i + 1 < len(title)]
    breaks = [i for i in breaks if fits(title[:i]) and fits(title[i:])]
    if breaks:
        best = min(breaks, key=lambda i: abs(i - len(title) / 2))
        if abs(best - len(title) / 2) <= len(title) / 4:
            return [title[:best], title[best:]]
    even = pdfmetrics.stringWidth(title, face, TITLE_SIZE) / 2 + TITLE_SIZE
    return list(wrap(title, face, TITLE_SIZE, min(TEXT_WIDTH, even)))


def _agreement(c: Canvas, paper: AgreementPaper, body: str, title_face: str) -> None:
    p = _Pages(c, body)
    p.new_page()
    c.setFont(body, 10.5)
    c.drawString(LEFT, A4[1] - 18 * mm, f"编号：{paper.number}")
    if paper.printing > 1:
        c.drawString(LEFT, A4[1] - 18 * mm - 14, f"第{paper.printing}次打印")
    draw_barcode(c, paper.barcode, A4[0] - RIGHT, A4[1] - 12 * mm, body)
    for line in balanced_title(paper.title, title_face):
        p.y -= LINE * 1.4
        width = pdfmetrics.stringWidth(line, title_face, TITLE_SIZE)
        draw_text(c, LEFT + (TEXT_WIDTH - width) / 2, p.y + 6, line, title_face, TITLE_SIZE)
    p.y -= LINE / 2
    p.lines(wrap(f"甲方：{paper.first_party}", body, BODY_SIZE, TEXT_WIDTH))
    p.lines(wrap(f"乙方：{paper.second_party}", body, BODY_SIZE, TEXT_WIDTH))
    clauses = [
        wrap("\u3000\u3000" + clause, body, BODY_SIZE, TEXT_WIDTH) for clause in paper.clauses if clause
    ]
    for lines in clauses[:-1]:
        p.lines(lines)
    last = clauses[-1] if clauses else []
    if p.room() < LINE * (
        len(last) + 3.5
    ):  # the last clause and the signatures: never a page of signatures alone
        p.new_page()
    p.lines(last)
    _signatures(p, paper)
    p.finish()


def build_agreements(papers: list[AgreementPaper]) -> bytes:
    """Every agreement in the order given, each from a new page."""
    f = faces()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=f.body)  # no unembedded Helvetica
    c.setTitle("责任书")
    for paper in papers:
        _agreement(c, paper, f.body, f.title)
    c.save()
    return buf.getvalue()
