"""The 帮教小组 register: every open case with what the office must act on, the 帮教率, and the key persons
still waiting for a case. Loads the open cases, their groups and last talks in one transaction (a few hundred
cases per township), and judges each with `aftercare.judge`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import select

from desktop.db import Database
from desktop.models import AftercareCase, AftercareMember, AftercareTalk, Person
from desktop.models.enums import MemberRole
from desktop.models.idnumber import mask
from desktop.services.aftercare import CaseState, current_members, judge, rules
from desktop.services.auth import Permission, require


def open_states(
    db: Database, *, today: dt.date | None = None, include_ended: bool = False
) -> list[tuple[AftercareCase, CaseState]]:
    """Each open case (and, if asked, each ended one) with its standing on `today`."""
    require(db, Permission.READ)
    today = today or dt.date.today()
    wanted = AftercareCase.id.is_not(None) if include_ended else AftercareCase.ended_on.is_(None)
    with db.session() as s:
        required, interval = rules(s)
        cases = s.exec(select(AftercareCase).where(wanted)).all()
        members = defaultdict(list)
        for m in s.exec(
            select(AftercareMember)
            .join(AftercareCase, AftercareCase.id == AftercareMember.case_id)
            .where(wanted)
            .order_by(AftercareMember.since, AftercareMember.id)
        ):
            members[m.case_id].append(m)
        last = dict(
            s.exec(
                select(AftercareTalk.case_id, func.max(AftercareTalk.held_on)).group_by(AftercareTalk.case_id)
            ).all()
        )
    return [(c, judge(c, members[c.id], last.get(c.id), required, interval, today)) for c in cases]


def aftercare_rate(db: Database, *, today: dt.date | None = None) -> tuple[int, int]:
    """(cases with 帮教落实, open cases): the 帮教率 the county assesses (target ≥ 95%)."""
    states = [st for _, st in open_states(db, today=today)]  # open cases only
    return sum(st.implemented for st in states), len(states)


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


@dataclass(frozen=True)
class CaseRow:
    """One line of the 帮教小组 register."""

    case_id: int
    person_id: int
    name: str
    id_number_masked: str
    basis: str
    start_on: dt.date
    term_end: dt.date
    first_responsible: str
    members: str
    last_talk: dt.date | None
    flags: tuple[CaseFlag, ...]  # what is wrong, most severe first; () when all is in order
    implemented: bool
    ended: str = ""  # "解除 2026-02-15" for a case that has ended (listed only when asked)
    ended_on: dt.date | None = None
    days_late: int = 0  # how late the most severe thing is, for the order among equals

    @property
    def warnings(self) -> str:
        """The flags in words, for display only: decisions use `flags`."""
        return "；".join(FLAG_WORDS[f] for f in self.flags)

    @property
    def deadline_overdue(self) -> bool:
        return any(f.is_deadline for f in self.flags)


def case_rows(db: Database, *, today: dt.date | None = None, include_ended: bool = False) -> list[CaseRow]:
    """The open cases with what the office must act on, worst first; with `include_ended`, the ended ones
    after them (their files stay: 一人一档), newest ending first."""
    today = today or dt.date.today()
    judged = open_states(db, today=today, include_ended=include_ended)
    cases = [c for c, _ in judged]
    with db.session() as s:
        names = (
            {
                p.id: (p.name, p.id_number)
                for p in s.exec(select(Person).where(Person.id.in_([c.person_id for c in cases])))
            }
            if cases
            else {}
        )
    rows = []
    for case, st in judged:
        ended = f"{case.end_kind} {case.ended_on.isoformat()}" if case.ended_on else ""
        current = current_members(list(st.members), case.ended_on - dt.timedelta(days=1) if ended else today)
        flags, late = [], {}
        if not ended:
            for d in st.overdue:
                flags.append(CaseFlag(d.kind))
                late[CaseFlag(d.kind)] = (today - d.due).days
            if not st.implemented and CaseFlag.GROUP_OVERDUE not in flags:
                missing = CaseFlag.GROUP_INCOMPLETE if current else CaseFlag.NO_GROUP
                flags.append(missing)
                late[missing] = (today - case.start_on).days
        if st.talk_overdue:
            flags.append(CaseFlag.TALK_OVERDUE)
            late[CaseFlag.TALK_OVERDUE] = (today - (st.last_talk or case.start_on)).days
        flags.sort(key=SEVERITY.__getitem__)
        name, number = names.get(case.person_id, ("", ""))
        rows.append(
            CaseRow(
                case.id,
                case.person_id,
                name,
                mask(number),
                case.basis,
                case.start_on,
                st.term_end,
                next((m.name for m in current if m.first_responsible), ""),
                "、".join(f"{m.role}{m.name}" for m in sorted(current, key=lambda m: ROLE_ORDER[m.role])),
                st.last_talk,
                tuple(flags),
                st.implemented,
                ended,
                case.ended_on,
                late.get(flags[0], 0) if flags else 0,
            )
        )
    # worst first: by the most severe flag (a missed deadline before a missing group before a talk), then by
    # how late it is; cases in order last, oldest first
    rows.sort(key=lambda r: (SEVERITY[r.flags[0]] if r.flags else len(SEVERITY), -r.days_late, r.start_on))
    return [r for r in rows if not r.ended] + sorted(
        (r for r in rows if r.ended), key=lambda r: r.ended_on, reverse=True
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
