"""密钥恢复单: the recovery key, printed once at setup, to be sealed in an envelope and kept in the office safe."""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desktop.pdf.canvas_text import wrap
from desktop.pdf.fonts import register

INSTRUCTIONS = (
    "1. 本单据用于在所有管理员都忘记密码时恢复数据库，是打开全部记录的唯一备用钥匙。",
    "2. 打印后请立即装入信封、密封、签字，交负责人存放在办公室保险柜中。不要拍照、复印或存放在电脑上。",
    "3. 使用方法：在程序的登录窗口点“用恢复密钥重设密码”，或在命令行运行 wudu recover，"
    "按提示逐字输入上方40个字符（不区分大小写，短横线可省略），再为管理员设置新密码。",
    "4. 恢复密钥只对本数据库有效，还需要数据文件夹中的 wudu.keys 文件（每次备份都会一起备份）。",
)


def build_recovery_sheet(
    recovery_key: str, township: str, db_path: str, created: dt.datetime | None = None
) -> bytes:
    font = register()
    created = created or dt.datetime.now()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=font, initialFontSize=12)
    c.setTitle("密钥恢复单")
    width, height = A4
    left, right = 28 * mm, width - 26 * mm
    c.setFont(font, 22)
    c.drawCentredString(width / 2, height - 37 * mm, "无毒社区工作台 密钥恢复单")
    c.setFont(font, 12)
    y = height - 52 * mm
    for line in (
        f"乡镇：{township or '（设置时尚未填写）'}",
        f"数据库：{db_path}",
        f"生成时间：{created.year}年{created.month}月{created.day}日 {created:%H:%M}",
    ):
        c.drawString(left, y, line)
        y -= 8 * mm
    y -= 4 * mm
    c.setLineWidth(1.2)
    c.rect(left, y - 30 * mm, right - left, 30 * mm)
    c.setFont(font, 11)
    c.drawString(left + 4 * mm, y - 7 * mm, "恢复密钥（共40个字符，分8组）：")
    c.setFont(font, 20)
    groups = recovery_key.split("-")
    c.drawCentredString(width / 2, y - 17 * mm, "  ".join(groups[:4]))
    c.drawCentredString(width / 2, y - 26 * mm, "  ".join(groups[4:]))
    y -= 42 * mm
    c.setFont(font, 11)
    for paragraph in INSTRUCTIONS:
        for line in wrap(paragraph, font, 11, right - left):
            c.drawString(left, y, line)
            y -= 7 * mm
    y -= 12 * mm
    c.setFont(font, 12)
    for label in ("经办人签字：", "负责人签字：", "封存日期："):
        c.drawString(left, y, label)
        c.line(left + 28 * mm, y - 1.5 * mm, left + 95 * mm, y - 1.5 * mm)
        y -= 14 * mm
    c.setFont(font, 9)
    c.drawCentredString(width / 2, 20 * mm, "机密 · 仅供恢复数据库使用 · 第 1 页 共 1 页")
    c.showPage()
    c.save()
    return buf.getvalue()
