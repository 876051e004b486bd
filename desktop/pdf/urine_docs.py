"""尿检通知书 with its tear-off receipt (回执), one A4 page each, and the 告诫书 for a no-show. Plain data in, PDF
bytes out.

Each half carries the notice number as a Code 128 barcode (every USB scanner reads it): the bars hold the ASCII
form (N2026-0042; Code 128 has no Chinese), printed in plain characters under them. ReportLab's Code 128
encoder gives the bar pattern; the bars are drawn as rectangles straight on the canvas, with the text lines
pre-broken here, so a thousand notices take seconds (benchmarks/notices.py).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desktop.pdf.canvas_text import BAR_HEIGHT, draw_barcode, draw_text, wrap
from desktop.pdf.official import (
    LEFT,
    LINE,
    RIGHT,
    TEXT_WIDTH,
    Styles,
    build,
    cn_date,
    faces,
    signature_block,
)


@dataclass(frozen=True)
class NoticePaper:
    number: str  # 2026-尿-0042
    barcode: str  # N2026-0042
    name: str
    id_masked: str
    basis: str  # 社区戒毒 / 社区康复
    interval_months: int
    window_from: dt.date
    window_to: dt.date
    place: str
    authority: str  # 严塘镇禁毒办
    issued_on: dt.date
    printing: int = 1  # this is the Nth printing of the notice


def every(months: int) -> str:
    return "每月" if months == 1 else f"每{months}个月"


def _paragraph(
    c: Canvas, text: str, y: float, font: str, size: float, leading: float, indent: bool = True
) -> float:
    first = "\u3000\u3000" if indent else ""
    for line in wrap(first + text, font, size, TEXT_WIDTH):
        draw_text(c, LEFT, y, line, font, size)
        y -= leading
    return y


def _notice_half(c: Canvas, n: NoticePaper, title: str, top: float, st: Styles) -> float:
    body, head = st.faces.body, st.faces.title
    c.setFont(head, 20)
    c.drawCentredString(LEFT + TEXT_WIDTH / 2, top - 22, title)
    c.setFont(body, 11)
    c.drawString(LEFT, top - 50, f"编号：{n.number}")
    if n.printing > 1:
        c.drawString(LEFT, top - 64, f"第{n.printing}次打印")
    draw_barcode(c, n.barcode, A4[0] - RIGHT, top - 30, body)
    return top - 30 - BAR_HEIGHT - 26


def _notice(c: Canvas, n: NoticePaper, st: Styles) -> None:
    body = st.faces.body
    size, leading = 14, 24
    window = f"{cn_date(n.window_from)}至{cn_date(n.window_to)}"
    y = _notice_half(c, n, "尿检通知书", A4[1] - 18 * mm, st)
    draw_text(c, LEFT, y, f"{n.name}（身份证号码 {n.id_masked}）：", body, size)
    y = _paragraph(
        c,
        f"根据《中华人民共和国禁毒法》《戒毒条例》和你的{n.basis}协议，请你于{window}期间，持本通知书到"
        f"{n.place}接受尿液检测（{n.basis}期间{every(n.interval_months)}检测一次）。无正当理由拒绝接受检测或者"
        "逾期不到的，视为拒绝接受检测，将记入你的帮教档案并报告公安机关依法处理。",
        y - leading,
        body,
        size,
        leading,
    )
    c.setFont(body, size)
    c.drawRightString(A4[0] - RIGHT, y - 10, f"{n.authority}（盖章）")
    c.drawRightString(A4[0] - RIGHT, y - 10 - leading, cn_date(n.issued_on))
    cut = A4[1] / 2 - 10 * mm
    c.setDash(4, 3)
    c.line(LEFT - 10 * mm, cut, A4[0] - RIGHT + 10 * mm, cut)
    c.setDash()
    c.setFont(body, 9)
    c.drawCentredString(A4[0] / 2, cut + 4, "（沿此线剪开，回执由送达人签收后交回禁毒办）")
    y = _notice_half(c, n, "尿检通知书回执", cut - 10 * mm, st)
    y = _paragraph(
        c,
        f"本人已收到编号为{n.number}的尿检通知书，知悉应于{window}期间到{n.place}接受尿液检测。",
        y,
        body,
        size,
        leading,
    )
    for line in (
        "被通知人（签字、捺印）：＿＿＿＿＿＿＿　　　　年　　月　　日",
        "送达方式：□当面　□电话　□家属代收（代收人：＿＿＿＿，与本人关系：＿＿＿）",
        "送达人（签字）：＿＿＿＿＿＿＿　　　　送达日期：　　　　年　　月　　日",
    ):
        y -= leading * 0.6
        draw_text(c, LEFT, y, line, body, 12)
        y -= leading
    c.setFont(body, 9)
    c.drawString(
        LEFT, 18 * mm, "回执交回禁毒办后，扫描上方条码即登记为已送达。本通知书含个人信息，不得外传。"
    )


def build_notices(notices: list[NoticePaper]) -> bytes:
    """Every notice on a page of its own, in the order given."""
    st = Styles(faces())
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=st.faces.body)  # no unembedded Helvetica
    c.setTitle("尿检通知书")
    for n in notices:
        _notice(c, n, st)
        c.showPage()
    c.save()
    return buf.getvalue()


@dataclass(frozen=True)
class WarningLetter:
    number: str
    name: str
    id_masked: str
    basis: str
    window_from: dt.date
    window_to: dt.date
    place: str
    authority: str
    written_on: dt.date
    evasions: int  # refusals and no-shows in the term so far, this one included


def build_warning_letter(w: WarningLetter) -> bytes:
    """告诫书 for a no-show, in the official layout, with a place for the person to sign they received it."""
    st = Styles(faces())
    right = ParagraphStyle("right", parent=st.flush, alignment=2, spaceBefore=LINE / 2)
    story = [
        st.p("告诫书", st.title),
        st.p(f"{w.name}（身份证号码 {w.id_masked}）：", st.flush),
        st.p(
            f"你应于{cn_date(w.window_from)}至{cn_date(w.window_to)}期间到{w.place}接受尿液检测（通知书编号"
            f"{w.number}），但未按时到场。根据《戒毒条例》，{w.basis}人员应当按照要求定期接受检测；无正当理由"
            "拒绝接受检测或者逾期不到，属于违反" + w.basis + "协议的行为。"
        ),
        st.p(
            f"本期限内你已有{w.evasions}次拒检或未到。现予告诫：请你自收到本告诫书之日起七日内到{w.place}"
            "补做检测，并向帮教小组说明情况。在"
            + w.basis
            + "期间累计三次拒绝接受检测或者逾期不到的，属于严重违反协议，将由公安机关依法决定强制隔离戒毒。"
        ),
        st.p(f"{w.authority}（盖章）", right),
        st.p(cn_date(w.written_on), right),
        signature_block(st, [("被告诫人", "签字（捺印）"), ("送达人", "签字")]),
    ]
    return build(story, f"{w.name}告诫书", st)
