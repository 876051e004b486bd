"""A urine-test notice's life: issued for a scheduled test (numbered 2026-尿-0042 per year), delivered (当面 /
电话 / 家属代收, by whom; or scanned back from its signed receipt), tested with a result (阴性 / 阳性 / 拒检 /
未到), or voided with a reason. Each step is dated, in order, never in the future; a correction of a recorded
step is a dated entry with its reason. Every write goes through the audited session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import select

from desktop.db import Database
from desktop.errors import NoticeNotFound, Problem, ValidationFailed, before, choice
from desktop.models import (
    AftercareCase,
    DrugFile,
    DrugStatusEntry,
    Township,
    UrineCorrection,
    UrineMissed,
    UrineNotice,
)
from desktop.models.enums import DeliveryHow, DrugStatus, MissedAction, NoticeState, UrineResult
from desktop.models.units import clean
from desktop.services import scanning, urine_rules
from desktop.services.aftercare import add_years
from desktop.services.auth import Permission, require
from desktop.services.scanning import ScanOutcome

# a status that ends the schedule: the person is no longer there to be tested
STOPPING = (DrugStatus.DECEASED.value, DrugStatus.MOVED_OUT.value, DrugStatus.COMPULSORY_REHAB.value)
WARNING_RESULTS = (UrineResult.POSITIVE.value, UrineResult.REFUSED.value, UrineResult.NO_SHOW.value)
EVASIONS = (UrineResult.REFUSED.value, UrineResult.NO_SHOW.value)
SERIOUS_BREACH = 3  # evasions or refusals in the term: 严重违反
CORRECTABLE = ("delivered_on", "delivered_how", "delivered_by", "tested_on", "tester", "test_unit", "result")


def number(n: UrineNotice) -> str:
    return f"{n.year}-尿-{n.seq:04d}"


def ascii_number(n: UrineNotice) -> str:
    """What the barcode carries (Code 128 has no Chinese): 2026-尿-0042 → N2026-0042."""
    return f"N{n.year}-{n.seq:04d}"


def parse_number(text: str) -> tuple[int, int] | None:
    """Either form, as typed or as a scanner types it: 2026-尿-0042, N2026-0042, n2026-42."""
    return scanning.parse(text, "N", "尿")


@dataclass(frozen=True)
class CaseSchedule:
    case_id: int
    basis: str
    start_on: dt.date
    reported_on: dt.date | None
    term_end: dt.date
    stop_on: dt.date | None  # the first day not scheduled: the case ended, or the person died, left, 强戒
    stop_why: str  # 帮教结束 / 死亡 / 迁出 / 强制隔离戒毒中

    def slots(self, rules: urine_rules.Rules) -> list[urine_rules.Slot]:
        return urine_rules.schedule(
            self.basis,
            self.start_on,
            self.term_end,
            rules,
            reported_on=self.reported_on,
            stop_on=self.stop_on,
        )


def case_schedules(s, case_ids: Iterable[int] | None = None) -> dict[int, CaseSchedule]:
    """The cases the rules schedule (社区戒毒, 社区康复), with what stops them."""
    query = select(AftercareCase).where(AftercareCase.basis.in_(urine_rules.SCHEDULED))
    if case_ids is not None:
        query = query.where(AftercareCase.id.in_(list(case_ids)))
    cases = s.exec(query).all()
    stops = _stopping_statuses(s, [c.person_id for c in cases])
    out = {}
    for c in cases:
        stop, why = (c.ended_on, "帮教结束") if c.ended_on else (None, "")
        status = stops.get(c.person_id)
        if status and (stop is None or status[0] < stop):
            stop, why = status
        out[c.id] = CaseSchedule(
            c.id, c.basis, c.start_on, c.reported_on, add_years(c.start_on, c.term_years), stop, why
        )
    return out


def _stopping_statuses(s, person_ids: list[int]) -> dict[int, tuple[dt.date, str]]:
    """Each person whose current status ends testing: (since, status)."""
    found: dict[int, tuple[dt.date, str]] = {}
    for start in range(0, len(person_ids), 900):
        chunk = person_ids[start : start + 900]
        rows = s.exec(
            select(DrugFile.person_id, DrugStatusEntry.status, DrugStatusEntry.since)
            .join(DrugStatusEntry, DrugStatusEntry.file_id == DrugFile.id)
            .where(DrugFile.person_id.in_(chunk))
            .order_by(DrugStatusEntry.since, DrugStatusEntry.id)
        ).all()
        latest = {pid: (since, status) for pid, status, since in rows}  # the last by date, then id
        found.update({pid: v for pid, v in latest.items() if v[1] in STOPPING})
    return found


def place(s) -> str:
    t = s.exec(select(Township)).first()
    if t is None:
        return "派出所"
    return t.urine_place or f"{t.township_name}派出所"


def _not_future(field: str, day: dt.date, today: dt.date) -> list[Problem]:
    return [Problem(field, "date_in_future", {"value": day.isoformat()})] if day > today else []


def _notice(s, notice_id: int) -> UrineNotice:
    n = s.get(UrineNotice, notice_id)
    if n is None:
        raise NoticeNotFound(str(notice_id))
    return n


def _wrong_state(n: UrineNotice, *allowed: str) -> list[Problem]:
    if n.state in allowed:
        return []
    return [
        Problem(
            "state", "notice_state", {"value": n.state, "allowed": "、".join(allowed), "number": number(n)}
        )
    ]


# --- issuing ---------------------------------------------------------------------------------------------------
def _next_seq(s, year: int) -> int:
    return (s.exec(select(func.max(UrineNotice.seq)).where(UrineNotice.year == year)).one() or 0) + 1


def issue_many(
    db: Database,
    wanted: list[tuple[int, dt.date]],
    *,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[int]:
    """Notices for these (case, due date) tests, in one transaction: each must be a test the case's schedule has
    and that has no notice yet (a voided one does not count). Returns the new notices' ids, in order."""
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    rules = urine_rules.rules(db)
    with db.session() as s:
        schedules = case_schedules(s, {case_id for case_id, _ in wanted})
        issued = _issued(s, list(schedules))
        where, seq, made = place(s), _next_seq(s, today.year), []
        problems = []
        for case_id, due_on in wanted:
            plan = schedules.get(case_id)
            slot = next((x for x in plan.slots(rules) if x.due_on == due_on), None) if plan else None
            if slot is None:
                problems.append(Problem("due_on", "not_scheduled", {"value": due_on.isoformat()}))
            elif (
                slot.window_to < today
            ):  # a notice dated today for a window already over tells nobody anything
                problems.append(_closed(slot))
            elif (case_id, due_on) in issued:
                problems.append(Problem("due_on", "notice_exists", {"value": due_on.isoformat()}))
            else:
                issued.add((case_id, due_on))
                n = UrineNotice(year=today.year, seq=seq, case_id=case_id, due_on=slot.due_on,
                                window_from=slot.window_from, window_to=slot.window_to,
                                interval_months=slot.interval_months, place=where,
                                state=NoticeState.ISSUED.value, issued_on=today)  # fmt: skip
                s.add(n)
                made.append(n)
                seq += 1
            if progress and len(made) % 100 == 0:
                progress(len(made), len(wanted))
        if problems:
            raise ValidationFailed(problems)
        s.flush()
        return [n.id for n in made]


