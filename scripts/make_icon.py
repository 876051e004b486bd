"""Draw the program's icon — the anti-drug sign: 毒 under a red ring and bar — into resources/icons/.

    .venv/bin/python scripts/make_icon.py

Writes wudu.png (256 px, the window icon) and wudu.ico (16–256 px, the Windows executable and setup program).
Drawn with Qt and the bundled font, so anyone can redraw it from the source; the files are committed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QIODevice, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RED = QColor("#c8102e")
SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(size: int, family: str) -> QImage:
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.Antialiasing)
    p.setRenderHint(QPainter.TextAntialiasing)
    s = size / 256
    p.setPen(Qt.NoPen)
    p.setBrush(QColor("#ffffff"))
    p.drawEllipse(QRectF(6 * s, 6 * s, 244 * s, 244 * s))
    if size >= 24:  # the character is lost below 24 px; the ring and bar still read as the sign
        font = QFont(family)
        font.setPixelSize(int(150 * s))
        p.setFont(font)
        p.setPen(QColor("#202020"))
        p.drawText(QRectF(0, 0, size, size), Qt.AlignCenter, "毒")
    ring = QPen(RED, 26 * s)
    p.setPen(ring)
    p.setBrush(Qt.NoBrush)
    p.drawEllipse(QRectF(19 * s, 19 * s, 218 * s, 218 * s))
    p.drawLine(int(52 * s), int(52 * s), int(204 * s), int(204 * s))
    p.end()
    return image


def png(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def ico(images: list[QImage]) -> bytes:
    """A Windows icon file holding each image as PNG (Windows Vista and later read these at every size)."""
    payloads = [png(i) for i in images]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries = b""
    for image, data in zip(images, payloads, strict=True):
        side = image.width() if image.width() < 256 else 0  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return header + entries + b"".join(payloads)


def main() -> int:
    from desktop.views.fonts import register_bundled_font

    QApplication.instance() or QApplication(sys.argv[:1])
    family = register_bundled_font()
    folder = ROOT / "resources" / "icons"
    folder.mkdir(parents=True, exist_ok=True)
    draw(256, family).save(str(folder / "wudu.png"))
    (folder / "wudu.ico").write_bytes(ico([draw(size, family) for size in SIZES]))
    print(f"{folder / 'wudu.png'}, {folder / 'wudu.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
