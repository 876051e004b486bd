"""Aftercare (帮教): cases, their deadlines, their groups (三帮一 / 五位一体) and talks. Domain only, for now.

Deadlines the office must not miss:
- the person reports within 15 days of the 责令社区戒毒（康复）决定书;
- the group is formed when the handover notice (出所通知) arrives (接茬);
- the end-of-term notice reaches the township within 7 days of the end of the term.
A term of N years from 29 February ends on 28 February in a year that is not a leap year.

A case is 帮教落实 when its current group has the township's required roles (by default a police officer, a
cadre and a family member) and exactly one 第一责任人; 帮教率 is the share of open cases that are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import select

from desktop.db import Database
from desktop.models import AftercareCase, AftercareMember, AftercareTalk, Township
from desktop.models.enums import CaseBasis, MemberRole, TalkKind
from desktop.models.units import clean
from desktop.services.auth import Permission, require
from desktop.services.errors import Problem, ValidationFailed

REPORT_DAYS = 15
END_NOTICE_DAYS = 7


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, into a year without one
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Deadline:
    kind: str  # report | group | end_notice
    due: dt.date
    done_on: dt.date | None

    def overdue(self, today: dt.date) -> bool:
        return self.done_on is None and today > self.due


def deadlines(case: AftercareCase) -> list[Deadline]:
    out = []
    if case.decision_on is not None:
        out.append(Deadline("report", case.decision_on + dt.timedelta(days=REPORT_DAYS), case.reported_on))
    if case.handover_notice_on is not None:
        out.append(Deadline("group", case.handover_notice_on, case.group_formed_on))
    term_end = add_years(case.start_on, case.term_years)
    out.append(Deadline("end_notice", term_end + dt.timedelta(days=END_NOTICE_DAYS), case.end_notified_on))
    return out


@dataclass(frozen=True)
class CaseState:
    id: int
    person_id: int
    basis: str
    term_end: dt.date
    members: tuple[AftercareMember, ...]
    implemented: bool  # 帮教落实
    last_talk: dt.date | None
    talk_overdue: bool
    overdue: tuple[Deadline, ...]


def _rules(s) -> tuple[set[str], int]:
    t = s.exec(select(Township)).first()
    roles = {r.strip() for r in (t.aftercare_required_roles if t else "").split(",") if r.strip()}
    return roles, (t.talk_interval_days if t else 30)


def _current(members, on: dt.date) -> list[AftercareMember]:
    return [m for m in members if m.since <= on and (m.until is None or m.until > on)]


def is_implemented(members: list[AftercareMember], required: set[str]) -> bool:
    roles = {m.role for m in members}
    return required <= roles and sum(m.first_responsible for m in members) == 1


def open_case(
    db: Database,
    person_id: int,
    *,
    basis: str,
    start_on: dt.date,
    decision_on: dt.date | None = None,
    facility: str = "",
    handover_notice_on: dt.date | None = None,
    term_years: int | None = None,
) -> int:
    require(db, Permission.WRITE)
    problems = []
    if basis not in {b.value for b in CaseBasis}:
        problems.append(
            Problem("basis", "choice", {"value": basis, "choices": "、".join(b.value for b in CaseBasis)})
        )
    if basis == CaseBasis.RELEASED.value and handover_notice_on is None:
        problems.append(Problem("handover_notice_on", "required", {}))
    if problems:
        raise ValidationFailed(problems)
    with db.session() as s:
        t = s.exec(select(Township)).first()
        case = AftercareCase(
            person_id=person_id,
            basis=basis,
            start_on=start_on,
            decision_on=decision_on,
            facility=clean(facility),
            handover_notice_on=handover_notice_on,
            term_years=term_years or (t.aftercare_term_years if t else 3),
        )
        s.add(case)
        s.flush()
        return case.id


def add_member(
    db: Database,
    case_id: int,
    *,
    role: str,
    name: str,
    since: dt.date,
    unit: str = "",
    phone: str = "",
    first_responsible: bool = False,
) -> int:
    """A new member of the group; naming them 第一责任人 passes that duty on from whoever held it."""
    require(db, Permission.WRITE)
    if role not in {r.value for r in MemberRole}:
        raise ValidationFailed(
            [Problem("role", "choice", {"value": role, "choices": "、".join(r.value for r in MemberRole)})]
        )
    if not clean(name):
        raise ValidationFailed([Problem("name", "required", {})])
    with db.session() as s:
        case = s.get(AftercareCase, case_id)
        members = s.exec(select(AftercareMember).where(AftercareMember.case_id == case_id)).all()
        if first_responsible:
            for m in _current(members, since):
                m.first_responsible = False
        member = AftercareMember(
            case_id=case_id,
            role=role,
            name=clean(name),
            unit=clean(unit),
            phone=phone,
            first_responsible=first_responsible,
            since=since,
        )
        s.add(member)
        if case.group_formed_on is None and is_implemented(_current([*members, member], since), _rules(s)[0]):
            case.group_formed_on = since
        s.flush()
        return member.id


def replace_member(
    db: Database, member_id: int, *, name: str, on: dt.date, unit: str = "", phone: str = ""
) -> int:
    """The member serves until `on`; the new one, in the same role and duty, from `on`: who served when stays."""
    require(db, Permission.WRITE)
    with db.session() as s:
        old = s.get(AftercareMember, member_id)
        if on < old.since:
            raise ValidationFailed(
                [Problem("since", "before_last", {"value": on.isoformat(), "last": old.since.isoformat()})]
            )
        old.until = on
        new = AftercareMember(
            case_id=old.case_id,
            role=old.role,
            name=clean(name),
            unit=clean(unit),
            phone=phone,
            first_responsible=old.first_responsible,
            since=on,
        )
        old.first_responsible = False if new.first_responsible else old.first_responsible
        s.add(new)
        s.flush()
        return new.id


def add_talk(
    db: Database,
    case_id: int,
    *,
    held_on: dt.date,
    kind: str,
    by_whom: str,
    thinking: str = "",
    income: str = "",
    contacts: str = "",
    whereabouts: str = "",
    behaviour: str = "",
    notes: str = "",
    today: dt.date | None = None,
) -> int:
    require(db, Permission.WRITE)
    problems = []
    if kind not in {k.value for k in TalkKind}:
        problems.append(
            Problem("kind", "choice", {"value": kind, "choices": "、".join(k.value for k in TalkKind)})
        )
    if held_on > (today or dt.date.today()):
        problems.append(Problem("held_on", "date_in_future", {"value": held_on.isoformat()}))
    if not clean(by_whom):
        problems.append(Problem("by_whom", "required", {}))
    if problems:
        raise ValidationFailed(problems)
    with db.session() as s:
        talk = AftercareTalk(
            case_id=case_id,
            held_on=held_on,
            kind=kind,
            by_whom=clean(by_whom),
            thinking=thinking,
            income=income,
            contacts=contacts,
            whereabouts=whereabouts,
            behaviour=behaviour,
            notes=notes,
        )
        s.add(talk)
        s.flush()
        return talk.id


def state(db: Database, case_id: int, *, today: dt.date | None = None) -> CaseState:
    require(db, Permission.READ)
    today = today or dt.date.today()
    with db.session() as s:
        case = s.get(AftercareCase, case_id)
        required, interval = _rules(s)
        members = s.exec(
            select(AftercareMember)
            .where(AftercareMember.case_id == case_id)
            .order_by(AftercareMember.since, AftercareMember.id)
        ).all()
        talks = s.exec(
            select(AftercareTalk.held_on)
            .where(AftercareTalk.case_id == case_id)
            .order_by(AftercareTalk.held_on.desc())
        ).all()
    current = _current(members, today)
    last = talks[0] if talks else None
    reference = last or case.group_formed_on or case.start_on
    return CaseState(
        id=case.id,
        person_id=case.person_id,
        basis=case.basis,
        term_end=add_years(case.start_on, case.term_years),
        members=tuple(members),
        implemented=is_implemented(current, required),
        last_talk=last,
        talk_overdue=case.ended_on is None and (today - reference).days > interval,
        overdue=tuple(d for d in deadlines(case) if d.overdue(today)),
    )


def aftercare_rate(db: Database, *, today: dt.date | None = None) -> tuple[int, int]:
    """(cases with 帮教落实, open cases): the 帮教率 the county assesses (target ≥ 95%)."""
    require(db, Permission.READ)
    with db.session() as s:
        ids = s.exec(select(AftercareCase.id).where(AftercareCase.ended_on.is_(None))).all()
    states = [state(db, cid, today=today) for cid in ids]
    return sum(st.implemented for st in states), len(states)


DEADLINE_WORDS = {"report": "未按期报到", "group": "帮教小组未落实", "end_notice": "期满通知逾期"}


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
    warnings: str  # overdue deadlines and a missing talk, in words; "" when all is in order
    implemented: bool


def case_rows(db: Database, *, today: dt.date | None = None) -> list[CaseRow]:
    """The open cases with what the office must act on, worst first."""
    from desktop.models import Person
    from desktop.models.idnumber import mask

    require(db, Permission.READ)
    today = today or dt.date.today()
    with db.session() as s:
        cases = s.exec(select(AftercareCase).where(AftercareCase.ended_on.is_(None))).all()
        names = (
            {
                p.id: (p.name, p.id_number)
                for p in s.exec(select(Person).where(Person.id.in_([c.person_id for c in cases])))
            }
            if cases
            else {}
        )
    rows = []
    for case in cases:
        st = state(db, case.id, today=today)
        current = _current(list(st.members), today)
        words = [DEADLINE_WORDS[d.kind] for d in st.overdue]
        if st.talk_overdue:
            words.append("谈话逾期")
        if not st.implemented and "帮教小组未落实" not in words:
            words.append("小组不全")
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
                "、".join(f"{m.role}{m.name}" for m in current),
                st.last_talk,
                "；".join(words),
                st.implemented,
            )
        )
    return sorted(rows, key=lambda r: (r.warnings == "", r.start_on))


def overdue_count(db: Database, *, today: dt.date | None = None) -> int:
    """How many open cases have a deadline past due: the start-up reminder."""
    return sum(1 for r in case_rows(db, today=today) if any(w in r.warnings for w in DEADLINE_WORDS.values()))


@dataclass(frozen=True)
class Candidate:
    person_id: int
    label: str  # name and masked ID, as the picker shows it
    basis: str
    since: dt.date


def candidates(db: Database) -> list[Candidate]:
    """Key persons in community rehab or recovery, or awaiting handover, who have no open case yet."""
    from sqlalchemy import text

    from desktop.models.idnumber import mask

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
        Candidate(pid, f"{name}（{mask(number)}）", bases[status], dt.date.fromisoformat(str(since)))
        for pid, name, number, status, since in rows
        if status in bases
    ]


def talks(db: Database, case_id: int) -> list[AftercareTalk]:
    require(db, Permission.READ)
    with db.session() as s:
        return list(
            s.exec(
                select(AftercareTalk)
                .where(AftercareTalk.case_id == case_id)
                .order_by(AftercareTalk.held_on.desc())
            ).all()
        )


def case_header(db: Database, case_id: int) -> AftercareCase:
    require(db, Permission.READ)
    with db.session() as s:
        return s.get(AftercareCase, case_id)


END_KINDS = ("解除", "终止")


def end_case(
    db: Database,
    case_id: int,
    *,
    kind: str,
    on: dt.date,
    paper: str,
    notified_on: dt.date | None = None,
    today: dt.date | None = None,
) -> None:
    """解除 (term completed) or 终止 (ended early): the date, the paper, and when the township was notified.
    The case leaves the open register but is kept, with its group and talks."""
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    problems = []
    if kind not in END_KINDS:
        problems.append(Problem("end_kind", "choice", {"value": kind, "choices": "、".join(END_KINDS)}))
    if not clean(paper):
        problems.append(Problem("end_paper", "required", {}))
    if on > today:
        problems.append(Problem("ended_on", "date_in_future", {"value": on.isoformat()}))
    if notified_on is not None and notified_on < on:
        problems.append(
            Problem(
                "end_notified_on", "before_last", {"value": notified_on.isoformat(), "last": on.isoformat()}
            )
        )
    with db.session() as s:
        case = s.get(AftercareCase, case_id)
        if on < case.start_on:
            problems.append(
                Problem(
                    "ended_on", "before_found", {"value": on.isoformat(), "found": case.start_on.isoformat()}
                )
            )
        if problems:
            raise ValidationFailed(problems)
        case.ended_on, case.end_kind, case.end_paper = on, kind, clean(paper)
        case.end_notified_on = notified_on or today
