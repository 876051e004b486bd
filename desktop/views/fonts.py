"""Register the bundled CJK font once, from bytes, right after QApplication starts."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from desktop.resources import cjk_font_path

_family: str | None = None
# Windows ships these; they render Chinese UI text better than the bundled fallback font.
PREFERRED_SYSTEM_UI = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC")


def register_bundled_font() -> str:
    """The family name of the bundled font, registered with Qt (once)."""
    global _family
    if _family is None:
        font_id = QFontDatabase.addApplicationFontFromData(cjk_font_path().read_bytes())
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            raise RuntimeError(f"Qt refused the bundled font {cjk_font_path()}")
        _family = families[0]
    return _family


def _renders_chinese(family: str) -> bool:
    return (
        QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)
        if family
        else False
    )


def apply_ui_font(app: QApplication) -> str:
    """Use a system Chinese UI font where there is one, else the bundled font; returns the family used."""
    bundled = register_bundled_font()
    installed = set(QFontDatabase.families())
    chosen = next((f for f in PREFERRED_SYSTEM_UI if f in installed), None)
    if chosen is None:
        current = app.font().family()
        chosen = current if _renders_chinese(current) and sys.platform == "win32" else bundled
    font = QFont(chosen, 10)
    # Anything the chosen face lacks (a rare character in a name) falls back to the bundled face.
    font.setFamilies([chosen, bundled])
    app.setFont(font)
    return chosen
