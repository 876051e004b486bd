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
import re
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
    CondPageBreak,
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


def runs(text: str, font: str) -> list[tuple[str, str]]:
    """`text` cut into (run, face) pieces: the characters `font` has in it, the others in the bundled font."""
    glyphs, bundled = _glyphs(font), register()
    if glyphs is None or font == bundled:
        return [(text, font)] if text else []
    out: list[tuple[str, str]] = []
    for ch in text:
        face = font if ch in "\n\t " or ord(ch) in glyphs else bundled
        if out and out[-1][1] == face:
            out[-1] = (out[-1][0] + ch, face)
        else:
            out.append((ch, face))
    return out


def markup(text: str, font: str) -> str:
    """`text` escaped for a Paragraph, with characters `font` lacks set in the bundled font."""
    text = text.replace("\u3000", _ideographic_space(font))
    return "".join(
        escape(part) if face == font else f'<font face="{face}">{escape(part)}</font>'
        for part, face in runs(text, font)
    )


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
        # a heading over a table: kept with the table's first rows by section(), not with the whole table
        self.section = ParagraphStyle("section", parent=self.heading, keepWithNext=0)
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


PADDING = 6  # ReportLab's default left and right cell padding, in points
PROSE_MIN = 4  # characters to the line a column of Chinese text keeps at least


def _pieces(text: str, kind: str) -> list[str]:
    """What a cell may not break inside: a header's lines (it breaks only at "\n"), a term's parts (a name, a
    role: only after "/" or at a space), a number's (a phone number, a date: only at a space)."""
    if kind == "head":
        return text.split("\n")
    if kind == "term":
        return [p for word in text.split() for p in re.split(r"(?<=/)", word) if p]
    return text.split()


def fit_widths(weights: list[float], minimums: list[float], total: float) -> list[float]:
    """Column widths in proportion to `weights` that add up to `total`, none narrower than its minimum: the
    columns that need more get it, the others share what is left in proportion. Proportional if nothing fits."""
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(weights)) if i not in fixed]
        room = total - sum(fixed.values())
        share = sum(weights[i] for i in free)
        if not free or room <= 0 or share <= 0:
            break
        widths = {i: room * weights[i] / share for i in free}
        short = [i for i in free if widths[i] < minimums[i]]
        if not short:
            return [fixed.get(i, widths.get(i, 0.0)) for i in range(len(weights))]
        fixed.update({i: minimums[i] for i in short})
    return [total * w / sum(weights) for w in weights]


def table(
    rows: list[list],
    widths_mm: list[float],
    st: Styles,
    *,
    header: bool = True,
    spans=(),
    whole: tuple[int, ...] = (),
) -> Table:
    """A ruled table in 五号 (10.5 pt); strings become wrapping Paragraphs; the header row repeats on each page.

    `widths_mm` are proportions. Columns are widened, at the others' expense, so that nothing breaks where a
    reader would stumble: a header only at an explicit "\n", a number (phone, date) never, and in the `whole`
    columns (names, roles, labels) a term only after a "/". Prose columns take what is left."""
    # a cell spread over several columns is measured against none of them
    spanned = {
        (c, r)
        for (c0, r0), (c1, r1) in spans
        if c1 > c0
        for c in range(c0, c1 + 1)
        for r in range(r0, r1 + 1)
    }

    def kind_of(c: str, i: int, j: int) -> str:
        if header and i == 0:
            return "head"
        if j in whole:
            return "term"
        return "number" if c.isascii() else "prose"

    def style_of(kind: str) -> ParagraphStyle:
        return {"head": st.head, "term": st.cell_plain, "number": st.cell_plain}.get(kind, st.cell)

    def width(text: str, style: ParagraphStyle) -> float:
        return pdfmetrics.stringWidth(text, style.fontName, style.fontSize) + 2 * PADDING + 1

    need = {k: [0.0] * len(widths_mm) for k in ("head", "term", "number")}
    # a column of prose keeps room for a few characters to the line, never a sliver one character wide
    body = [(i, r) for i, r in enumerate(rows) if i >= int(header)]
    need["prose"] = [
        PROSE_MIN * st.cell.fontSize + 2 * PADDING + 1
        if all(kind_of(r[j], i, j) == "prose" for i, r in body if isinstance(r[j], str) and r[j])
        else 0.0
        for j in range(len(widths_mm))
    ]
    for i, row in enumerate(rows):
        for j, c in enumerate(row):
            kind = kind_of(c, i, j) if isinstance(c, str) and c and (j, i) not in spanned else "prose"
            if kind != "prose":
                widest = max((width(p, style_of(kind)) for p in _pieces(c, kind)), default=0.0)
                need[kind][j] = max(need[kind][j], widest)
    weights = [float(w) for w in widths_mm]
    # what gives way first when not everything fits: room for prose, then whole headers, then whole terms
    tiers = (("number", "term", "head", "prose"), ("number", "term", "head"), ("number", "term"), ("number",))
    tries = [[max(cols) for cols in zip(*(need[k] for k in tier), strict=True)] for tier in tiers]
    widths = next(
        (fit_widths(weights, m, TEXT_WIDTH) for m in tries if sum(m) <= TEXT_WIDTH),
        fit_widths(weights, [0.0] * len(weights), TEXT_WIDTH),
    )

    def cell(c, i: int, j: int):
        if not isinstance(c, str):
            return c
        kind = kind_of(c, i, j)
        style = style_of(kind)
        lines = c.split("\n")
        if kind == "term" and (j, i) not in spanned and width(c, style) > widths[j]:
            lines = [p for word in c.split() for p in re.split(r"(?<=/)", word) if p]  # break after "/"
        return Paragraph("<br/>".join(markup(line, style.fontName) for line in lines), style)

    t = Table(
        [[cell(c, i, j) for j, c in enumerate(row)] for i, row in enumerate(rows)],
        colWidths=widths,
        repeatRows=int(header),
    )
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


def section(st: Styles, title: str, body: Table, *, rows: int = 2) -> list:
    """A numbered heading and its table. The heading goes to the next page only when the table's header and
    its first `rows` rows would not fit under it; otherwise the table starts here and runs on (keeping the whole
    table with its heading would leave a half-empty page before any table longer than what is left)."""
    heading = st.p(title, st.section)
    _, height = heading.wrap(TEXT_WIDTH, A4[1])
    _, table_height = body.wrap(TEXT_WIDTH, A4[1])
    first = sum((body._rowHeights or [])[: rows + 1]) if body._rowHeights else table_height
    return [
        Spacer(0, LINE / 3),
        CondPageBreak(LINE / 3 + height + min(first, table_height) + 1),
        heading,
        body,
    ]


def signature_block(st: Styles, parties: list[tuple[str, str]], *, heading: str = "") -> KeepTogether:
    """Places to sign, two parties to a row: the party ("甲方（盖章）"), a line to sign on ("代表签字"), and
    年 月 日. Kept whole on one page, so a signature never stands apart from its block."""
    return KeepTogether(signature_parts(st, parties, heading=heading))


def signature_parts(st: Styles, parties: list[tuple[str, str]], *, heading: str = "") -> list:
    """signature_block's flowables, to keep together with what precedes them in one KeepTogether (ReportLab
    cannot measure a KeepTogether inside another: the outer one then always moves to a new page)."""
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
    return [Spacer(0, LINE / 2), *([st.p(heading, st.flush)] if heading else []), t]


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