def _closed(slot) -> Problem:
    return Problem(
        "due_on", "window_closed", {"value": slot.due_on.isoformat(), "window_to": slot.window_to.isoformat()}
    )


def record_missed(
    db: Database,
    case_id: int,
    due_on: dt.date,
    *,
    action: str,
    reason: str = "",
    today: dt.date | None = None,
) -> int:
    """Record a scheduled test whose window closed with no notice as missed (逾期未检), with what was done: 已告诫,
    未通知到 (with why) or 其他 (with why). It stays a test not done in 尿检率. Returns the record's id."""
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    rules = urine_rules.rules(db)
    with db.session() as s:
        plan = case_schedules(s, [case_id]).get(case_id)
        slot = next((x for x in plan.slots(rules) if x.due_on == due_on), None) if plan else None
        problems = []
        if slot is None:
            problems.append(Problem("due_on", "not_scheduled", {"value": due_on.isoformat()}))
        elif slot.window_to >= today:
            problems.append(
                Problem(
                    "due_on",
                    "window_open",
                    {"value": due_on.isoformat(), "window_to": slot.window_to.isoformat()},
                )
            )
        elif (case_id, due_on) in _issued(s, [case_id]):
            problems.append(Problem("due_on", "notice_exists", {"value": due_on.isoformat()}))
        elif s.exec(
            select(UrineMissed.id).where(UrineMissed.case_id == case_id, UrineMissed.due_on == due_on)
        ).first():
            problems.append(Problem("due_on", "missed_exists", {"value": due_on.isoformat()}))
        if action not in {a.value for a in MissedAction}:
            problems.append(choice("missed_action", action, MissedAction))
        elif action != MissedAction.WARNED.value and not clean(reason):
            problems.append(Problem("missed_reason", "required", {}))
        if problems:
            raise ValidationFailed(problems)
        record = UrineMissed(case_id=case_id, due_on=due_on, window_to=slot.window_to, recorded_on=today,
                             action=action, reason=reason.strip())  # fmt: skip
        s.add(record)
        s.flush()
        return record.id


