"""The printed recovery sheet: the key readable on paper and as text, the font embedded, inside the margins."""

import datetime as dt
import io
import os
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from desktop.keystore import new_recovery_key
from desktop.pdf.recovery_sheet import build_recovery_sheet

pytestmark = pytest.mark.skipif(
    (shutil.which("pdftoppm") is None or shutil.which("pdffonts") is None) and not os.environ.get("CI"),
    reason="poppler-utils is installed by scripts/system-deps.sh; run the README test command",
)
KEY = new_recovery_key()


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    data = build_recovery_sheet(
        KEY,
        "严塘镇",
        "C:\\Users\\clerk\\AppData\\Roaming\\wudu\\wudu.sqlite3",
        dt.datetime(2026, 11, 29, 9, 30),
    )
    path = tmp_path_factory.mktemp("sheet") / "sheet.pdf"
    path.write_bytes(data)
    return path


def test_the_sheet_carries_the_key_in_eight_groups_and_the_signature_lines(sheet):
    text = PdfReader(io.BytesIO(sheet.read_bytes())).pages[0].extract_text()
    for group in KEY.split("-"):
        assert group in text
    for label in (
        "密钥恢复单",
        "乡镇：严塘镇",
        "2026年11月29日",
        "经办人签字",
        "负责人签字",
        "封存日期",
        "保险柜",
    ):
        assert label in text


def test_the_font_is_embedded(sheet):
    out = subprocess.run(["pdffonts", str(sheet)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows and all(r.split()[-5] == "yes" for r in rows)


def test_nothing_is_printed_outside_the_margins(sheet, tmp_path):
    """Long instruction lines are wrapped by measured width: no ink in the 20 mm margins."""
    from PySide6.QtGui import QImage

    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-png", str(sheet), str(tmp_path / "p")], check=True)
    image = QImage(str(next(tmp_path.glob("p*.png"))))
    margin = int(image.width() * 20 / 210)
    dark_columns = {
        x
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).lightness() < 128
    }
    assert dark_columns and min(dark_columns) >= margin and max(dark_columns) <= image.width() - margin
