"""The printed test page: Chinese text that extracts as Chinese, the font embedded, a page that renders."""

import datetime as dt
import io
import os
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from desktop.pdf.test_page import RARE, build_test_page

pytestmark = pytest.mark.skipif(
    (shutil.which("pdftoppm") is None or shutil.which("pdffonts") is None) and not os.environ.get("CI"),
    reason="poppler-utils is installed by scripts/system-deps.sh; run the README test command",
)


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return build_test_page("严塘镇", "0.1.0", today=dt.date(2026, 11, 29))


def test_the_page_is_one_a4_page_with_the_township_and_the_date(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    text = reader.pages[0].extract_text()
    assert "打印测试页" in text and "乡镇：严塘镇" in text and "2026年11月29日" in text
    assert RARE.split("：")[1].split()[0] in text  # a rare name character survives


def test_every_font_is_embedded(pdf_bytes, tmp_path):
    """A font that is not embedded prints as boxes on the office PC, whatever this machine has installed."""
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf_bytes)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        assert row.split()[-5] == "yes", row  # the 'emb' column


def test_the_page_renders_with_ink_inside_the_margins(pdf_bytes, tmp_path):
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", str(path), str(tmp_path / "p")], check=True)
    from PySide6.QtGui import QImage

    image = QImage(str(next(tmp_path.glob("p*.png"))))
    assert image.width() > 200
    dark = [
        (x, y)
        for y in range(image.height())
        for x in range(image.width())
        if QImage.pixelColor(image, x, y).lightness() < 128
    ]
    assert len(dark) > 500  # text and the frame were drawn
    margin_x = int(image.width() * 20 / 210)
    assert all(margin_x <= x <= image.width() - margin_x for x, _ in dark)
