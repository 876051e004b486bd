"""The residents import template (下载导入模板): the sheet to fill with its drop-down lists, and a 填写说明 sheet
first. Reading it back is people_excel's."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from desktop.db import Database
from desktop.models import Village, VillageGroup
from desktop.models.enums import Relation, ResidenceType
from desktop.services import files
from desktop.services.auth import Permission, require
from desktop.services.people_excel import HEADERS, TEMPLATE_ROWS


def write_template(db: Database, path: Path) -> Path:
    """A blank workbook: a 填写说明 sheet first, then the sheet to fill with drop-down lists (villages; the
    chosen village's own groups in the township's order; residence type; relation), ID, phone and household
    columns formatted as text so Excel keeps every digit."""
    require(db, Permission.READ)
    with db.session() as s:
        village_rows = s.execute(
            select(Village.id, Village.name).order_by(Village.sort_order, Village.id)
        ).all()
        group_rows = s.execute(
            select(VillageGroup.village_id, VillageGroup.name).order_by(
                VillageGroup.sort_order, VillageGroup.id
            )
        ).all()
    villages = [name for _, name in village_rows]
    groups_of = {vid: [g for v, g in group_rows if v == vid] for vid, _ in village_rows}
    wb = Workbook()
    ws = wb.active
    ws.title = "居民登记"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    widths = (14, 8, 10, 24, 10, 22, 10, 10, 16, 15, 12, 20)
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    for letter in ("F", "J", "C"):  # ID, phone, household number: text, or Excel drops digits and zeros
        for row in range(2, TEMPLATE_ROWS + 2):
            ws[f"{letter}{row}"].number_format = "@"
    lists = wb.create_sheet("选项")
    lists.sheet_state = "hidden"
    fixed = {"A": villages, "B": [r.value for r in ResidenceType], "C": [r.value for r in Relation]}
    for letter, values in fixed.items():
        for i, value in enumerate(values, start=1):
            lists[f"{letter}{i}"] = value
    # each village's groups in a column of their own (D, E, …), named 小组_1, 小组_2 … in village order, so the
    # 小组 drop-down lists only the groups of the village chosen in the same row (a dependent list)
    for n, (vid, _) in enumerate(village_rows, start=1):
        letter = get_column_letter(3 + n)
        for i, group in enumerate(groups_of[vid] or [""], start=1):
            lists[f"{letter}{i}"] = group
        last = max(len(groups_of[vid]), 1)
        wb.defined_names[f"小组_{n}"] = DefinedName(
            f"小组_{n}", attr_text=f"选项!${letter}$1:${letter}${last}"
        )
    rows = f"2:{TEMPLATE_ROWS + 1}"
    validations = [
        ("A", f"=选项!$A$1:$A${len(villages)}", villages),
        ("H", f"=选项!$B$1:$B${len(fixed['B'])}", fixed["B"]),
        ("G", f"=选项!$C$1:$C${len(fixed['C'])}", fixed["C"]),
        ("B", f'=INDIRECT("小组_"&MATCH($A2,选项!$A$1:$A${len(villages)},0))', villages),
    ]
    for target, formula, values in validations:
        if not values:
            continue
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        dv.error, dv.errorTitle = "请从下拉列表中选择（小组请先选村）", "输入有误"
        ws.add_data_validation(dv)
        start_row, end_row = rows.split(":")
        dv.add(f"{target}{start_row}:{target}{end_row}")
    ws.freeze_panes = "A2"
    _instructions(wb.create_sheet("填写说明", 0), villages)
    wb.active = 1
    return files.write_atomically(Path(path), wb.save, db.path.parent)


def _instructions(ws, villages: list[str]) -> None:
    """The first sheet: what to fill, in which form, and what happens to a row that is refused."""
    lines = [
        ("居民登记导入模板 — 填写说明", True),
        ("", False),
        ("在“居民登记”表中每行填写一位居民，第一行是列名，请勿改动。", False),
        ("必填：村（社区）、小组、户号、姓名、身份证号码。其余各列可空。", False),
        ("村（社区）和小组：从下拉列表中选择；先选村，小组列表只列出这个村的小组。", False),
        (
            "户号：同一小组内同一户填相同户号，例如 000008（写成 8 也认作同一户）。同户第一行的住址即该户住址。",
            False,
        ),
        (
            "身份证号码：18位，最后一位可以是X；列已设为文本格式，请不要改成数字格式，否则末几位会变成0。",
            False,
        ),
        ("性别和出生日期从身份证号码读出，不必填写。", False),
        ("与户主关系、居住类型：从下拉列表中选择；不填时按“户主”“常住”。外出务工的请填外出务工地点。", False),
        ("联系电话：11位手机号码或带区号的固定电话。", False),
        ("登记日期：2026-01-05、2026/1/5、2026.1.5 或 2026年1月5日，也可以是Excel的日期单元格。", False),
        ("", False),
        ("导入时：程序先逐行检查并列出每一行的问题；只要有一行不合格，整个文件都不会导入。", False),
        (
            "可以改正后重新导入；也可以选择“只导入合格的行”，不合格的行连同原因另存为“…-未导入.xlsx”，改好后再导入。",
            False,
        ),
        ("重复导入同一个文件不会重复登记：与登记相同的行记为“无变化”。", False),
        ("", False),
        ("本乡镇的村（社区）：" + "、".join(villages), False),
    ]
    for i, (text_, bold) in enumerate(lines, start=1):
        cell = ws.cell(i, 1, text_)
        if bold:
            cell.font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 110
