"""Excel in and out for the residents register: the template, import with a preview, export.

Clerks keep rosters in Excel and WPS. The import shows every row with its problems before anything is written;
a file with any refused row writes nothing unless the clerk chooses to import only the good rows, and then the
refused rows go into an error workbook with a reason column, to fix and import again. Re-importing the same file
changes nothing: a row identical to the register is "unchanged", not an error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import func, insert, select, text

from desktop import audit, messages
from desktop.db import Database
from desktop.errors import DomainError, FileProblem, Problem, ValidationFailed, choice
from desktop.models import Household, Person, Village, VillageGroup
from desktop.models.enums import Relation, ResidenceType
from desktop.models.pinyin import initials
from desktop.services import files
from desktop.services.auth import Permission, require
from desktop.services.people import (
    CleanResident,
    ResidentDraft,
    UnitIndex,
    check,
    household_key,
    same_as_registered,
)

COLUMNS = (
    ("village", "村（社区）"),
    ("group", "小组"),
    ("household_number", "户号"),
    ("address", "住址"),
    ("name", "姓名"),
    ("id_number", "身份证号码"),
    ("relation", "与户主关系"),
    ("residence_type", "居住类型"),
    ("work_away_place", "外出务工地点"),
    ("phone", "联系电话"),
    ("registered_on", "登记日期"),
    ("notes", "备注"),
)
HEADERS = tuple(h for _, h in COLUMNS)
TEMPLATE_ROWS = 5000
DATE_FORMATS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)
Progress = Callable[[int, int], None]


class ImportRefused(DomainError):
    """Some rows were refused and the clerk did not choose 'only the good rows': nothing was written."""

    def __init__(self, preview: ImportPreview) -> None:
        super().__init__(f"{len(preview.refused)} rows refused")
        self.preview = preview


class NotATemplate(DomainError):
    def __init__(self, path: Path, missing: list[str]) -> None:
        super().__init__(f"{path}: missing {missing}")
        self.path = path
        self.missing = missing


@dataclass(frozen=True)
class RowOutcome:
    row: int  # the spreadsheet's row number, as the clerk sees it
    status: str  # new | unchanged | refused
    name: str
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()

    def reasons(self) -> str:
        return "；".join(describe(p) for p in self.problems)


@dataclass
class ImportPreview:
    rows: list[RowOutcome] = field(default_factory=list)
    ready: list[CleanResident] = field(default_factory=list)

    @property
    def refused(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.status == "refused"]

    @property
    def new(self) -> int:
        return sum(r.status == "new" for r in self.rows)

    @property
    def unchanged(self) -> int:
        return sum(r.status == "unchanged" for r in self.rows)


@dataclass(frozen=True)
class ImportResult:
    added: int
    unchanged: int
    refused: int
    error_workbook: Path | None


def describe(p: Problem) -> str:
    return messages.describe_problem(p)


# --- the template ----------------------------------------------------------------------------------------------
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


def data_sheet(wb):
    """The sheet with the rows: 居民登记 in the template (after its 填写说明), else a workbook's first sheet."""
    return wb["居民登记"] if "居民登记" in wb.sheetnames else wb.worksheets[0]


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


# --- reading ---------------------------------------------------------------------------------------------------
def parse_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in DATE_FORMATS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                break
    raise ValueError(text)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(path: Path) -> list[tuple[int, ResidentDraft | None, list[Problem]]]:
    """Every data row: its number, a draft, and the problems found in the cells themselves."""
    wb = files.workbook(path, read_only=True, data_only=True)
    try:
        ws = data_sheet(wb)
        rows = ws.iter_rows(values_only=True)
        header = [(_text(h)) for h in next(rows, ())]
        missing = [h for h in HEADERS if h not in header and h not in ("登记日期", "备注", "外出务工地点")]
        if missing:
            raise NotATemplate(Path(path), missing)
        where = {key: header.index(title) for key, title in COLUMNS if title in header}
        out = []
        for number, values in enumerate(rows, start=2):
            if not values or all(v is None or str(v).strip() == "" for v in values):
                continue
            cell = {key: (values[i] if i < len(values) else None) for key, i in where.items()}
            problems = []
            if isinstance(cell.get("id_number"), int | float):
                problems.append(Problem("id_number", "id_as_number", {}))
            registered_on = None
            try:
                registered_on = parse_date(cell.get("registered_on"))
            except ValueError as exc:
                problems.append(Problem("registered_on", "date_format", {"value": str(exc)}))
            draft = ResidentDraft(
                **{key: _text(cell.get(key)) for key, _ in COLUMNS if key not in ("registered_on",)},
                registered_on=registered_on,
            )
            out.append((number, draft, problems))
        return out
    except files.DAMAGED as exc:  # a sheet broken inside an intact zip shows only when it is read
        raise FileProblem(Path(path), "damaged", type(exc).__name__) from exc
    finally:
        wb.close()


