"""帮教 papers (issue 5): the agreement among the parties with a place for each to sign, the case's record with
who served when, the half-year summary, the rosters; in the official layout (A4, 37 mm top and 28 mm left
margins, 22 pt title, 16 pt body), every font embedded, and every print in the audit."""

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.errors import PermissionDenied
from desktop.pdf import official
from desktop.services import aftercare, aftercare_print, aftercare_records, audit_log, rosters, township

pytestmark = pytest.mark.skipif(
    (shutil.which("pdftotext") is None or shutil.which("pdffonts") is None) and not os.environ.get("CI"),
    reason="poppler-utils is installed by scripts/system-deps.sh; run the README test command",
)
D = dt.date
TODAY = D(2026, 11, 29)
MM = 72 / 25.4


def text_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def words(pdf: bytes, tmp_path: Path) -> list[tuple[float, float, float, float, str]]:
    """Every word poppler finds, with its box in points from the top-left of its page."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(pattern, html)]


def fonts_of(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


@pytest.fixture
def case(database, aftercare_case):
    aftercare.add_member(
        database,
        aftercare_case,
        role="村（社区）干部",
        name="李主任",
        unit="东山村委会",
        since=D(2026, 6, 1),
        first_responsible=True,
    )
    police = aftercare.add_member(
        database, aftercare_case, role="社区民警", name="王警官", unit="严塘派出所", since=D(2026, 6, 1)
    )
    aftercare.add_member(database, aftercare_case, role="家庭成员/监护人", name="钱母", since=D(2026, 6, 1))
    aftercare.replace_member(database, police, name="赵警官", unit="严塘派出所", on=D(2026, 9, 1))
    aftercare.add_talk(
        database,
        aftercare_case,
        held_on=D(2026, 10, 8),
        kind="家访",
        by_whom="李主任",
        thinking="情绪稳定",
        income="务工",
        whereabouts="在家",
        today=TODAY,
    )
    aftercare_records.add_employment(
        database, aftercare_case, job="装卸工", employer="严塘物流公司", since=D(2026, 9, 15), today=TODAY
    )
    return aftercare_case


def test_the_agreement_names_the_parties_and_has_a_place_for_each_to_sign(database, case, tmp_path):
    pdf = aftercare_print.agreement(database, case, today=TODAY)
    pages = text_of(pdf)
    everything = "".join(pages).replace(" ", "").replace("\n", "")
    assert pages[0].replace(" ", "").splitlines()[:2] == ["—1—", "戒毒出所人员帮教协议书"]
    assert "甲方：严塘镇人民政府（禁毒办）" in everything
    assert "钱某，男，身份证号码：430522198803045619" in everything  # the full number, to be signed on
    assert "自2026年6月1日起至2029年6月1日止，共3年" in everything
    assert "每30日至少" in everything  # the township's talk interval, not a fixed word
    last = pages[-1].replace(" ", "").replace("\n", "")
    for signer in ("甲方（盖章）", "乙方（帮教对象）", "李主任签字", "赵警官签字", "钱母签字"):
        assert signer in last  # all signatures together, on the last page
    assert "王警官" not in everything  # replaced before the agreement was printed
    assert "六、其他" in last  # the last clause stands with the signatures, never a page of signatures alone
    assert audit_log.entries(database)[0].action == "print"
    assert all(f[-5] == "yes" for f in fonts_of(pdf, tmp_path))  # every font embedded


def test_the_official_layout_margins_and_page_numbers(database, case, tmp_path):
    pdf = aftercare_print.agreement(database, case, today=TODAY)
    reader = PdfReader(io.BytesIO(pdf))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width / MM), round(height / MM)) == (210, 297)  # A4
    boxes = words(pdf, tmp_path)
    numbers = [b for b in boxes if re.fullmatch(r"\d+", b[4]) and b[1] > height - 35 * MM]
    body = [b for b in boxes if b not in numbers and b[4] != "—"]
    assert min(b[0] for b in body) >= 28 * MM - 1  # left margin 28 mm
    assert max(b[2] for b in body) <= width - 26 * MM + 17  # right margin 26 mm (a mark may hang)
    assert min(b[1] for b in body) >= 37 * MM - 2  # top margin 37 mm
    assert max(b[3] for b in body) <= height - 35 * MM + 2  # bottom margin 35 mm
    # "— 1 —" on the right of odd pages, "— 2 —" on the left of even ones
    first, second = sorted(numbers, key=lambda b: b[4])[:2]
    assert first[0] > width / 2 > second[2]
    sizes = {round(float(m)) for m in re.findall(r"/F[\w+]+ ([\d.]+) Tf", _content(reader))}
    assert {22, 16} <= sizes  # 二号 title, 三号 body


def _content(reader: PdfReader) -> str:
    return "".join(page.get_contents().get_data().decode("latin-1") for page in reader.pages)


def test_the_title_is_set_in_the_systems_song_face_and_the_body_falls_back_to_the_bundled_font(tmp_path):
    """This machine has AR PL UMing (fonts-arphic-uming, installed by scripts/system-deps.sh) and no FangSong."""
    system = official.faces((Path("/usr/share/fonts"),))
    assert system.title_file.endswith("uming.ttc") and system.body_file == ""
    bare = official.faces((tmp_path,))
    assert bare.title == bare.body == "WuduCJK" and bare.title_file == ""


def test_a_character_the_official_face_lacks_is_printed_from_the_bundled_font(tmp_path):
    """勊 is not in UMing: set in UMing alone it would print blank."""
    faces = official.faces((Path("/usr/share/fonts"),))
    assert official.markup("钱勊", faces.title) == '钱<font face="WuduCJK">勊</font>'
    st = official.Styles(faces)
    pdf = official.build([st.p("钱勊帮教协议书", st.title)], "x", st)
    assert "钱勊" in text_of(pdf)[0].replace(" ", "")
    names = " ".join(f[0] for f in fonts_of(pdf, tmp_path))
    assert "UMingCN" in names and "WenQuanYi" in names


def test_the_record_sheet_keeps_who_served_when_and_what_was_done(database, case):
    aftercare_records.add_review(
        database,
        case,
        year=2026,
        half=1,
        risk="低",
        text="按时报到。",
        by_whom="李主任",
        written_on=D(2026, 7, 5),
        today=TODAY,
    )
    pages = text_of(aftercare_print.record_sheet(database, case, today=TODAY))
    everything = "".join(pages).replace(" ", "").replace("\n", "")
    assert "帮教对象帮教工作记录" in everything
    assert "王警官" in everything and "2026-09-01" in everything  # the officer replaced, and when
    assert "赵警官" in everything and "思想：情绪稳定" in everything and "装卸工" in everything
    assert "2026年上半年" in everything and "半年小结" in everything


def test_the_review_sheet_marks_the_risk_and_leaves_room_to_sign(database, case):
    rid = aftercare_records.add_review(
        database,
        case,
        year=2026,
        half=1,
        risk="中",
        text="思想基本稳定。\n在物流公司务工。",
        by_whom="李主任",
        written_on=D(2026, 7, 5),
        today=TODAY,
    )
    everything = "".join(text_of(aftercare_print.review_sheet(database, rid, today=TODAY))).replace(" ", "")
    assert "帮教对象半年帮教小结" in everything and "2026年上半年" in everything
    assert "□低■中□高" in everything
    assert "思想基本稳定。" in everything and "李主任签字" in everything


def test_the_rosters_list_who_serves_and_no_id_numbers(database, case):
    rosters.add_entry(
        database, kind="毒情信息员", name="周某", village="东山村", since=D(2026, 1, 1), today=TODAY
    )
    gone = rosters.add_entry(database, kind="毒情信息员", name="吴某", since=D(2026, 1, 1), today=TODAY)
    rosters.end_entry(database, gone, until=D(2026, 6, 1), today=TODAY)
    group = "".join(text_of(aftercare_print.group_roster(database, on=TODAY))).replace(" ", "")
    assert "新邵县严塘镇帮教小组成员名册" in group and "帮教对象1人，小组成员3人次" in group
    assert "钱某" in group and "赵警官" in group and "王警官" not in group
    assert not re.search(r"\d{17}[\dX]", group)
    informants = "".join(text_of(aftercare_print.roster(database, "毒情信息员", on=TODAY))).replace(" ", "")
    assert "毒情信息员名册" in informants and "周某" in informants and "吴某" not in informants


def test_papers_with_a_full_id_number_need_that_right(database, case):
    from desktop.models.enums import Role
    from desktop.services import accounts

    accounts.create_user(database, "chakan", "李娜", Role.VIEWER, "viewer-pass-1")
    path = database.path
    database.close()
    viewer = accounts.log_in(path, "chakan", "viewer-pass-1")
    try:
        with pytest.raises(PermissionDenied):
            aftercare_print.agreement(viewer, case, today=TODAY)
        assert township.aftercare_rules(viewer).talk_interval_days == 30  # reading stays open to a viewer
    finally:
        viewer.close()


def test_an_agreement_printed_before_the_group_is_formed_leaves_a_line_for_each_role(
    database, aftercare_case
):
    last = text_of(aftercare_print.agreement(database, aftercare_case, today=TODAY))[-1].replace(" ", "")
    assert "丙方（帮教小组）：（尚未组成）" in "".join(
        text_of(aftercare_print.agreement(database, aftercare_case, today=TODAY))
    ).replace(" ", "").replace("\n", "")
    for role in ("社区民警", "村（社区）干部", "家庭成员/监护人"):
        assert role in last


def test_the_group_roster_counts_the_people_the_tab_counts(tmp_path):
    """The demo township has open cases whose group was never formed: the roster lists them as 未组建, so the
    paper's 帮教对象 count is the tab's 在帮教 count."""
    from desktop import db as store
    from desktop.services import accounts, aftercare_register, demo
    from tests.conftest import AS_OF

    d = accounts.create_installation(tmp_path / store.DB_FILENAME, "admin", "correct-horse-7").db
    try:
        demo.build(d, "township", seed=2026, as_of=AS_OF)
        open_cases = len(aftercare_register.case_rows(d, today=AS_OF))
        unformed = len(rosters.cases_without_group(d, on=AS_OF))
        assert unformed > 0
        text = "".join(text_of(aftercare_print.group_roster(d, on=AS_OF))).replace(" ", "").replace("\n", "")
    finally:
        d.close()
    assert f"帮教对象{open_cases}人，其中小组未组建{unformed}人" in text
    assert text.count("小组未组建") == unformed + 1
