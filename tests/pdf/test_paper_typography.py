"""What a reader of the 帮教 papers stumbles over (issue 10): a header word, a name, a role or a phone number
broken across two lines, and a half-empty page before a table or before the signatures that could have
started there. Built from the papers' own data, read back through poppler's layout text."""

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop.pdf import aftercare_docs as docs

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is installed by scripts/system-deps.sh"
)
D = dt.date
ROLES = ("村（社区）干部", "社区民警", "家庭成员/监护人", "专职社工")
NAMES = ("欧阳明辉", "钟萍娟", "司马文", "杨成帅")
PHONES = ("13193470152", "15150849278", "13690175023", "15254337477")


def layout(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    """Each page's lines as poppler lays them out (a word broken in a cell shows on two lines)."""
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return [page.splitlines() for page in text.stdout.split("\f") if page.strip()]


def whole(word: str, pages: list[list[str]]) -> bool:
    return any(word in line.replace(" ", "") for page in pages for line in page)


def members() -> tuple[docs.Member, ...]:
    return tuple(
        docs.Member(role, name, "东山社区村委会", phone, role == ROLES[0], D(2025, 8, 4))
        for role, name, phone in zip(ROLES, NAMES, PHONES, strict=True)
    )


def facts(group=None) -> docs.CaseFacts:
    subject = docs.Subject(
        "沈燕雪", "女", D(1978, 3, 15), "360426197803152868", "东山社区一组174号", "13800000000"
    )
    return docs.CaseFacts(
        "演示县演示镇", "演示镇人民政府", subject, "社区康复", D(2025, 7, 26), D(2025, 8, 7), "", None,
        D(2025, 8, 4), D(2028, 8, 4), 3, 30, members() if group is None else group,
    )  # fmt: skip


def record(talks: int, group=None) -> bytes:
    return docs.build_record_sheet(
        docs.RecordSheet(
            facts(group),
            tuple(
                docs.Talk(
                    D(2026, 1, 1) + dt.timedelta(days=30 * i),
                    "家访",
                    "钟萍娟",
                    "思想：情绪稳定；收入：低保",
                    "",
                )
                for i in range(talks)
            ),
            (),
            (),
            D(2026, 12, 2),
        )
    )


def test_headers_names_roles_and_phone_numbers_stay_whole_in_the_group_roster(tmp_path):
    lines = tuple(
        docs.GroupRosterLine(case, subject, "社区戒毒", m.role, m.name, m.unit, m.phone, m.first_responsible)
        for case, subject in ((1, "欧阳美兰"), (2, "丁华"))
        for m in members()
    )
    pages = layout(docs.build_group_roster("演示县演示镇", lines, D(2026, 12, 2)), tmp_path)
    for word in (
        "序号",
        "小组成员",
        "角色",
        "单位",
        "联系电话",
        "责任人",
        "欧阳美兰",
        "社区戒毒",
        *NAMES,
        *PHONES,
    ):
        assert whole(word, pages), word
    assert whole("村（社区）干部", pages) and whole("家庭成员/", pages)  # a role breaks only after its "/"


def test_the_record_sheets_headers_and_phone_numbers_stay_whole(tmp_path):
    pages = layout(record(3), tmp_path)
    for word in (
        "责任人",
        "参加日期",
        "离开日期",
        "联系电话",
        "身份证号码",
        "决定书日期",
        *NAMES,
        *PHONES,
    ):
        assert whole(word, pages), word


def test_a_long_talks_table_starts_under_its_heading_instead_of_leaving_half_a_page_empty(tmp_path):
    pages = layout(record(30, members()[:2]), tmp_path)
    first = "".join(pages[0]).replace(" ", "")
    assert "二、谈心、家访、电话记录" in first and "2026-01-01" in first  # its first rows are on page one
    assert len(pages) >= 2 and whole("思想、收入、交往、去向、表现", [pages[1]])  # the header repeats


def test_the_agreements_last_clause_and_all_signatures_are_together_and_follow_on_when_they_fit(tmp_path):
    pages = layout(docs.build_agreement(facts(members()[:1])), tmp_path)
    last = "".join(pages[-1]).replace(" ", "")
    for part in ("六、其他", "甲方（盖章）", "乙方（帮教对象）", "丙方（帮教小组成员）", "欧阳明辉签字"):
        assert part in last
    # with one member the signatures fit under clause five: no new page just for them
    assert "五、违约责任" in last
