"""A whole village's screening sheet through Excel (issue 10): written with the campaign's households group by
group, filled in as cadres do, read back with a preview; refused rows say why and stop the import unless the
clerk takes only the good ones; importing the same file twice changes nothing; a blank result is not 正常."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from desktop import messages
from desktop.services import audit_log, campaigns, demo, people_excel, people_template, residents
from desktop.services import screening_excel as sx
from tests.conftest import AS_OF, raw

START, END = dt.date(2026, 10, 1), dt.date(2026, 12, 31)
DAY = "2026-11-05"


@pytest.fixture
def sheet(database, tmp_path):
    demo.build(database, "small", seed=41, as_of=AS_OF)
    (v1, village), (v2, _) = residents.villages(database)[:2]
    cid = campaigns.create_campaign(database, "2026年第四季度毒情大排查", START, END, [v1])
    path = tmp_path / "东山村排查表.xlsx"
    count = sx.write_sheet(database, cid, v1, path)
    return database, cid, v1, path, count


def fill(path, rows: dict[int, tuple]) -> None:
    """Fill columns E–H (结果, 日期, 排查人, 备注) of the given sheet rows, as a cadre types them."""
    wb = load_workbook(path)
    ws = wb[sx.SHEET]
    for row, values in rows.items():
        for offset, value in enumerate(values):
            ws.cell(row=row, column=5 + offset, value=value)
    wb.save(path)


def screened(database, cid) -> int:
    return sum(g.screened for g in campaigns.completeness(database, cid))


def test_the_sheet_lists_every_household_of_the_village_group_by_group(sheet):
    database, cid, v1, path, count = sheet
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "填写说明" and sx.SHEET in wb.sheetnames
    ws = wb[sx.SHEET]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    total = sum(g.total for g in campaigns.completeness(database, cid))
    assert count == len(rows) == total > 10
    groups = [r[0] for r in rows]
    assert groups == sorted(groups, key=[g for g in dict.fromkeys(groups)].index)  # each group together
    assert all(r[4] in (None, "") for r in rows)  # nothing pre-filled: a blank is "not visited"
    assert "正常" in ws.data_validations.dataValidation[0].formula1
    assert audit_log.entries(database)[0].action == "export"


def test_a_filled_sheet_is_previewed_imported_and_a_second_import_changes_nothing(sheet):
    database, cid, _v1, path, count = sheet
    fill(
        path,
        {
            2: ("正常", DAY, "李娜"),
            3: ("正常", "2026/11/6", "李娜"),
            4: ("疑似涉毒", "2026年11月7日", "王强", "夜间常有陌生人出入"),
        },
    )
    plan = sx.preview(database, path, today=AS_OF)
    assert (plan.count("new"), plan.count("skipped"), plan.refused) == (3, count - 3, [])
    result = sx.import_sheet(database, path, today=AS_OF)
    assert (result.written, result.skipped) == (3, count - 3)
    assert screened(database, cid) == 3
    again = sx.import_sheet(database, path, today=AS_OF)
    assert (again.written, again.unchanged) == (0, 3) and screened(database, cid) == 3
    # a corrected row in the same file is a correction of that household's visit, not a second one
    fill(path, {2: ("人户分离", DAY, "李娜")})
    assert sx.preview(database, path, today=AS_OF).count("changed") == 1
    sx.import_sheet(database, path, today=AS_OF)
    assert screened(database, cid) == 3
    conn = raw(database)
    results = [r for (r,) in conn.execute("SELECT result FROM screening WHERE campaign_id = ?", (cid,))]
    conn.close()
    assert sorted(results) == ["人户分离", "正常", "疑似涉毒"]


def test_refused_rows_say_why_and_nothing_is_written_until_the_clerk_takes_only_the_good_rows(sheet):
    database, cid, _v1, path, _count = sheet
    wb = load_workbook(path)
    ws = wb[sx.SHEET]
    ws.cell(row=3, column=2, value="999")  # 户号 edited
    ws.append([ws.cell(row=4, column=c).value for c in range(1, 10)])  # a row pasted twice
    ws.append(["一组", "000001", "张三", "", "正常", DAY, "李娜", "", "99999"])  # a household of no sheet
    wb.save(path)
    fill(path, {2: ("正常", DAY, "李娜"), 4: ("正常", DAY, "李娜"), 5: ("好", DAY, "李娜"),
                6: ("正常", "2026-12-30", "李娜"), 7: ("正常", "2026-09-01", "李娜"), 8: ("正常", DAY, ""),
                9: ("正常", "十一月五日", "李娜")})  # fmt: skip
    plan = sx.preview(database, path, today=AS_OF)
    reasons = {r.row: r.reasons() for r in plan.refused}
    assert "小组或户号与登记不符" in reasons[3]
    assert "排查结果只能是" in reasons[5]
    assert "晚于今天" in reasons[6] and "不在本次排查的时间内" in reasons[7]
    assert "排查人不能为空" in reasons[8] and "无法识别" in reasons[9]
    assert any("与第4行重复" in text for text in reasons.values())
    assert any("不是本村登记在册的户" in text for text in reasons.values())
    with pytest.raises(people_excel.ImportRefused) as refused:
        sx.import_sheet(database, path, today=AS_OF)
    assert "整个文件都没有导入" in messages.describe(refused.value)
    assert screened(database, cid) == 0
    result = sx.import_sheet(database, path, only_valid=True, today=AS_OF)
    assert result.written == 2 and screened(database, cid) == 2


def test_a_workbook_that_is_not_a_screening_sheet_is_refused_in_chinese(sheet, tmp_path):
    database, cid, v1, path, _count = sheet
    template = people_template.write_template(database, tmp_path / "模板.xlsx")
    with pytest.raises(sx.NotAScreeningSheet) as exc:
        sx.preview(database, template, today=AS_OF)
    assert "不是本程序导出的排查表" in messages.describe(exc.value)
    wb = load_workbook(path)
    wb[sx.META]["B1"] = 424242  # a sheet of a campaign this database does not have (another township's)
    wb.save(path)
    with pytest.raises(sx.NotAScreeningSheet) as exc:
        sx.preview(database, path, today=AS_OF)
    assert "不存在" in messages.describe(exc.value)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("missing", "找不到文件"), ("folder", "是一个文件夹"), ("txt", "不是Excel的.xlsx文件"), ("empty", "文件是空的"),
     ("truncated", "不完整或已损坏"), ("xls", "另存为.xlsx")],
)  # fmt: skip
def test_a_wrong_file_offered_as_a_sheet_is_refused_in_chinese_and_changes_nothing(
    sheet, tmp_path, kind, expected
):
    from desktop.errors import DomainError

    database, cid, _v1, path, _count = sheet
    bad = {"missing": tmp_path / "没有.xlsx", "folder": tmp_path / "目录.xlsx", "txt": tmp_path / "a.xlsx",
           "empty": tmp_path / "empty.xlsx", "truncated": tmp_path / "cut.xlsx", "xls": tmp_path / "old.xls"}[kind]  # fmt: skip
    if kind == "folder":
        bad.mkdir()
    elif kind == "txt":
        bad.write_text("小组,户号\n一组,0001\n", "utf-8")
    elif kind == "empty":
        bad.write_bytes(b"")
    elif kind == "truncated":
        bad.write_bytes(path.read_bytes()[:3000])
    elif kind == "xls":
        bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)
    for act in (
        lambda: sx.preview(database, bad, today=AS_OF),
        lambda: sx.import_sheet(database, bad, today=AS_OF),
    ):
        with pytest.raises(DomainError) as refused:
            act()
        assert expected in messages.describe(refused.value)
    assert screened(database, cid) == 0


def test_the_sheet_is_not_written_into_a_missing_folder_or_onto_a_folder(sheet, tmp_path):
    from desktop.errors import FileProblem

    database, cid, v1, _path, _count = sheet
    for target, expected in ((tmp_path / "没有" / "表.xlsx", "文件夹不存在"), (tmp_path, "是一个文件夹")):
        with pytest.raises(FileProblem) as refused:
            sx.write_sheet(database, cid, v1, target)
        assert expected in messages.describe(refused.value)