def _issued(s, case_ids: list[int]) -> set[tuple[int, dt.date]]:
    out = set()
    for start in range(0, len(case_ids), 900):
        chunk = case_ids[start : start + 900]
        out |= {
            (c, d)
            for c, d in s.exec(
                select(UrineNotice.case_id, UrineNotice.due_on).where(
                    UrineNotice.case_id.in_(chunk), UrineNotice.state != NoticeState.VOID.value
                )
            ).all()
        }
    return out


# --- the steps --------------------------------------------------------------------------------------------------
def deliver(
    db: Database, notice_id: int, *, on: dt.date, how: str, by: str, today: dt.date | None = None
) -> None:
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    with db.session() as s:
        n = _notice(s, notice_id)
        problems = _wrong_state(n, NoticeState.ISSUED.value)
        if how not in {h.value for h in DeliveryHow}:
            problems.append(choice("delivered_how", how, DeliveryHow))
        if not clean(by):
            problems.append(Problem("delivered_by", "required", {}))
        problems += _not_future("delivered_on", on, today)
        if on < n.issued_on:
            problems.append(before("delivered_on", on, "开具日期", n.issued_on))
        if problems:
            raise ValidationFailed(problems)
        n.delivered_on, n.delivered_how, n.delivered_by = on, how, clean(by)
        n.state = NoticeState.DELIVERED.value


def record_result(
    db: Database,
    notice_id: int,
    *,
    on: dt.date,
    result: str,
    tester: str = "",
    unit: str = "",
    today: dt.date | None = None,
) -> Proposal | None:
    """The test's outcome. 阳性, 拒检 or 未到 return the status entry to propose to the clerk (nothing else in
    the person's file changes unless the clerk confirms it: key_persons.add_status)."""
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    with db.session() as s:
        n = _notice(s, notice_id)
        problems = _wrong_state(n, NoticeState.DELIVERED.value)
        problems += _result_problems(n, on, result, tester, today)
        if problems:
            raise ValidationFailed(problems)
        n.tested_on, n.result, n.tester, n.test_unit = on, result, clean(tester), clean(unit)
        n.state = NoticeState.TESTED.value
        return proposal(n)


def record_results(
    db: Database,
    results: dict[int, str],
    *,
    on: dt.date,
    tester: str,
    unit: str = "",
    today: dt.date | None = None,
) -> list[tuple[int, Proposal]]:
    """A test day's list, in one transaction: each notice's result, the same checks as one by one; any refusal
    and nothing is written. Returns (case, proposal) for each warning result, for the clerk to confirm."""
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    with db.session() as s:
        problems, notices = [], []
        for notice_id, result in results.items():
            n = _notice(s, notice_id)
            problems += [  # each refusal names its notice: "2026-尿-0042：检测人不能为空"
                Problem(p.field, p.reason, {**p.params, "notice": number(n)})
                for p in _wrong_state(n, NoticeState.DELIVERED.value)
                + _result_problems(n, on, result, tester, today)
            ]
            notices.append((n, result))
        if problems:
            raise ValidationFailed(problems)
        proposals = []
        for n, result in notices:
            n.tested_on, n.result, n.tester, n.test_unit = on, result, clean(tester), clean(unit)
            n.state = NoticeState.TESTED.value
            if (p := proposal(n)) is not None:
                proposals.append((n.case_id, p))
        return proposals


def _result_problems(n: UrineNotice, on: dt.date, result: str, tester: str, today: dt.date) -> list[Problem]:
    problems = []
    if result not in {r.value for r in UrineResult}:
        problems.append(choice("test_result", result, UrineResult))
    if result != UrineResult.NO_SHOW.value and not clean(tester):
        problems.append(Problem("tester", "required", {}))
    problems += _not_future("tested_on", on, today)
    if n.delivered_on and on < n.delivered_on:
        problems.append(before("tested_on", on, "送达日期", n.delivered_on))
    return problems


def void(db: Database, notice_id: int, *, reason: str, today: dt.date | None = None) -> None:
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    with db.session() as s:
        n = _notice(s, notice_id)
        problems = _wrong_state(n, NoticeState.ISSUED.value, NoticeState.DELIVERED.value)
        if not clean(reason):
            problems.append(Problem("void_reason", "required", {}))
        if problems:
            raise ValidationFailed(problems)
        n.state, n.voided_on, n.void_reason = NoticeState.VOID.value, today, clean(reason)


