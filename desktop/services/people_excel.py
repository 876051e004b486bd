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
from sqlalchemy import func, insert, select, text

from desktop import audit, messages
from desktop.db import Database
from desktop.errors import (
    DomainError,
    FileProblem,
    ImportRefused,
    NotATemplate,
    Problem,
    ValidationFailed,
    choice,
)
from desktop.models import Household, Person
from desktop.models.enums import ResidenceType
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


def data_sheet(wb):
    """The sheet with the rows: 居民登记 in the template (after its 填写说明), else a workbook's first sheet."""
    return wb["居民登记"] if "居民登记" in wb.sheetnames else wb.worksheets[0]


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
    from desktop.services.residents import ORDER, ResidentFilter, _where, ordered_from, source_for

    actor = require(db, Permission.PRINT)
    files.check_writable_target(Path(path))
    if residence_type and residence_type not in {r.value for r in ResidenceType}:
        raise ValidationFailed([choice("residence_type", residence_type, [r.value for r in ResidenceType])])
    if flt is None:
        from desktop.services.residents import village_named

        village_id = village_named(db, village) if village else None
        flt = ResidentFilter(village_id=village_id, residence_type=residence_type)
    may_see_ids = actor.may(Permission.VIEW_FULL_ID)
    where, params = _where(flt, may_see_ids)  # the township's own (SQLite) file: exports are made there
    sql = (
        "SELECT v.name, g.name, h.number, h.address, p.name, p.id_number, p.relation, p.residence_type, "
        "p.work_away_place, p.phone, p.registered_on, p.notes, p.sex, p.birth_date "
        f"{{source}} WHERE {where} ORDER BY {ORDER}"
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
            for row in conn.execute(text(sql.format(source=source_for(where, ordered_from(conn)))), params):
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
