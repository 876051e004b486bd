"""The 帮教小组 register: every open case with what the office must act on, the 帮教率, and the key persons
still waiting for a case. Loads the open cases, their groups and last talks in one transaction (a few hundred
cases per township), and judges them with `aftercare.judge_many`.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
from collections import defaultdict, namedtuple
from dataclasses import dataclass
from enum import StrEnum
from operator import itemgetter
from typing import NamedTuple

from desktop.db import Database
from desktop.models.enums import MemberRole
from desktop.models.idnumber import mask
from desktop.services.aftercare import CaseState, judge_many, serving_sql
from desktop.services.auth import Permission, require
from desktop.services.rates import Rate

CASE_COLUMNS = (
    "id", "person_id", "basis", "start_on", "term_years", "decision_on", "reported_on", "handover_notice_on",
    "group_formed_on", "end_notified_on", "ended_on", "end_kind",
)  # fmt: skip
MEMBER_COLUMNS = ("case_id", "role", "name", "first_responsible")  # of those who serve: `serving_sql`
# what `aftercare.judge_many` reads of a case, and whose case it is (read in the same query)
CaseFacts = namedtuple("CaseFacts", (*CASE_COLUMNS, "person_name", "person_id_number"))
MemberFacts = namedtuple("MemberFacts", MEMBER_COLUMNS)


def _day(value) -> dt.date | None:
    """A stored date: text from SQLite, a date from PostgreSQL."""
    return value if value is None or isinstance(value, dt.date) else dt.date.fromisoformat(value)


def register_sql(today: dt.date, include_ended: bool = False) -> tuple[str, str, str]:
    """The register's three queries: the cases with whose they are, who serves in each (`serving_sql`), and each
    case's last talk. The benchmark times them on a raw connection as the register's baseline."""
    ended = "" if include_ended else f" AND (c.ended_on IS NULL OR c.ended_on > '{today.isoformat()}')"
    return (
        f"SELECT {', '.join('c.' + c for c in CASE_COLUMNS)}, p.name, p.id_number "
        f"FROM aftercare_case c JOIN person p ON p.id = c.person_id WHERE 1 = 1{ended}",
        f"SELECT {', '.join('m.' + c for c in MEMBER_COLUMNS)} FROM aftercare_member m "
        f"JOIN aftercare_case c ON c.id = m.case_id WHERE {serving_sql(today)}{ended} ORDER BY m.since, m.id",
        f"SELECT case_id, max(held_on) FROM aftercare_talk WHERE held_on <= '{today.isoformat()}' GROUP BY case_id",
    )


CASE_DAYS = [i for i, c in enumerate(CASE_COLUMNS) if c.endswith("_on")]  # stored dates among CASE_COLUMNS


def _without_collector(load):
    """Run `load` with Python's cycle collector paused: a county's register makes some 20,000 small tuples, none
    of them in a cycle, and the collector would walk the growing heap of them again and again while they are
    made (about a tenth of the register's time). Counting references still frees everything as usual."""

    @functools.wraps(load)
    def paused(*args, **kwargs):
        was_on = gc.isenabled()
        gc.disable()
        try:
            return load(*args, **kwargs)
        finally:
            if was_on:
                gc.enable()

    return paused


@_without_collector
def open_states(
    db: Database, *, today: dt.date | None = None, include_ended: bool = False
) -> list[tuple[CaseFacts, CaseState]]:
    """Each case open on `today` (not ended by it; and, if asked, each ended one) with its standing on that day. The rows are read plain (no
    ORM objects, no per-value type processing) in one read transaction and judged by `aftercare.judge_many`: a
    county's thousands of cases cost little more than reading them (benchmarks/register.py)."""
    require(db, Permission.READ)
    today = today or dt.date.today()
    case_sql, member_sql, talks_sql = register_sql(today, include_ended)
    with db.read() as conn:
        cursor = conn.connection.dbapi_connection.cursor()  # the driver's own rows: tuples, nothing per value

        def fetch(sql: str) -> list[tuple]:
            cursor.execute(sql)
            return cursor.fetchall()

        rules_row = next(
            iter(fetch("SELECT aftercare_required_roles, talk_interval_days FROM township LIMIT 1")), None
        )
        required = {r.strip() for r in (rules_row[0] if rules_row else "").split(",") if r.strip()}
        interval = rules_row[1] if rules_row else 30
        cases = []
        fromiso = dt.date.fromisoformat
        new = tuple.__new__  # a named tuple made without `_make`'s Python-level call: the loops are kept bare
        for row in fetch(case_sql):
            row = list(row)
            for i in CASE_DAYS:
                if type(row[i]) is str:  # SQLite's text; PostgreSQL gives dates
                    row[i] = fromiso(row[i])
            cases.append(new(CaseFacts, row))
        serving = defaultdict(list)
        for row in fetch(member_sql):
            serving[row[0]].append(new(MemberFacts, row))
        last = {case_id: _day(held) for case_id, held in fetch(talks_sql)}
    return list(zip(cases, judge_many(cases, serving, last, required, interval, today), strict=True))


def rate_of(rows: list[CaseRow], day: dt.date, away: frozenset[int] = frozenset()) -> Rate:
    """帮教率 on `day` (the one definition, for the tab, the 考核 figures and the county): of the cases open on
    that day — begun by it, not ended by it, not delegated away (`managed_elsewhere`) — those with 帮教落实,
    from the register's rows judged on that day."""
    counted = counted_on(rows, day, away)
    return Rate(sum(r.implemented for r in counted), len(counted))


def counted_on(rows: list[CaseRow], day: dt.date, away: frozenset[int] = frozenset()) -> list[CaseRow]:
    """The cases `rate_of` counts: open on `day` — begun by it and not ended by it — and managed here."""
    return [r for r in rows if r.start_on <= day and (r.ended_on is None or r.ended_on > day)
            and r.person_id not in away]  # fmt: skip


def managed_elsewhere(db: Database, day: dt.date) -> frozenset[int]:
    """The persons registered here whose management another township took over on `day` (人户分离,
    委托外地管理): a delegated case is counted where it is managed, not here."""
    from sqlalchemy import text

    from desktop.models.enums import DelegationDirection

    with db.read() as conn:
        rows = conn.execute(
            text(
                "SELECT p.id FROM delegation d JOIN person p ON p.id = d.person_id OR p.id_number = d.id_number "
                "WHERE d.direction = :away AND d.from_on <= :day AND (d.until_on IS NULL OR d.until_on >= :day)"
            ),
            {"away": DelegationDirection.OUT.value, "day": day},
        ).all()
    return frozenset(r[0] for r in rows)


def aftercare_rate(db: Database, *, today: dt.date | None = None) -> tuple[int, int]:
    """(cases with 帮教落实, open cases) on `today`: `rate_of` the register judged on that day."""
    today = today or dt.date.today()
    rate = rate_of(case_rows(db, today=today), today, managed_elsewhere(db, today))
    return rate.numerator, rate.denominator


ROLE_ORDER = {r.value: i for i, r in enumerate(MemberRole)}  # 民警, 干部, 社工, 医生, 家属, 志愿者


class CaseFlag(StrEnum):
    """What the office must act on for a case, most severe first (the register's order)."""

    REPORT_OVERDUE = "report"  # not reported within 15 days of the decision
    GROUP_OVERDUE = "group"  # the handover notice came and no group was formed
    END_NOTICE_OVERDUE = "end_notice"  # the end-of-term notice is late
    NO_GROUP = "no_group"  # nobody serves in the case's group yet
    GROUP_INCOMPLETE = "group_incomplete"  # a group, but not the roles the township requires
    TALK_OVERDUE = "talk"  # no talk within the interval

    @property
    def is_deadline(self) -> bool:
        return self in DEADLINE_FLAGS


DEADLINE_FLAGS = (CaseFlag.REPORT_OVERDUE, CaseFlag.GROUP_OVERDUE, CaseFlag.END_NOTICE_OVERDUE)
FLAG_WORDS = {
    CaseFlag.REPORT_OVERDUE: "未按期报到",
    CaseFlag.GROUP_OVERDUE: "帮教小组未落实",
    CaseFlag.END_NOTICE_OVERDUE: "期满通知逾期",
    CaseFlag.NO_GROUP: "小组未组建",
    CaseFlag.GROUP_INCOMPLETE: "小组不全",
    CaseFlag.TALK_OVERDUE: "谈话逾期",
}
SEVERITY = {flag: i for i, flag in enumerate(CaseFlag)}


class CaseRow(NamedTuple):
    """One line of the 帮教小组 register (a tuple: a county lists thousands; the texts are made when shown)."""

    case_id: int
    person_id: int
    name: str
    id_number_masked: str
    basis: str
    start_on: dt.date
    term_end: dt.date
    group: tuple  # who serves (on the day judged, or on the case's last day), in the order they joined
    last_talk: dt.date | None
    flags: tuple[CaseFlag, ...]  # what is wrong, most severe first; () when all is in order
    implemented: bool
    ended: str = ""  # "解除 2026-02-15" for a case that has ended (listed only when asked)
    ended_on: dt.date | None = None
    days_late: int = 0  # how late the most severe thing is, for the order among equals

    @property
    def first_responsible(self) -> str:
        return next((m.name for m in self.group if m.first_responsible), "")

    @property
    def members(self) -> str:
        """The group in words, police first: 社区民警张三、村（社区）干部李四…"""
        return "、".join(f"{m.role}{m.name}" for m in sorted(self.group, key=lambda m: ROLE_ORDER[m.role]))

    @property
    def warnings(self) -> str:
        """The flags in words, for display only: decisions use `flags`."""
        return "；".join(FLAG_WORDS[f] for f in self.flags)

    @property
    def deadline_overdue(self) -> bool:
        return any(f.is_deadline for f in self.flags)


KIND_FLAG = {f.value: f for f in DEADLINE_FLAGS}  # Deadline.kind → its flag


@_without_collector
def case_rows(db: Database, *, today: dt.date | None = None, include_ended: bool = False) -> list[CaseRow]:
    """The open cases with what the office must act on, worst first; with `include_ended`, the ended ones
    after them (their files stay: 一人一档), newest ending first."""
    today = today or dt.date.today()
    judged = open_states(db, today=today, include_ended=include_ended)
    rows = []
    severity = SEVERITY.__getitem__
    new = tuple.__new__  # a CaseRow without its Python-level __new__: a county lists thousands
    last = len(SEVERITY)
    for case, st in judged:
        ended_on = (
            case.ended_on if case.ended_on and case.ended_on <= today else None
        )  # ended by the day judged
        flags = []
        current = st.current  # on the case's last day for an ended case (`serving_sql`)
        if ended_on:
            ended = f"{case.end_kind} {ended_on.isoformat()}"
        else:
            ended = ""
            for d in st.overdue:
                flags.append((KIND_FLAG[d.kind], (today - d.due).days))
            if not st.implemented and not any(f is CaseFlag.GROUP_OVERDUE for f, _ in flags):
                flags.append(
                    (
                        CaseFlag.GROUP_INCOMPLETE if current else CaseFlag.NO_GROUP,
                        (today - case.start_on).days,
                    )
                )
        if st.talk_overdue:
            flags.append((CaseFlag.TALK_OVERDUE, (today - (st.last_talk or case.start_on)).days))
        if len(flags) > 1:
            flags.sort(key=lambda f: severity(f[0]))
        late = flags[0][1] if flags else 0
        row = (case.id, case.person_id, case.person_name, mask(case.person_id_number), case.basis, case.start_on,
               st.term_end, current, st.last_talk, tuple([f for f, _ in flags]), st.implemented, ended, ended_on,
               late)  # fmt: skip
        # worst first: by the most severe flag (a missed deadline before a missing group before a talk), then by
        # how late it is; cases in order last, oldest first
        rows.append(((severity(flags[0][0]) if flags else last, -late, case.start_on), new(CaseRow, row)))
    rows.sort(key=itemgetter(0))
    return [r for _, r in rows if not r.ended] + sorted(
        (r for _, r in rows if r.ended), key=lambda r: r.ended_on, reverse=True
    )


def overdue_count(db: Database, *, today: dt.date | None = None) -> int:
    """How many open cases have a deadline past due: the start-up reminder."""
    return sum(1 for r in case_rows(db, today=today) if r.deadline_overdue)


@dataclass(frozen=True)
class Candidate:
    person_id: int
    name: str
    label: str  # name and masked ID, as the picker shows it
    basis: str
    since: dt.date


def candidates(db: Database) -> list[Candidate]:
    """Key persons in community rehab or recovery, or awaiting handover, who have no open case yet."""
    from sqlalchemy import text

    require(db, Permission.READ)
    bases = {"社区戒毒": "社区戒毒", "社区康复": "社区康复", "出所待接茬": "出所"}
    with db.read() as conn:
        rows = conn.execute(
            text("""
            SELECT p.id, p.name, p.id_number, e.status, e.since
            FROM drug_file f JOIN person p ON p.id = f.person_id
            JOIN drug_status_entry e ON e.id = (SELECT id FROM drug_status_entry WHERE file_id = f.id
                                                ORDER BY since DESC, id DESC LIMIT 1)
            WHERE p.state = '在册'
              AND NOT EXISTS (SELECT 1 FROM aftercare_case c WHERE c.person_id = p.id AND c.ended_on IS NULL)
            ORDER BY p.name
        """)
        ).all()
    return [
        Candidate(pid, name, f"{name}（{mask(number)}）", bases[status], dt.date.fromisoformat(str(since)))
        for pid, name, number, status, since in rows
        if status in bases
    ]
