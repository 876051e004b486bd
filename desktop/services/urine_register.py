"""The 尿检通知 register: the tests due (this week, this month, overdue) that have no notice yet, the notices
with what became of them, what is overdue, the relapse warnings and serious breaches, and the one definition of
尿检率 the tab, the figures and the county export share.

尿检率 over a period: tests done over tests due.
- Tests due: every test the rules schedule whose window ended in the period (and before today), whether or not a
  notice was issued for it — a test nobody was notified of is still a test not done — and every notice (not
  voided) whose window ended in the period. A case that stopped (ended, died, moved, 强戒) before a window is
  not scheduled for it.
- Tests done: those whose notice has a test result, 阴性 or 阳性. A refusal (拒检), a no-show (未到), a notice
  with no result, a test with no notice and a test recorded as missed (逾期未检) are tests not done: they are
  what the rate exists to show.
A period with nothing due has no rate ("—"), not 0%.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import select

from desktop.db import Database
from desktop.models import AftercareCase, Person, UrineMissed, UrineNotice, Village, VillageGroup
from desktop.models import Household as _Household
from desktop.models.enums import NoticeState, UrineResult
from desktop.models.idnumber import mask
from desktop.services import urine_rules
from desktop.services.auth import Permission, require
from desktop.services.rates import Rate
from desktop.services.urine import EVASIONS, SERIOUS_BREACH, WARNING_RESULTS, case_schedules, number

OPEN_STATES = (NoticeState.ISSUED.value, NoticeState.DELIVERED.value)


DONE_RESULTS = (UrineResult.NEGATIVE.value, UrineResult.POSITIVE.value)  # a test with a result


@dataclass(frozen=True)
class CountedTest:
    """One test due in a period: its notice (not voided) if one was issued."""

    case_id: int
    due_on: dt.date
    window_from: dt.date
    window_to: dt.date
    notice: UrineNotice | None
    missed_action: str = ""  # recorded as 逾期未检 with what was done (a test with no notice)

    @property
    def done(self) -> bool:
        return self.notice is not None and self.notice.result in DONE_RESULTS

    @property
    def outcome(self) -> str:
        """What became of it, in words: 阴性, 拒检, 已送达（无结果）, 未开具通知书."""
        if self.notice is None:
            return f"逾期未检（{self.missed_action}）" if self.missed_action else "未开具通知书"
        return self.notice.result or f"{self.notice.state}（无结果）"


def _counted(n: UrineNotice) -> CountedTest:
    return CountedTest(n.case_id, n.due_on, n.window_from, n.window_to, n)


def rate(db: Database, start: dt.date, end: dt.date, *, today: dt.date | None = None) -> Rate:
    """尿检率 for the period [start, end] (the module's definition): tests done over tests due. A window still open
    on `today` is not yet counted: the test is not missing before its window closes (the 考核 figures of a year
    in progress read the same)."""
    tests = counted_tests(db, start, end, today=today)
    return Rate(sum(t.done for t in tests), len(tests))


def counted_tests(
    db: Database, start: dt.date, end: dt.date, *, today: dt.date | None = None
) -> list[CountedTest]:
    """The tests `rate` counts, by window: its denominator (the 考核 drill-down and the report's villages)."""
    require(db, Permission.READ)
    end = min(end, (today or dt.date.today()) - dt.timedelta(days=1))
    if end < start:
        return []
    rules = urine_rules.rules(db)
    with db.session() as s:
        notices = s.exec(
            select(UrineNotice).where(
                UrineNotice.window_to >= start,
                UrineNotice.window_to <= end,
                UrineNotice.state != NoticeState.VOID.value,
            )
        ).all()
        # a notice for a test whose window ends in the period may have been issued under an older rule: the
        # scheduled test is the same test (same case, same due day) whichever window it carries
        issued = {
            (c, d)
            for c, d in s.exec(
                select(UrineNotice.case_id, UrineNotice.due_on).where(
                    UrineNotice.state != NoticeState.VOID.value
                )
            ).all()
        }
        schedules = case_schedules(s)
        recorded = {(m.case_id, m.due_on): m.action for m in s.exec(select(UrineMissed)).all()}
    # a test not done whose case stopped before its window ended was no longer due (as the overdue list says)
    tests = [
        t for t in map(_counted, notices) if t.done or not _stopped(schedules.get(t.case_id), t.window_to)
    ]
    tests += [
        CountedTest(
            case_id,
            slot.due_on,
            slot.window_from,
            slot.window_to,
            None,
            recorded.get((case_id, slot.due_on), ""),
        )
        for case_id, plan in schedules.items()
        for slot in plan.slots(rules)
        if start <= slot.window_to <= end
        and (case_id, slot.due_on) not in issued
        and not _stopped(plan, slot.window_to)
    ]
    tests.sort(key=lambda t: (t.window_to, t.due_on, t.case_id))
    return tests


@dataclass(frozen=True)
class Who:
    name: str
    id_masked: str
    village: str


def people_of(s, case_ids) -> dict[int, Who]:
    """Name, masked ID number and village of each case's person."""
    out = {}
    ids = list(case_ids)
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        rows = s.exec(
            select(AftercareCase.id, Person.name, Person.id_number, Village.name)
            .join(Person, Person.id == AftercareCase.person_id)
            .outerjoin(_Household, _Household.id == Person.household_id)
            .outerjoin(VillageGroup, VillageGroup.id == _Household.group_id)
            .outerjoin(Village, Village.id == VillageGroup.village_id)
            .where(AftercareCase.id.in_(chunk))
        ).all()
        out.update({cid: Who(name, mask(number), village or "") for cid, name, number, village in rows})
    return out


@dataclass(frozen=True)
class DueTest:
    """A scheduled test with no notice yet."""

    case_id: int
    name: str
    id_masked: str
    village: str
    due_on: dt.date
    window_to: dt.date
    interval_months: int
    overdue: bool  # its window has passed with no notice issued: 逾期未检
    missed_action: str = ""  # what was recorded about a missed test (MissedAction), "" while not recorded
    missed_reason: str = ""


def due(db: Database, *, until: dt.date, today: dt.date | None = None) -> list[DueTest]:
    """Tests due by `until` that have no notice yet (a voided notice does not count) and whose window is still
    open today: the notices to issue, in village and name order. A test whose window has closed is never
    issued a notice (it would tell the person to test in days already past): it is on `missed`."""
    today = today or dt.date.today()
    return [d for d in _unnoticed(db, until=until, today=today) if not d.overdue]


def missed(db: Database, *, today: dt.date | None = None) -> list[DueTest]:
    """逾期未检: scheduled tests whose window closed with no notice, for the twelve months before this one and
    this one (not from 1 January, which on 2 January would drop December's), each with what was recorded about
    it (已告诫, 未通知到 …) — those not yet recorded first. They are tests not done in 尿检率."""
    today = today or dt.date.today()
    rows = [d for d in _unnoticed(db, until=today, today=today) if d.overdue]
    return sorted(rows, key=lambda d: (bool(d.missed_action), d.village, d.name, d.due_on))


def _unnoticed(db: Database, *, until: dt.date, today: dt.date) -> list[DueTest]:
    require(db, Permission.READ)
    rules = urine_rules.rules(db)
    since = dt.date(today.year - 1, today.month, 1)
    with db.session() as s:
        schedules = case_schedules(s)
        issued = defaultdict(set)
        for case_id, due_on in s.exec(
            select(UrineNotice.case_id, UrineNotice.due_on).where(UrineNotice.state != NoticeState.VOID.value)
        ).all():
            issued[case_id].add(due_on)
        recorded = {(m.case_id, m.due_on): m for m in s.exec(select(UrineMissed)).all()}
        wanted = [
            (case_id, slot)
            for case_id, plan in schedules.items()
            for slot in plan.slots(rules)
            if since <= slot.due_on <= until and slot.due_on not in issued[case_id]
        ]
        people = people_of(s, {case_id for case_id, _ in wanted})
    out = []
    for case_id, slot in wanted:
        p, m = people[case_id], recorded.get((case_id, slot.due_on))
        out.append(
            DueTest(
                case_id,
                p.name,
                p.id_masked,
                p.village,
                slot.due_on,
                slot.window_to,
                slot.interval_months,
                slot.window_to < today,
                m.action if m else "",
                m.reason if m else "",
            )  # fmt: skip
        )
    return sorted(out, key=lambda d: (d.village, d.name, d.due_on))


@dataclass(frozen=True)
class NoticeRow:
    notice_id: int
    number: str
    case_id: int
    name: str
    id_masked: str
    village: str
    window_from: dt.date
    window_to: dt.date
    state: str
    delivered_on: dt.date | None
    tested_on: dt.date | None
    result: str
    prints: int
    overdue: bool  # the window has passed without a result
    fate: str  # what became of a notice whose case stopped: "帮教结束 2026-06-30", "死亡 2026-05-02"
    warning: bool  # 阳性 / 拒检 / 未到: 复吸预警
    breach: bool  # the case has SERIOUS_BREACH evasions or refusals in its term: 严重违反

    @property
    def status(self) -> str:
        """The state in words, with what matters most."""
        if self.overdue:
            return f"{self.state}（逾期未检）"
        if self.result:
            return self.result
        return self.state


def notice_rows(
    db: Database, *, today: dt.date | None = None, include_closed: bool = True
) -> list[NoticeRow]:
    """The notices, overdue first, then open ones by window, then the rest newest first."""
    require(db, Permission.READ)
    today = today or dt.date.today()
    with db.session() as s:
        query = select(UrineNotice)
        if not include_closed:
            query = query.where(UrineNotice.state.in_(OPEN_STATES))
        notices = s.exec(query).all()
        case_ids = {n.case_id for n in notices}
        schedules = case_schedules(s, case_ids)
        people = people_of(s, case_ids)
        evasions = _evasions(s, schedules)
    rows = []
    for n in notices:
        plan = schedules.get(n.case_id)
        stopped = _stopped(plan, n.window_to)
        fate = f"{plan.stop_why} {plan.stop_on.isoformat()}" if stopped else ""
        p = people[n.case_id]
        rows.append(
            NoticeRow(
                n.id,
                number(n),
                n.case_id,
                p.name,
                p.id_masked,
                p.village,
                n.window_from,
                n.window_to,
                n.state,
                n.delivered_on,
                n.tested_on,
                n.result,
                n.prints,
                n.state in OPEN_STATES and n.window_to < today and not stopped,
                fate,
                n.result in WARNING_RESULTS,
                len(evasions.get(n.case_id, ())) >= SERIOUS_BREACH,
            )  # fmt: skip
        )
    rows.sort(key=lambda r: (not r.overdue, r.state not in OPEN_STATES, r.window_to if r.state in OPEN_STATES
                             else dt.date.max - r.window_to, r.village, r.name))  # fmt: skip
    return rows


def _evasions(s, schedules) -> dict[int, list[UrineNotice]]:
    """Each case's refusals and no-shows within its term."""
    out = defaultdict(list)
    for n in s.exec(select(UrineNotice).where(UrineNotice.result.in_(EVASIONS))).all():
        plan = schedules.get(n.case_id)
        if plan is None or plan.start_on <= n.window_from < plan.term_end:
            out[n.case_id].append(n)
    return out


@dataclass(frozen=True)
class CaseWarnings:
    warnings: tuple[str, ...]  # "2026-尿-0042 阳性 2026-03-05", the notices that raised 复吸预警
    evasions: tuple[str, ...]  # the refusals and no-shows that count towards 严重违反
    breach: bool


def case_warnings(db: Database, case_id: int) -> CaseWarnings:
    """What the person's file and the case show: the warning results, and the evasions that count."""
    require(db, Permission.READ)
    with db.session() as s:
        notices = s.exec(
            select(UrineNotice).where(UrineNotice.case_id == case_id).order_by(UrineNotice.window_from)
        ).all()
        evasions = _evasions(s, case_schedules(s, [case_id])).get(case_id, [])
    words = tuple(
        f"{number(n)} {n.result} {n.tested_on.isoformat()}" for n in notices if n.result in WARNING_RESULTS
    )
    counted = tuple(f"{number(n)} {n.result} {n.tested_on.isoformat()}" for n in evasions)
    return CaseWarnings(words, counted, len(evasions) >= SERIOUS_BREACH)


def case_notices(db: Database, case_id: int) -> list[UrineNotice]:
    """A case's notices in window order, for its file (一人一档) and its record sheet."""
    require(db, Permission.READ)
    with db.session() as s:
        return list(
            s.exec(
                select(UrineNotice).where(UrineNotice.case_id == case_id).order_by(UrineNotice.window_from)
            )
        )


def overdue_count(db: Database, *, today: dt.date | None = None) -> int:
    """Notices whose window has passed with no result (a case stopped before the window ends is not counted):
    the start-up reminder and the count over the list. Reads the open notices only."""
    require(db, Permission.READ)
    today = today or dt.date.today()
    with db.session() as s:
        late = s.exec(
            select(UrineNotice.case_id, UrineNotice.window_to).where(
                UrineNotice.state.in_(OPEN_STATES), UrineNotice.window_to < today
            )
        ).all()
        schedules = case_schedules(s, {case_id for case_id, _ in late})
    return sum(1 for case_id, window_to in late if not _stopped(schedules.get(case_id), window_to))


def _stopped(plan, window_to: dt.date) -> bool:
    """The case stopped (ended, died, left, 强戒) before this notice's window ended."""
    return plan is not None and plan.stop_on is not None and plan.stop_on <= window_to
