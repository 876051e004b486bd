"""责任书 on paper (issue 12): the official layout's margins, the parties and clauses of the version it was made
with, both parties' signature blocks on the last page with the last clause, a barcode in the corner that a real
decoder reads off the rendered page, and every font embedded."""

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from desktop.services import agreement_print, agreement_register, agreements, demo

zxingcpp = pytest.importorskip("zxingcpp")
pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils: scripts/system-deps.sh"
)
TODAY = dt.date(2026, 11, 29)
MM = 72 / 25.4


@pytest.fixture
def printed(database, tmp_path):
    demo.build(database, "small", seed=3, as_of=TODAY)
    agreements.generate(database, 2026, "家庭禁毒承诺书", today=TODAY)
    agreements.generate(database, 2026, "禁毒工作目标责任书", today=TODAY)
    ids = [
        agreement_register.rows(database, 2026, kind=k)[0].agreement_id
        for k in ("家庭禁毒承诺书", "禁毒工作目标责任书")
    ]
    pdf = agreement_print.print_agreements(database, ids, today=TODAY)
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf)
    return database, ids, pdf, path


def pages(pdf: bytes) -> list[str]:
    return [p.extract_text().replace(" ", "").replace("\n", "") for p in PdfReader(io.BytesIO(pdf)).pages]


def test_each_agreement_starts_a_page_with_its_parties_clauses_and_both_signature_blocks(printed):
    database, ids, pdf, _ = printed
    text = pages(pdf)
    household = agreement_register.rows(database, 2026, kind="家庭禁毒承诺书")[0]
    assert text[0].startswith("编号：2026-责-") and "2026年度家庭禁毒承诺书" in text[0]
    assert f"乙方：{household.second_party}" in text[0] and "一、全家人遵守" in text[0]
    assert "甲方（盖章）" in text[0] and "乙方（户主）" in text[0] and "签字（捺印）" in text[0]
    assert "禁毒工作目标责任书" in text[1] and text[1].endswith(
        "—1—"
    )  # the next agreement starts its own page 1
    assert (
        "五、本责任书期限自2026年1月1日" in text[-1] and "甲方（盖章）" in text[-1]
    )  # the last clause signs
    assert [r.state for r in agreement_register.rows(database, 2026) if r.agreement_id in ids] == [
        "已打印"
    ] * 2


def test_the_barcode_in_the_corner_decodes_to_the_agreement_number(printed, tmp_path):
    from PIL import Image

    database, ids, pdf, path = printed
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", str(path),
                    str(tmp_path / "p")], check=True)  # fmt: skip
    read = [r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "p.png"))]
    number = agreement_register.rows(database, 2026, kind="家庭禁毒承诺书")[0].number
    assert len(read) == 1 and agreements.parse_number(read[0]) == agreements.parse_number(number)
    assert read[0] in pages(pdf)[0]  # the ASCII form is printed under the bars


def test_the_text_block_keeps_the_official_margins_and_every_font_is_embedded(printed):
    _, _, _, path = printed
    html = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    boxes = [
        tuple(map(float, b))
        for b in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', html)
    ]
    body = [b for b in boxes if b[1] > 30 * MM and b[3] < 297 * MM - 30 * MM]  # below the number and barcode
    assert min(b[0] for b in body) >= 28 * MM - 1 and max(b[2] for b in body) <= (210 - 26) * MM + 1
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])


def test_a_reprint_after_the_template_changed_prints_the_words_it_was_made_with(printed):
    database, ids, _, _ = printed
    current = agreements.templates(database)["家庭禁毒承诺书"]
    agreements.save_template(
        database, "家庭禁毒承诺书", title=current.title, body="全新的条款，{乙方}承诺。", copies=2
    )
    again = pages(agreement_print.print_agreements(database, ids[:1], today=TODAY))
    assert "一、全家人遵守" in again[0] and "全新的条款" not in again[0]


def test_a_reprint_says_which_printing_it_is(printed):
    database, ids, pdf, _ = printed
    assert "次打印" not in pages(pdf)[0]
    again = pages(agreement_print.print_agreements(database, ids[:1], today=TODAY))
    assert "第2次打印" in again[0]


def test_a_household_added_later_prints_among_its_neighbours(database):
    from desktop.models.idnumber import check_character
    from desktop.services import people, residents

    demo.build(database, "small", seed=3, as_of=TODAY)
    agreements.generate(database, 2026, "家庭禁毒承诺书", today=TODAY)
    village = residents.villages(database)[0][1]
    first17 = "43052219900101001"
    people.add_resident(
        database,
        people.ResidentDraft(village, "一组", "000000", "", "新户", first17 + check_character(first17)),
    )
    agreements.generate(database, 2026, "家庭禁毒承诺书", today=TODAY)
    rows = [r for r in agreement_register.rows(database, 2026, kind="家庭禁毒承诺书") if r.village == village]
    assert (
        rows[0].second_party.startswith("新户") and rows[0].number > rows[1].number
    )  # first by 户号, made last


def test_a_two_line_title_breaks_after_its_quotation_not_inside_a_word(printed):
    _, _, _, path = printed
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line.strip() for line in text.splitlines()]
    assert "2026年度创建“无毒社区”" in lines and "禁毒工作目标责任书" in lines
