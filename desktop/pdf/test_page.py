"""打印测试页: one A4 page to check the Chinese font and the printer, with no personal data on it."""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desktop.pdf.fonts import register

SAMPLE = "禁毒宣传 排查登记 帮教小组 尿检通知 责任书"
SIGNATURE = "签名：______________    日期：______年____月____日"
RARE = "生僻字检查：堃 犇 淼 昇 玥 喆 燊 甡 鑫"


def official_fonts_line() -> str:
    """Which faces the official documents (协议书, 名册) use on this PC: a support question answered on paper."""
    from pathlib import Path

    from desktop.pdf.official import faces

    f = faces()
    title = Path(f.title_file).name if f.title_file else "内置黑体"
    body = Path(f.body_file).name if f.body_file else "内置字体（本机未找到仿宋）"
    return f"公文字体：标题 {title}；正文 {body}"


def build_test_page(township_name: str | None, version: str, today: dt.date | None = None) -> bytes:
    """`township_name` None: made without logging in (`wudu test-page`), so the township was not read."""
    font = register()
    today = today or dt.date.today()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=font, initialFontSize=14)
    c.setTitle("打印测试页")
    width, height = A4
    c.setFont(font, 22)
    c.drawCentredString(width / 2, height - 37 * mm, "无毒社区工作台 打印测试页")
    c.setFont(font, 14)
    y = height - 60 * mm
    lines = [
        "乡镇："
        + ("（未登录生成，未读取乡镇名称）" if township_name is None else township_name or "（尚未设置）"),
        f"程序版本：{version}",
        f"打印日期：{today.year}年{today.month}月{today.day}日",
        SAMPLE,
        RARE,
        SIGNATURE,
        "数字和字母：0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ X",
    ]
    lines.append(official_fonts_line())
    for line in lines:
        c.drawString(28 * mm, y, line)
        y -= 11 * mm
    c.setLineWidth(0.8)
    c.rect(28 * mm, 40 * mm, width - 56 * mm, 50 * mm)
    c.setFont(font, 11)
    c.drawString(32 * mm, 82 * mm, "边框检查：四边框线应完整，距纸边左右各28毫米、下边40毫米。")
    c.drawCentredString(width / 2, 20 * mm, "第 1 页 共 1 页")
    c.showPage()
    c.save()
    return buf.getvalue()
