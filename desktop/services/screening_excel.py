"""A whole village's screening sheet through Excel: the campaign's households written out group by group (导出本村
排查表), filled in by the cadres, and read back with the residents import's discipline — a preview of every row,
refusals with their reasons, nothing written while a row is refused unless the clerk takes only the good rows.

A household is found again by its number in a hidden column, and must still be the village's household with the
same 小组 and 户号 (a sheet whose rows were moved between villages, or edited into another household, is
refused row by row). A blank 排查结果 means "not visited": it is skipped, never taken for 正常.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from sqlmodel import select

from desktop import audit
from desktop.db import Database
from desktop.errors import DomainError, NotAScreeningSheet, Problem, choice
from desktop.models import Campaign, Screening, Village, VillageGroup
from desktop.models.enums import ScreeningResult
from desktop.models.units import clean
from desktop.services import files
from desktop.services.auth import Permission, require
from desktop.services.campaigns import _date_problems, _save_visit, _scope_problems, group_sheet
from desktop.services.people_excel import ImportRefused, _text, parse_date

SHEET, META = "排查结果", "_wudu"
HEADERS = ("小组", "户号", "户主", "住址", "排查结果", "排查日期", "排查人", "备注", "户编号（勿改）")
INSTRUCTIONS = (
    "填写说明",
    "",
    "每一行是本村登记在册的一户，按小组、户号排列。只填写后面四列：排查结果、排查日期、排查人、备注。",
    "排查结果从下拉列表中选择：" + "、".join(r.value for r in ScreeningResult) + "。",
    "排查结果空着的户视为尚未排查，导入时跳过，不会记为“正常”。",
    "排查日期写成 2026-11-05、2026/11/05、2026.11.05 或 2026年11月5日；要在排查活动期间内，不能晚于今天。",
    "不要改动小组、户号、户主、住址和最后一列“户编号”，也不要把别的村的行粘贴进来：这些行会被拒绝。",
    "导入前先预览每一行；有不合格的行时可以只导入合格的行，改正后再导入同一个文件，已导入的行不会重复。",
    "这个表格含有居民姓名和住址：用完请删除，不要外传。",
)


@dataclass(frozen=True)
class SheetRow:
    row: int
    name: str  # 小组 户号 户主, as the clerk reads the row
    status: str  # new | changed | unchanged | skipped | refused
    problems: tuple[Problem, ...] = ()
    household_id: int | None = None
    result: str = ""
    screened_on: dt.date | None = None
    screener: str = ""
    notes: str = ""

    def reasons(self) -> str:
        from desktop import messages

        return "；".join(messages.describe_problem(p) for p in self.problems)


@dataclass
class SheetPreview:
    campaign_id: int
    campaign: str
    village: str
    rows: list[SheetRow] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.rows)

    @property
    def refused(self) -> list[SheetRow]:
        return [r for r in self.rows if r.status == "refused"]

    @property
    def ready(self) -> list[SheetRow]:
        return [r for r in self.rows if r.status in ("new", "changed")]


@dataclass(frozen=True)
class SheetResult:
    written: int
    unchanged: int
    skipped: int
    refused: int


def _groups(s, village_id: int) -> list[tuple[int, str]]:
    """The village's groups in the township's own order (设置 → 行政区划), as the register lists them."""
    return s.execute(
        select(VillageGroup.id, VillageGroup.name)
        .where(VillageGroup.village_id == village_id)
        .order_by(VillageGroup.sort_order, VillageGroup.id)
    ).all()


def write_sheet(db: Database, campaign_id: int, village_id: int, target: Path) -> int:
    """The village's households in this campaign, with what is recorded so far, to fill in; returns how many
    households it lists. Written atomically; the export (names and addresses leave the database) is audited."""
    require(db, Permission.PRINT)
    files.check_writable_target(Path(target))
    with db.session() as s:
        campaign, village = s.get(Campaign, campaign_id), s.get(Village, village_id)
        groups = _groups(s, village_id)
    sheets = [(name, group_sheet(db, campaign_id, gid)) for gid, name in groups]
    visits = _visits(db, campaign_id, [h.household_id for _, sheet in sheets for h in sheet])
    count = sum(len(sheet) for _, sheet in sheets)

    def write(tmp: Path) -> None:
        wb = Workbook()
        notes = wb.active
        notes.title = "填写说明"
        for line in (f"{campaign.name} · {village.name}", *INSTRUCTIONS):
            notes.append([line])
        notes.column_dimensions["A"].width = 110
        notes["A1"].font = Font(bold=True, size=14)
        ws = wb.create_sheet(SHEET)
        ws.append(HEADERS)
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        for group, sheet in sheets:
            for h in sheet:
                visit = visits.get(h.household_id)
                values = (group, h.number, h.head, h.address, h.result, visit[0].isoformat() if visit else "",
                          visit[1] if visit else "", h.notes, str(h.household_id))  # fmt: skip
                ws.append(list(values))
                for cell in ws[ws.max_row]:
                    files.set_text(cell, cell.value)
        for letter, width in zip("ABCDEFGHI", (8, 10, 10, 26, 14, 13, 10, 24, 14), strict=True):
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = "A2"
        last = max(ws.max_row, 2)
        results = DataValidation(
            type="list", formula1='"' + ",".join(r.value for r in ScreeningResult) + '"', allow_blank=True
        )
        results.error, results.errorTitle = "请从下拉列表中选择排查结果", "排查结果"
        ws.add_data_validation(results)
        results.add(f"E2:E{last}")
        meta = wb.create_sheet(META)
        meta.append(["campaign", campaign_id, campaign.name])
        meta.append(["village", village_id, village.name])
        meta.sheet_state = "veryHidden"
        wb.active = 1
        wb.save(tmp)

    name = Path(target).name
    try:
        files.write_atomically(Path(target), write, db.path.parent)
    except (DomainError, OSError) as exc:
        with contextlib.suppress(DomainError, OSError), db.session() as s:
            audit.record(
                s, [audit.Change("export_failed", "screening", detail=f"{name}：{type(exc).__name__}")]
            )
        raise
    with db.session() as s:
        audit.record(
            s,
            [
                audit.Change(
                    "export", "screening", detail=f"{name}：{campaign.name}，{village.name}，{count}户"
                )
            ],
        )
    return count


def _visits(
    db: Database, campaign_id: int, household_ids: list[int]
) -> dict[int, tuple[dt.date, str, str, str]]:
    found = {}
    with db.session() as s:
        for start in range(0, len(household_ids), 900):
            chunk = household_ids[start : start + 900]
            for v in s.exec(
                select(Screening).where(
                    Screening.campaign_id == campaign_id, Screening.household_id.in_(chunk)
                )
            ):
                found[v.household_id] = (v.screened_on, v.screener, v.result, v.notes)
    return found


def _meta(wb, path: Path) -> tuple[int, int]:
    if META not in wb.sheetnames or SHEET not in wb.sheetnames:
        raise NotAScreeningSheet(path, "not_ours")
    values = {row[0]: row[1] for row in wb[META].iter_rows(values_only=True) if row and len(row) > 1}
    try:
        return int(values["campaign"]), int(values["village"])
    except (KeyError, TypeError, ValueError):
        raise NotAScreeningSheet(path, "not_ours") from None


def preview(db: Database, path: Path, *, today: dt.date | None = None) -> SheetPreview:
    """What importing the filled sheet would do, row by row. Reads only."""
    require(db, Permission.READ)
    today = today or dt.date.today()
    wb = files.workbook(path, read_only=True, data_only=True)
    try:
        campaign_id, village_id = _meta(wb, Path(path))
        lines = list(wb[SHEET].iter_rows(min_row=2, values_only=True))
    finally:
        wb.close()
    with db.session() as s:
        campaign, village = s.get(Campaign, campaign_id), s.get(Village, village_id)
        if campaign is None:
            raise NotAScreeningSheet(Path(path), "campaign_gone")
        if village is None or _scope_problems(s, campaign_id, village_id):
            raise NotAScreeningSheet(Path(path), "village_not_in_campaign")
        groups = _groups(s, village_id)
    households = {
        h.household_id: (group, h.number) for gid, group in groups for h in group_sheet(db, campaign_id, gid)
    }
    visits = _visits(db, campaign_id, list(households))
    plan = SheetPreview(campaign_id, campaign.name, village.name)
    seen: dict[int, int] = {}
    for number, line in enumerate(lines, start=2):
        cells = [_text(v) for v in (*line, *[None] * len(HEADERS))[: len(HEADERS)]]
        if not any(cells):
            continue
        group, household, head = cells[:3]
        plan.rows.append(_row(number, f"{group} {household} {head}".strip(), cells, households, visits, seen,
                              campaign, today))  # fmt: skip
    return plan


def _row(number, name, cells, households, visits, seen, campaign, today) -> SheetRow:
    group, household, _head, _address, result, day, screener, notes, key = cells
    problems: list[Problem] = []
    household_id = int(key) if key.isdigit() else None
    if household_id is None or household_id not in households:
        problems.append(Problem("household", "not_in_sheet", {}))
    elif households[household_id] != (group, household):
        problems.append(Problem("household", "sheet_row_changed", {}))
    elif household_id in seen:
        problems.append(Problem("household", "row_repeated", {"first_row": seen[household_id]}))
    if problems:
        return SheetRow(number, name, "refused", tuple(problems))
    seen[household_id] = number
    if not result:
        return SheetRow(number, name, "skipped", household_id=household_id)
    if result not in {r.value for r in ScreeningResult}:
        problems.append(choice("result", result, ScreeningResult))
    screened_on = None
    try:
        screened_on = parse_date(day)
    except ValueError:
        problems.append(Problem("screened_on", "date_format", {"value": day}))
    if screened_on is None and not any(p.field == "screened_on" for p in problems):
        problems.append(Problem("screened_on", "required", {}))
    elif screened_on is not None:
        problems += _date_problems(campaign, screened_on, today)
    if not clean(screener):
        problems.append(Problem("screener", "required", {}))
    if problems:
        return SheetRow(number, name, "refused", tuple(problems), household_id)
    before = visits.get(household_id)
    now = (screened_on, clean(screener), result, clean(notes))
    status = "new" if before is None else "unchanged" if before == now else "changed"
    return SheetRow(
        number, name, status, (), household_id, result, screened_on, clean(screener), clean(notes)
    )


def import_sheet(
    db: Database, path: Path, *, only_valid: bool = False, today: dt.date | None = None
) -> SheetResult:
    """All or nothing, in one transaction: a refused row stops the import unless `only_valid`. A row that
    differs from the campaign's earlier visit to that household corrects it, as a second visit would."""
    require(db, Permission.WRITE)
    plan = preview(db, path, today=today)
    if plan.refused and not only_valid:
        raise ImportRefused(plan)
    with db.session() as s:
        campaign = s.get(Campaign, plan.campaign_id)
        ready = plan.ready
        existing = {
            v.household_id: v
            for v in s.exec(
                select(Screening).where(
                    Screening.campaign_id == campaign.id,
                    Screening.household_id.in_([r.household_id for r in ready]),
                )
            )
        }
        for r in ready:
            _save_visit(s, existing.get(r.household_id), campaign.id, r.household_id, None, r.screened_on,
                        r.screener, r.result, r.notes)  # fmt: skip
        audit.record(
            s,
            [
                audit.Change(
                    "import",
                    "screening",
                    detail=f"{Path(path).name}：{plan.campaign}，{plan.village}：登记{len(ready)}户，"
                    f"无变化{plan.count('unchanged')}户，空白{plan.count('skipped')}户，"
                    f"未导入{len(plan.refused)}行",
                )
            ],
        )
    return SheetResult(len(ready), plan.count("unchanged"), plan.count("skipped"), len(plan.refused))