def correct(
    db: Database, notice_id: int, *, field: str, value, reason: str, today: dt.date | None = None
) -> None:
    """Correct a recorded step (a mistyped date, the wrong result): the new value is checked as the step was,
    and the correction is kept, dated, with its reason and the value it replaced."""
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    if field not in CORRECTABLE:
        raise ValueError(field)
    with db.session() as s:
        n = _notice(s, notice_id)
        step = NoticeState.TESTED.value if field in ("tested_on", "tester", "test_unit", "result") else None
        problems = (
            _wrong_state(n, step)
            if step
            else _wrong_state(n, NoticeState.DELIVERED.value, NoticeState.TESTED.value)
        )
        if not clean(reason):
            problems.append(Problem("correction_reason", "required", {}))
        old = getattr(n, field)
        trial = UrineNotice(**{**n.model_dump(), field: value})
        if field.startswith("delivered"):
            if trial.delivered_how not in {h.value for h in DeliveryHow}:
                problems.append(choice("delivered_how", trial.delivered_how, DeliveryHow))
            problems += _not_future("delivered_on", trial.delivered_on, today)
            if trial.delivered_on < n.issued_on:
                problems.append(before("delivered_on", trial.delivered_on, "开具日期", n.issued_on))
            if n.tested_on and trial.delivered_on > n.tested_on:
                problems.append(before("tested_on", n.tested_on, "送达日期", trial.delivered_on))
        else:
            problems += _result_problems(trial, trial.tested_on, trial.result, trial.tester, today)
        if problems:
            raise ValidationFailed(problems)
        setattr(n, field, value.strip() if isinstance(value, str) else value)
        s.add(UrineCorrection(notice_id=n.id, on=today, field=field, before=_text(old), after=_text(value),
                              reason=clean(reason)))  # fmt: skip


def _text(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


# --- warnings -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Proposal:
    """The status-history entry a warning result suggests; the clerk confirms, changes or declines it."""

    status: str
    reason: str


def proposal(n: UrineNotice) -> Proposal | None:
    if n.result not in WARNING_RESULTS:
        return None
    status = (
        DrugStatus.LOST_CONTACT.value
        if n.result == UrineResult.NO_SHOW.value
        else DrugStatus.COMPULSORY_REHAB.value
    )
    what = {"阳性": "尿检阳性，复吸预警", "拒检": "拒绝尿检，复吸预警", "未到": "未按通知到场尿检"}[n.result]
    return Proposal(status, f"{what}（通知书 {number(n)}，{n.tested_on.isoformat()}）")


def scan(
    db: Database, text: str, *, how: str = "", by: str = "", today: dt.date | None = None
) -> ScanOutcome:
    """A receipt scanned back (or its number typed): the notice becomes 已送达 today. The scan says only that the
    receipt came back: how it was delivered (当面 / 电话 / 家属代收) and by whom are what the clerk read off the
    paper and gave (`how`, `by`), or left empty — never guessed. An unknown number, a notice already delivered
    or tested, or a voided one is reported and changes nothing."""
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    if how and how not in {h.value for h in DeliveryHow}:
        raise ValidationFailed([choice("delivered_how", how, DeliveryHow)])
    key = parse_number(text)
    if key is None:
        return ScanOutcome("unreadable", text.strip())
    with db.session() as s:
        n = s.exec(select(UrineNotice).where(UrineNotice.year == key[0], UrineNotice.seq == key[1])).first()
        if n is None:
            return ScanOutcome("unknown", f"{key[0]}-尿-{key[1]:04d}")
        name = _person_name(s, n.case_id)
        if n.state == NoticeState.VOID.value:
            return ScanOutcome("void", number(n), name, n.void_reason)
        if n.state != NoticeState.ISSUED.value:
            return ScanOutcome("already", number(n), name, n.state, n.delivered_on)
        if today < n.issued_on:
            return ScanOutcome("unknown", number(n))
        n.state, n.delivered_on, n.delivered_how, n.delivered_by = (
            NoticeState.DELIVERED.value,
            today,
            how,
            clean(by),
        )
        return ScanOutcome("done", number(n), name, "", today)


def _person_name(s, case_id: int) -> str:
    from desktop.models import Person

    return s.exec(
        select(Person.name)
        .join(AftercareCase, AftercareCase.person_id == Person.id)
        .where(AftercareCase.id == case_id)
    ).one()
