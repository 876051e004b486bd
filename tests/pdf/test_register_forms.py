"""The printed register forms: the right people on the right pages, IDs masked where the form does not need
them, the font embedded, and every print recorded."""

import io
import os
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from desktop.services import audit_log, demo, key_persons, printing, residents
from desktop.services.residents import ResidentFilter
from tests.conftest import AS_OF

pytestmark = pytest.mark.skipif(
    (shutil.which("pdftoppm") is None or shutil.which("pdffonts") is None) and not os.environ.get("CI"),
    reason="poppler-utils is installed by scripts/system-deps.sh; run the README test command",
)


@pytest.fixture
def demo_db(database):
    demo.build(database, "small", seed=31, as_of=AS_OF)
    return database


def text_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_screening_form_lists_the_village_page_by_page_with_masked_ids(demo_db, tmp_path):
    village_id, village = residents.villages(demo_db)[0]
    ids = residents.resident_ids(demo_db, ResidentFilter(village_id=village_id))
    rows = residents.resident_rows(demo_db, ids)
    pdf = printing.screening_form(demo_db, village_id, "2026年第四季度毒情大排查")
    pages = text_of(pdf)
    assert len(pages) > 1 and all(f"共 {len(pages)} 页" in p for p in pages)
    assert f"{village}一组毒情排查摸底登记表" in pages[0] and "2026年第四季度毒情大排查" in pages[0]
    everything = "".join(pages)
    for r in list(rows.values())[:40]:
        assert r.name in everything and r.id_number_masked in everything
    assert not re.search(r"\d{17}[\dX]", everything)  # no whole ID number on this form
    assert "排查人（签字）" in pages[-1]
    assert audit_log.entries(demo_db)[0].action == "print"
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])


def test_the_person_summary_carries_the_full_number_and_the_history(demo_db):
    person = residents.resident_ids(demo_db, ResidentFilter(key_only=True))[0]
    file = key_persons.file_of(demo_db, person)
    pdf = printing.person_summary(demo_db, person)
    assert audit_log.entries(demo_db)[0].action == "print"
    (page,) = text_of(pdf)
    conn_number = residents.full_id_number(demo_db, person)
    assert "重点人员档案摘要" in page and conn_number in page
    for entry in file.history:
        assert entry.since.isoformat() in page and entry.status in page
    assert "经办人（签字）" in page and "第 1 页 共 1 页" in page


def test_the_person_summary_is_refused_for_a_resident_who_is_not_a_key_person(demo_db):
    """A paper headed 重点人员档案摘要 would mark an ordinary resident as drug-involved: refused, nothing printed."""
    import pytest

    from desktop.errors import NotAKeyPerson

    everyone = residents.resident_ids(demo_db)
    keyed = set(residents.resident_ids(demo_db, ResidentFilter(key_only=True)))
    ordinary = next(p for p in everyone if p not in keyed)
    before = len(audit_log.entries(demo_db))
    with pytest.raises(NotAKeyPerson):
        printing.person_summary(demo_db, ordinary)
    assert len(audit_log.entries(demo_db)) == before  # no print recorded: none made


def test_the_form_renders_on_a_landscape_page_inside_its_margins(demo_db, tmp_path):
    from PySide6.QtGui import QImage

    village_id, _ = residents.villages(demo_db)[0]
    path = tmp_path / "form.pdf"
    path.write_bytes(printing.screening_form(demo_db, village_id))
    subprocess.run(
        ["pdftoppm", "-r", "30", "-gray", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
    )
    image = QImage(str(next(tmp_path.glob("p*.png"))))
    assert image.width() > image.height()  # landscape
    margin = int(image.width() * 10 / 297)
    dark = {
        x
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).lightness() < 128
    }
    assert dark and min(dark) >= margin and max(dark) <= image.width() - margin


def test_the_screening_form_gives_each_group_its_own_pages_and_signature(demo_db, tmp_path):
    """A cadre takes one group's pages to the field: each group starts a page with its own title, ends with the
    lines to sign, and those lines never stand alone on a page; the headings do not break mid-word, and a
    社区 is called 本社区."""
    village_id, village = next(
        (vid, name) for vid, name in residents.villages(demo_db) if name.endswith("社区")
    )
    groups = [name for _, name in residents.groups(demo_db, village_id)]
    pdf = printing.screening_form(demo_db, village_id)
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    pages = [
        subprocess.run(["pdftotext", "-layout", "-f", str(i), "-l", str(i), str(path), "-"],
                       capture_output=True, text=True, check=True).stdout
        for i in range(1, len(PdfReader(path).pages) + 1)
    ]  # fmt: skip
    starts = [i for i, p in enumerate(pages) if "毒情排查摸底登记表" in p]
    assert [next(g for g in groups if f"{village}{g}毒情" in pages[i]) for i in starts] == groups
    signed = [i for i, p in enumerate(pages) if "复核人（签字）" in p]
    assert len(signed) == len(groups)
    for i in signed:  # table rows on the same page as the signature
        assert re.search(r"\*{10}[0-9X]{2}", pages[i])
    assert [i + 1 for i in signed[:-1]] == starts[1:]  # a group's signature, then the next group's page
    header = pages[0]
    for heading in ("序号", "性别", "出生年月", "与户主关系", "居住类型"):
        assert heading in header, heading
    assert "本社区在册居民" in pages[0] and "本村" not in pages[0]
