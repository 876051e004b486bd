"""The official-document layout (党政机关公文格式, GB/T 9704-2012) for what goes into a paper file or to the county.

A4; margins 37 mm top, 28 mm left, 26 mm right, 35 mm bottom (a 156 × 225 mm text block); the title in 二号
(22 pt) 小标宋 — here the first of 小标宋, 黑体, 宋体 the system has, else the bundled Hei; the body in 三号 (16 pt)
仿宋 where the system has it, else the bundled font, 22 lines to the page; page numbers "— 1 —" in 四号, odd pages
on the right and even pages on the left, 7 mm below the text block.

A character the chosen face lacks (a rare surname, say) is set in the bundled font rather than left blank.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib import textsplit as _textsplit
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _paragraph

from desktop.pdf.fonts import register

# ReportLab's CJK line breaking keeps only the Japanese set of marks from starting a line; add the Chinese
# full-width ones, so no line begins with "；" or "，". Both of its line breakers read their own copy.
_MARKS = "，；：！？》”’…—·"
for _module in (_paragraph, _textsplit):
    _module.ALL_CANNOT_START += "".join(c for c in _MARKS if c not in _module.ALL_CANNOT_START)

TOP, BOTTOM, LEFT, RIGHT = 37 * mm, 35 * mm, 28 * mm, 26 * mm
TEXT_WIDTH = A4[0] - LEFT - RIGHT  # 156 mm
TITLE_SIZE, BODY_SIZE, PAGE_NUMBER_SIZE, TABLE_SIZE = 22, 16, 14, 10.5
LINE = (A4[1] - TOP - BOTTOM) / 22  # 22 lines to the page: about 28.9 pt

# File names of the faces an office PC may have (Windows ships the first ones; the others come with WPS or
# font packs). TrueType only: ReportLab cannot embed CFF-outlined .otf fonts.
TITLE_FACES = (
    "fzxbsjw.ttf",  # 方正小标宋简体
    "方正小标宋简体.ttf",
    "simhei.ttf",  # 黑体
    "simsun.ttc",  # 宋体
    "simsun.ttf",
    "stsong.ttf",  # 华文宋体
    "uming.ttc",  # AR PL UMing (Debian fonts-arphic-uming), a Ming/Song face
)
BODY_FACES = (
    "simfang.ttf",  # 仿宋
    "fangsong_gb2312.ttf",  # 仿宋_GB2312
    "仿宋_gb2312.ttf",
    "stfangso.ttf",  # 华文仿宋
)


def font_dirs() -> list[Path]:
    """Where an office PC keeps its fonts: Windows' own and the user's, and the usual Linux folders."""
    dirs = []
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    if os.environ.get("LOCALAPPDATA"):
        dirs.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    dirs += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts"]
    return dirs


def _find(names: tuple[str, ...], dirs: Iterable[Path]) -> list[Path]:
    """The files named in `names` (any case), in the order of `names`."""
    found: dict[str, Path] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        for root, _subdirs, files in os.walk(d):
            for f in files:
                found.setdefault(f.lower(), Path(root) / f)
    return [found[n] for n in names if n in found]


def _load(path: Path, alias: str) -> str | None:
    """Register one face with ReportLab under `alias`; None when ReportLab cannot read it."""
    if alias in pdfmetrics.getRegisteredFontNames():
        return alias
    try:
        pdfmetrics.registerFont(TTFont(alias, str(path), subfontIndex=0))
    except Exception:  # a damaged file, a CFF outline, a licence that forbids embedding: try the next
        return None
    return alias


@dataclass(frozen=True)
class Faces:
    title: str  # ReportLab names
    body: str
    title_file: str  # where each came from, "" for the bundled font (shown on the test page, for support)
    body_file: str


@cache
def faces(dirs: tuple[Path, ...] | None = None) -> Faces:
    """The faces official documents use on this machine (looked up once per set of folders)."""
    dirs = tuple(font_dirs()) if dirs is None else dirs
    bundled = register()
    chosen = []
    for names, role in ((TITLE_FACES, "Title"), (BODY_FACES, "Body")):
        for path in _find(names, dirs):
            alias = _load(path, f"Wudu{role}-{path.stem}")
            if alias:
                chosen.append((alias, str(path)))
                break
        else:
            chosen.append((bundled, ""))
    (title, title_file), (body, body_file) = chosen
    return Faces(title, body, title_file, body_file)


def _glyphs(font: str) -> dict | None:
    face = getattr(pdfmetrics.getFont(font), "face", None)
    return getattr(face, "charToGlyph", None)


@cache
def _ideographic_space(font: str) -> str:
    """ReportLab folds U+3000 into one narrow space; as many no-break spaces as fill one em keep its width."""
    return "\u00a0" * max(1, round(1 / pdfmetrics.stringWidth("\u00a0", font, 1)))


def markup(text: str, font: str) -> str:
    """`text` escaped for a Paragraph, with characters `font` lacks set in the bundled font."""
    glyphs, bundled = _glyphs(font), register()
    text = text.replace("\u3000", _ideographic_space(font))
    if glyphs is None or font == bundled:
        return escape(text)
    out, run = [], []
    for ch in text:
        if ch in "\n\t " or ord(ch) in glyphs:
            if run:
                out.append(f'<font face="{bundled}">{escape("".join(run))}</font>')
                run = []
            out.append(escape(ch))
        else:
            run.append(ch)
    if run:
        out.append(f'<font face="{bundled}">{escape("".join(run))}</font>')
    return "".join(out)


def cn_date(day: dt.date | None, blank: str = "　　年　　月　　日") -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else blank


class Styles:
    def __init__(self, f: Faces) -> None:
        self.faces = f
        self.title = ParagraphStyle(
            "title", fontName=f.title, fontSize=TITLE_SIZE, leading=LINE * 1.4, alignment=1, spaceAfter=LINE
        )
        self.subtitle = ParagraphStyle(
            "subtitle",
            fontName=f.body,
            fontSize=BODY_SIZE,
            leading=LINE,
            alignment=1,
            spaceAfter=LINE / 2,
            wordWrap="CJK",  # like the body: no line starts with ，or ）
        )
        self.body = ParagraphStyle(
            "body",
            fontName=f.body,
            fontSize=BODY_SIZE,
            leading=LINE,
            firstLineIndent=2 * BODY_SIZE,
            wordWrap="CJK",  # break between any two characters, but not before 。，；） (kinsoku)
        )
        self.flush = ParagraphStyle("flush", parent=self.body, firstLineIndent=0)
        # 一级标题 in 黑体: the title face when it is a Hei, otherwise the body face
        self.heading = ParagraphStyle(
            "heading",
            parent=self.body,
            fontName=f.title if "hei" in f.title_file.lower() or not f.title_file else f.body,
            keepWithNext=1,  # a heading never ends a page without what it heads
        )
        self.cell = ParagraphStyle(
            "cell", fontName=f.body, fontSize=TABLE_SIZE, leading=TABLE_SIZE * 1.35, wordWrap="CJK"
        )
        self.head = ParagraphStyle("head", parent=self.cell, alignment=1, fontName=f.title)
        # numbers, dates and phone numbers: wrapped only at spaces, so "2026-01-01" stays on one line
        self.cell_plain = ParagraphStyle("cell_plain", parent=self.cell, wordWrap=None)

    def p(self, text: str, style: ParagraphStyle | None = None, *, lead: str = "") -> Paragraph:
        """A paragraph; `lead` is a run-in heading set in the heading face (e.g. "一、帮教期限")."""
        style = style or self.body
        head = (
            f'<font face="{self.heading.fontName}">{markup(lead, self.heading.fontName)}</font>'
            if lead
            else ""
        )
        return Paragraph(head + markup(text, style.fontName), style)


def table(rows: list[list], widths_mm: list[float], st: Styles, *, header: bool = True, spans=()) -> Table:
    """A ruled table in 五号 (10.5 pt); strings become wrapping Paragraphs; the header row repeats on each page."""

    def cell(c, i: int):
        if not isinstance(c, str):
            return c
        style = st.head if header and i == 0 else st.cell_plain if c.isascii() else st.cell
        return Paragraph(markup(c, style.fontName), style)

    cells = [[cell(c, i) for c in row] for i, row in enumerate(rows)]
    scale = (TEXT_WIDTH / mm) / sum(widths_mm)
    t = Table(cells, colWidths=[w * scale * mm for w in widths_mm], repeatRows=1 if header else 0)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), st.cell.fontName),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    style += [("SPAN", a, b) for a, b in spans]
    t.setStyle(TableStyle(style))
    return t


def signature_block(st: Styles, parties: list[tuple[str, str]], *, heading: str = "") -> KeepTogether:
    """Places to sign, two parties to a row: the party ("甲方（盖章）"), a line to sign on ("代表签字"), and
    年 月 日. Kept whole on one page, so a signature never stands apart from its block."""
    font, size = st.flush.fontName, st.flush.fontSize
    column = TEXT_WIDTH / 2 - 12
    style = ParagraphStyle("sig", parent=st.flush, leading=LINE * 1.1)
    cells = []
    for label, line in parties:
        rule = column - pdfmetrics.stringWidth(f"{line}：", font, size)
        blank = "_" * max(4, int(rule / pdfmetrics.stringWidth("_", font, size)))
        date = markup("　　　　年　　月　　日", font)
        cells.append(Paragraph(f"{markup(label, font)}<br/>{markup(line, font)}：{blank}<br/>{date}", style))
    rows = [cells[i : i + 2] + [""] * (2 - len(cells[i : i + 2])) for i in range(0, len(cells), 2)]
    t = Table(rows, colWidths=[TEXT_WIDTH / 2] * 2)
    t.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), LINE / 2),
            ]
        )
    )
    return KeepTogether([Spacer(0, LINE / 2), *([st.p(heading, st.flush)] if heading else []), t])


def sign_line(st: Styles, *labels: str) -> Paragraph:
    """A compact line to sign under a table ("填报人：＿＿　审核人：＿＿　　年　月　日"): two lines at most, so it
    fits under a full table instead of standing alone on a page."""
    font = st.flush.fontName
    parts = [f"{markup(label, font)}：{'_' * 12}" for label in labels]
    parts.append(markup("　　　　年　　月　　日", font))
    gap = markup("　　", font)
    lines = [gap.join(parts[i : i + 2]) for i in range(0, len(parts), 2)]  # two to a line, never split
    style = ParagraphStyle("signline", parent=st.flush, spaceBefore=LINE / 3)
    return Paragraph("<br/>".join(lines), style)


def build(story: list, title: str, st: Styles) -> bytes:
    """Lay `story` out on A4 in the official layout, with the page numbers; PDF bytes."""
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4, title=title, initialFontName=st.faces.body)
    # a frame without ReportLab's default 6 pt padding: the text block is exactly 156 × 225 mm
    frame = Frame(LEFT, BOTTOM, TEXT_WIDTH, A4[1] - TOP - BOTTOM, 0, 0, 0, 0, id="text")

    def page_number(canvas, _doc) -> None:
        n = canvas.getPageNumber()
        canvas.setFont(st.faces.body, PAGE_NUMBER_SIZE)
        y = BOTTOM - 7 * mm - PAGE_NUMBER_SIZE
        text = f"— {n} —"
        if n % 2:  # odd pages: right, one character in
            canvas.drawRightString(A4[0] - RIGHT - PAGE_NUMBER_SIZE, y, text)
        else:
            canvas.drawString(LEFT + PAGE_NUMBER_SIZE, y, text)

    doc.addPageTemplates([PageTemplate("official", [frame], onPage=page_number)])
    doc.build(story)
    return buf.getvalue()
