"""The bundled TrueType CJK font, registered with ReportLab once (the same file Qt uses)."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop.resources import cjk_font_path

BODY_FONT = "WuduCJK"


def register() -> str:
    if BODY_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(BODY_FONT, str(cjk_font_path()), subfontIndex=0))
    return BODY_FONT
