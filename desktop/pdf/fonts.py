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


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break `text` into lines no wider than `width` points (CJK breaks anywhere; keeps Latin words whole)."""
    lines, line = [], ""
    tokens = []
    word = ""
    for ch in text:
        if ch.isascii() and not ch.isspace():
            word += ch
            continue
        if word:
            tokens.append(word)
            word = ""
        tokens.append(ch)
    if word:
        tokens.append(word)
    for token in tokens:
        if line and pdfmetrics.stringWidth(line + token, font, size) > width:
            lines.append(line.rstrip())
            line = "  " + token.lstrip() if not token.isspace() else "  "
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines
