"""尿检通知书 on paper (issue 11): one page per notice with its tear-off receipt, the masked ID number only, the
window and the place; both halves carry the number as a Code 128 barcode that a real decoder reads off the
rendered page; a reprint says 第2次打印; the 告诫书 for a no-show; every print in the audit trail."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from desktop.services import audit_log, demo, urine, urine_print, urine_register
from tests.conftest import AS_OF

zxingcpp = pytest.importorskip("zxingcpp")
pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils: scripts/system-deps.sh"
)
TODAY = AS_OF


@pytest.fixture
def notices(database):
    demo.build(database, "small", seed=3, as_of=AS_OF)
    due = urine_register.due(database, until=dt.date(2026, 12, 31), today=TODAY)[:2]
    return urine.issue_many(database, [(d.case_id, d.due_on) for d in due], today=TODAY)


def pages_of(pdf: bytes) -> list[str]:
    return [p.extract_text().replace(" ", "") for p in PdfReader(io.BytesIO(pdf)).pages]


def barcodes(pdf: bytes, tmp_path, page: int) -> list[str]:
    """What a decoder reads off the page rendered at 150 dpi (a scanner's view of a printed sheet)."""
    from PIL import Image

    path = tmp_path / "n.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(page), "-l", str(page), "-singlefile", str(path),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    return [r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))]


def test_each_notice_is_a_page_with_its_receipt_and_a_barcode_a_decoder_reads(database, notices, tmp_path):
    pdf = urine_print.notices_pdf(database, notices)
    pages = pages_of(pdf)
    rows = {r.notice_id: r for r in urine_register.notice_rows(database, today=TODAY)}
    assert len(pages) == 2
    for page in pages:
        assert "尿检通知书" in page and "尿检通知书回执" in page and "沿此线剪开" in page
        assert "派出所接受尿液检测" in page and "第2次打印" not in page
    numbers = {rows[n].number for n in notices}
    assert {n for n in numbers if any(n in p for p in pages)} == numbers
    for n in notices:  # the masked number only: a notice is handed over and may be lost
        assert rows[n].id_masked in "".join(pages)
    read = barcodes(pdf, tmp_path, 1)
    assert len(read) == 2 and len(set(read)) == 1  # the notice and its receipt carry the same number
    assert urine.parse_number(read[0]) in {urine.parse_number(n) for n in numbers}
    assert read[0].startswith("N2026-") and read[0] in pages[0]  # printed in plain characters under the bars
    assert "print" in [e.action for e in audit_log.entries(database)[:3]]


def test_a_reprint_says_which_printing_it_is(database, notices):
    urine_print.notices_pdf(database, notices[:1])
    again = pages_of(urine_print.notices_pdf(database, notices[:1]))
    assert "第2次打印" in again[0]


def test_a_no_show_gets_a_warning_letter_and_others_do_not(database, notices):
    n = notices[0]
    urine.deliver(database, n, on=TODAY, how="当面", by="李主任", today=TODAY)
    with pytest.raises(urine.NoticeNotFound):
        urine_print.warning_letter(database, n, today=TODAY)
    urine.record_result(database, n, on=TODAY, result="未到", today=TODAY)
    text = "".join(
        "".join(pages_of(urine_print.warning_letter(database, n, today=TODAY))).split()
    )  # lines joined
    assert "告诫书" in text and "未按时到场" in text and "累计三次" in text and "已有1次拒检或未到" in text


def test_the_case_record_sheet_carries_its_notices_and_warnings(database, notices):
    from desktop.services import aftercare_print

    n = notices[0]
    case_id = next(r.case_id for r in urine_register.notice_rows(database, today=TODAY) if r.notice_id == n)
    urine.deliver(database, n, on=TODAY, how="当面", by="李主任", today=TODAY)
    urine.record_result(database, n, on=TODAY, result="阳性", tester="赵警官", today=TODAY)
    text = "".join(pages_of(aftercare_print.record_sheet(database, case_id, today=TODAY)))
    number = next(r.number for r in urine_register.notice_rows(database, today=TODAY) if r.notice_id == n)
    assert "五、尿液检测" in text and number in text and "阳性" in text
    assert f"复吸预警：{number}阳性{TODAY.isoformat()}" in text


def test_every_font_of_the_notices_is_embedded(database, notices, tmp_path):
    path = tmp_path / "n.pdf"
    path.write_bytes(urine_print.notices_pdf(database, notices))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all(row[-5] == "yes" for row in rows), fonts