def preview(db: Database, path: Path, *, progress: Progress | None = None) -> ImportPreview:
    """What an import would do, row by row. Reads only."""
    require(db, Permission.READ)
    rows = read_rows(path)
    result = ImportPreview()
    with db.session() as s:
        units = UnitIndex.load(s)
        registered = _registered(s, [d.id_number for _, d, _ in rows])
        first_seen: dict[str, int] = {}
        for done, (number, draft, problems) in enumerate(rows, start=1):
            clean, more = check(draft, units)
            if any(p.reason == "id_as_number" for p in problems):
                more = [
                    p for p in more if p.field != "id_number"
                ]  # its digits are gone: one reason is enough
            problems = problems + more
            status = "refused" if problems else "new"
            if not problems:
                if clean.id_number in first_seen:
                    problems.append(
                        Problem("id_number", "duplicate_in_file", {"first_row": first_seen[clean.id_number]})
                    )
                    status = "refused"
                else:
                    first_seen[clean.id_number] = number
                    known = registered.get(clean.id_number)
                    if known is not None:
                        if same_as_registered(*known, clean):
                            status = "unchanged"
                        else:
                            problems.append(Problem("id_number", "id_registered", {"value": clean.id_number}))
                            status = "refused"
                    else:
                        result.ready.append(clean)
            result.rows.append(RowOutcome(number, status, draft.name, tuple(problems)))
            if progress and done % 500 == 0:
                progress(done, len(rows))
    return result


def _registered(s, numbers: list[str]) -> dict[str, tuple[Person, Household | None]]:
    found: dict[str, tuple[Person, Household | None]] = {}
    wanted = [n.strip().upper() for n in numbers if n]
    for start in range(0, len(wanted), 900):
        chunk = wanted[start : start + 900]
        for person, household in s.execute(
            select(Person, Household)
            .outerjoin(Household, Household.id == Person.household_id)
            .where(Person.id_number.in_(chunk))
        ):
            found[person.id_number] = (person, household)
    return found


