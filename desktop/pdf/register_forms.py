"""排查登记表 (a village's households, for the screener to take round) and 重点人员档案摘要 (one person's file).

Plain data in, PDF bytes out. A4, the bundled CJK font embedded, the township on every page, 第X页 共Y页, and the
signature lines the paper needs.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from desktop.pdf.fonts import register


@dataclass(frozen=True)
class FormRow:
    household_number: str
    name: str
    sex: str
    birth_date: str  # "1985-03" on the screening form: with the day, a masked number could be rebuilt
    id_number: str  # masked unless the form needs the full number
    relation: str
    residence_type: str
    phone: str
    group: str = ""  # the 小组: the form breaks the page at each, so a cadre takes one group's pages


@dataclass(frozen=True)
class ScreeningForm:
    county: str
    township: str
    village: str
    campaign: str
    rows: tuple[FormRow, ...]
    village_kind: str = "村"  # 村 | 社区: the form says 本村 or 本社区


@dataclass(frozen=True)
class PersonSummary:
    township: str
    name: str
    sex: str
    birth_date: str
    id_number: str
    address: str
    phone: str
    category: str
    first_found_on: str
    decision: str
    history: tuple[tuple[str, str, str], ...]  # (date, status, reason)


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class _NumberedCanvas(Canvas):
    """Draws 第X页 共Y页 once the number of pages is known (the usual two-pass canvas)."""

    footer_y = 10 * mm

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(register(), 9)
            self.drawCentredString(
                self._pagesize[0] / 2, self.footer_y, f"第 {self._pageNumber} 页 共 {total} 页"
            )
            super().showPage()
        super().save()


def _styles(font: str) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle(
            "title", fontName=font, fontSize=18, leading=24, alignment=1, spaceAfter=4 * mm
        ),
        "meta": ParagraphStyle("meta", fontName=font, fontSize=10.5, leading=15),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=12),
        "head": ParagraphStyle("head", fontName=font, fontSize=10, leading=12, alignment=1),
    }


def _table(data, widths, font: str, repeat: int = 1) -> Table:
    table = Table(data, colWidths=widths, repeatRows=repeat)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 9.5),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                *([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))] if repeat else []),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def build_screening_form(form: ScreeningForm, printed_on: dt.date | None = None) -> bytes:
    font = register()
    st = _styles(font)
    printed_on = printed_on or dt.date.today()
    buf = io.BytesIO()
    page = landscape(A4)
    doc = SimpleDocTemplate(
        buf,
        pagesize=page,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=f"{form.village}排查登记表",
        initialFontName=font,
    )

    def header(canvas, _doc) -> None:
        canvas.setFont(font, 9)
        canvas.drawString(15 * mm, page[1] - 9 * mm, f"{form.county}{form.township} · {form.village}")
        canvas.drawRightString(page[0] - 15 * mm, page[1] - 9 * mm, f"打印日期：{_cn_date(printed_on)}")

    head = ["序号", "小组", "户号", "姓名", "性别", "出生年月", "身份证号码", "与户主关系", "居住类型", "联系电话",
            "排查结果", "备注"]  # fmt: skip
    # widths that keep each heading on one line (性别, 与户主关系 no longer break mid-word); 267 mm in all
    widths = [w * mm for w in (12, 15, 18, 22, 12, 20, 38, 23, 20, 26, 28, 33)]
    sign = Paragraph(
        "排查人（签字）：____________________　　　复核人（签字）：____________________"
        "　　　排查日期：______年____月____日",
        st["meta"],
    )
    groups: dict[str, list[FormRow]] = {}
    for r in form.rows:
        groups.setdefault(r.group, []).append(r)
    place = "本社区" if form.village_kind == "社区" else "本村"
    story = []
    for n, (group, rows) in enumerate(groups.items()):
        if n:
            story.append(PageBreak())  # each group on its own pages: a cadre takes one group to the field
        title = f"{form.village}{group}毒情排查摸底登记表" if group else f"{form.village}毒情排查摸底登记表"
        story += [
            Paragraph(title, st["title"]),
            Paragraph(
                f"排查活动：{form.campaign or '日常排查'}　　{place}在册居民 {len(form.rows)} 人"
                + (f"，{group} {len(rows)} 人" if group else "")
                + "　　排查结果填写：正常 / 疑似涉毒 / 在册涉毒人员 / 人户分离 / 无法联系",
                st["meta"],
            ),
            Spacer(0, 3 * mm),
        ]
        data = [
            [str(i), r.group, r.household_number, Paragraph(r.name, st["cell"]), r.sex, r.birth_date, r.id_number,
             r.relation, r.residence_type, r.phone, "", ""]
            for i, r in enumerate(rows, start=1)
        ]  # fmt: skip
        heading = [Paragraph(h, st["head"]) for h in head]
        # the last rows and the lines to sign stay on one page: the signatures never stand alone
        tail = 3 if len(data) > 3 else len(data)
        if len(data) > tail:
            story.append(_table([heading, *data[:-tail]], widths, font))
            story.append(
                KeepTogether([_table(data[-tail:], widths, font, repeat=0), Spacer(0, 8 * mm), sign])
            )
        else:
            story.append(KeepTogether([_table([heading, *data], widths, font), Spacer(0, 8 * mm), sign]))
    doc.build(story, onFirstPage=header, onLaterPages=header, canvasmaker=_NumberedCanvas)
    return buf.getvalue()


def build_person_summary(p: PersonSummary, printed_on: dt.date | None = None) -> bytes:
    font = register()
    st = _styles(font)
    printed_on = printed_on or dt.date.today()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=22 * mm,
        topMargin=30 * mm,
        bottomMargin=22 * mm,
        title=f"{p.name}档案摘要",
        initialFontName=font,
    )
    info = [
        ["姓名", p.name, "性别", p.sex, "出生日期", p.birth_date],
        ["身份证号码", p.id_number, "", "", "联系电话", p.phone],
        ["住址", p.address, "", "", "", ""],
        ["人员类别", p.category, "首次发现", p.first_found_on, "", ""],
        ["决定书", p.decision or "未登记", "", "", "", ""],
    ]
    info_table = _table(info, [22 * mm, 38 * mm, 18 * mm, 20 * mm, 20 * mm, 45 * mm], font, repeat=0)
    info_table.setStyle(
        TableStyle(
            [
                ("SPAN", (1, 1), (3, 1)),
                ("SPAN", (1, 2), (5, 2)),
                ("SPAN", (3, 3), (5, 3)),
                ("SPAN", (1, 4), (5, 4)),
                ("BACKGROUND", (0, 0), (-1, 0), colors.white),
            ]
        )
    )
    history = [[Paragraph(h, st["head"]) for h in ("日期", "状态", "原因或依据")]]
    history += [[d, s, Paragraph(r, st["cell"])] for d, s, r in p.history]
    story = [
        Paragraph("重点人员档案摘要", st["title"]),
        Paragraph(f"{p.township}　　打印日期：{_cn_date(printed_on)}", st["meta"]),
        Spacer(0, 4 * mm),
        info_table,
        Spacer(0, 6 * mm),
        Paragraph("状态记录", st["meta"]),
        Spacer(0, 2 * mm),
        _table(history, [28 * mm, 36 * mm, 99 * mm], font),
        Spacer(0, 12 * mm),
        Paragraph(
            "经办人（签字）：____________________　　　负责人（签字）：____________________", st["meta"]
        ),
        Spacer(0, 4 * mm),
        Paragraph("本摘要含个人身份信息，仅供归档，不得外传。", st["meta"]),
    ]
    doc.build(story, canvasmaker=_NumberedCanvas)
    return buf.getvalue()