# --- writing ---------------------------------------------------------------------------------------------------
def import_file(
    db: Database,
    path: Path,
    *,
    only_valid: bool = False,
    error_workbook: Path | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """All or nothing: refused rows stop the import unless `only_valid`; then they go to `error_workbook`."""
    require(db, Permission.WRITE)
    plan = preview(db, path, progress=progress)
    if plan.refused and not only_valid:
        raise ImportRefused(plan)
    error_path = None
    if plan.refused:
        error_path = (
            Path(error_workbook) if error_workbook else Path(path).with_name(Path(path).stem + "-未导入.xlsx")
        )
        write_error_workbook(path, plan, error_path, db.path.parent)
    with db.session() as s:
        households = {  # "8" and "000008" are one household of a group (people.household_key)
            (g, household_key(n)): hid
            for hid, g, n in s.execute(select(Household.id, Household.group_id, Household.number))
        }
        next_household = (s.execute(select(func.max(Household.id))).scalar() or 0) + 1
        next_person = (s.execute(select(func.max(Person.id))).scalar() or 0) + 1
        new_households, rows = [], []
        for c in plan.ready:
            key = (c.group_id, household_key(c.household_number))
            if key not in households:  # the first resident that names a household makes it
                households[key] = next_household
                new_households.append(
                    {
                        "id": next_household,
                        "group_id": c.group_id,
                        "number": c.household_number,
                        "address": c.address,
                    }
                )
                next_household += 1
            rows.append(
                {
                    "id": next_person,
                    "id_number": c.id_number,
                    "name": c.name,
                    "name_initials": initials(c.name),
                    "sex": c.sex,
                    "birth_date": c.birth_date,
                    "household_id": households[key],
                    "relation": c.relation,
                    "residence_type": c.residence_type,
                    "work_away_place": c.work_away_place,
                    "phone": c.phone,
                    "state": "在册",
                    "notes": c.notes,
                    "registered_on": c.registered_on,
                }
            )
            next_person += 1
        # bulk inserts with explicit ids: every row is still audited, by the session, with its id
        for table, batch in ((Household, new_households), (Person, rows)):
            for first in range(0, len(batch), 2000):
                s.execute(insert(table), batch[first : first + 2000])
        audit.record(
            s,
            [
                audit.Change(
                    "import",
                    "person",
                    detail=f"{Path(path).name}：新增{len(rows)}人，"
                    f"无变化{plan.unchanged}人，未导入{len(plan.refused)}行",
                )
            ],
        )
    return ImportResult(len(plan.ready), plan.unchanged, len(plan.refused), error_path)


def write_error_workbook(source: Path, plan: ImportPreview, target: Path, data_dir: Path) -> Path:
    """The refused rows as they were, with the row number and the reason: fix them here and import again."""
    refused = {r.row: r for r in plan.refused}
    wb_in = files.workbook(source, read_only=True, data_only=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "未导入"
    try:
        rows = data_sheet(wb_in).iter_rows(values_only=True)
        header = list(next(rows, ()))
        ws.append(["原行号", "未导入原因", *[_text(v) for v in header]])
        for number, values in enumerate(rows, start=2):
            if number in refused:
                ws.append([number, refused[number].reasons()])
                for column, value in enumerate(values, start=3):
                    files.set_text(ws.cell(ws.max_row, column), _text(value))
    finally:
        wb_in.close()
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.number_format = "@"
    ws.column_dimensions["B"].width = 40
    return files.write_atomically(Path(target), wb.save, data_dir)


def export(db: Database, path: Path, *, village: str = "", residence_type: str = "", flt=None) -> int:
    """The registered residents the register's filter selects (`flt`, a ResidentFilter; or simply a village and
    a residence type) in the template's columns, plus sex and birth date, in register order. Full ID numbers:
    an export the clerk asks for, recorded in the audit trail with what it held."""
    from desktop.services.residents import ORDER, ORDERED_FROM, ResidentFilter, _where

    actor = require(db, Permission.PRINT)
    files.check_writable_target(Path(path))
    if residence_type and residence_type not in {r.value for r in ResidenceType}:
        raise ValidationFailed([choice("residence_type", residence_type, [r.value for r in ResidenceType])])
    if flt is None:
        village_id = None
        if village:
            with db.session() as s:
                village_id = s.execute(select(Village.id).where(Village.name == village)).scalar_one_or_none()
                if village_id is None:
                    raise ValidationFailed([Problem("village", "unknown_village", {"value": village})])
        flt = ResidentFilter(village_id=village_id, residence_type=residence_type)
    where, params = _where(flt, actor.may(Permission.VIEW_FULL_ID))
    sql = (
        "SELECT v.name, g.name, h.number, h.address, p.name, p.id_number, p.relation, p.residence_type, "
        "p.work_away_place, p.phone, p.registered_on, p.notes, p.sex, p.birth_date "
        f"{ORDERED_FROM} WHERE {where} ORDER BY {ORDER}"
    )
    described = "，".join(
        x
        for x in (
            flt.text and f"搜索“{flt.text}”",
            residence_type or flt.residence_type,
            village,
            "只含重点人员" if flt.key_only else "",
        )
        if x
    )
    count = 0

    def write(tmp: Path) -> None:
        nonlocal count
        # write-only: rows stream to the private temp folder (desktop.tempfiles), never to the system's
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("居民登记")
        ws.append([*HEADERS, "性别", "出生日期"])
        with db.read() as conn:
            for row in conn.execute(text(sql), params):
                ws.append([files.text_cell(ws, "" if v is None else v) for v in row])
                count += 1
        wb.save(tmp)

    name = Path(path).name
    try:
        files.write_atomically(Path(path), write, db.path.parent)
    except (DomainError, OSError) as exc:
        # the trail says what happened: a failed export is recorded as failed, with nothing written
        with contextlib.suppress(DomainError, OSError), db.session() as s:  # a full disk may refuse it too
            audit.record(s, [audit.Change("export_failed", "person", detail=f"{name}：{type(exc).__name__}")])
        raise
    try:
        with db.session() as s:
            audit.record(
                s,
                [
                    audit.Change(
                        "export",
                        "person",
                        detail=f"{name}：{count}人" + (f"（{described}）" if described else ""),
                    )
                ],
            )
    except Exception:
        Path(path).unlink(missing_ok=True)  # an export the trail cannot record is not left behind
        raise
    return count
