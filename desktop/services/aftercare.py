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
from typing import NamedTuple

from sqlalchemy import func
from sqlmodel import select

from desktop.db import Database
from desktop.errors import Problem, ValidationFailed, before, choice
from desktop.models import AftercareCase, AftercareMember, AftercareTalk, Township
from desktop.models.enums import CaseBasis, MemberRole, TalkKind
from desktop.models.phone import PhoneError, normalise_phone
from desktop.models.units import clean
from desktop.services.auth import Permission, require

REPORT_DAYS = 15
END_NOTICE_DAYS = 7


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, into a year without one
        return day.replace(year=day.year + years, day=28)


def is_overdue(due: dt.date, done_on: dt.date | None, today: dt.date) -> bool:
    """Past due and not done by `today` (a day in the past is judged as it stood then)."""
    return (done_on is None or done_on > today) and today > due


class Deadline(NamedTuple):  # a tuple: a county register judges thousands of cases at once
    kind: str  # report | group | end_notice
    due: dt.date
    done_on: dt.date | None

    def overdue(self, today: dt.date) -> bool:
        return is_overdue(self.due, self.done_on, today)


REPORT_DELAY = dt.timedelta(days=REPORT_DAYS)
END_NOTICE_DELAY = dt.timedelta(days=END_NOTICE_DAYS)


def deadlines(case: AftercareCase, term_end: dt.date | None = None) -> list[Deadline]:
    """The case's three deadlines (the first two only where the paper that starts them has arrived)."""
    return [Deadline._make(d) for d in _dues(case, term_end or add_years(case.start_on, case.term_years))]


def _dues(case, term_end: dt.date) -> list[tuple]:
    """`deadlines` as plain (kind, due, done_on) tuples: the register judges thousands and keeps the late ones."""
    out = []
    if case.decision_on is not None:
        out.append(("report", case.decision_on + REPORT_DELAY, case.reported_on))
    if case.handover_notice_on is not None:
        out.append(("group", case.handover_notice_on, case.group_formed_on))
    out.append(("end_notice", term_end + END_NOTICE_DELAY, case.end_notified_on))
    return out


class CaseState(NamedTuple):
    id: int
    person_id: int
    basis: str
    term_end: dt.date
    members: tuple[AftercareMember, ...]  # everyone who served, in the order they joined (() in the register)
    current: tuple[AftercareMember, ...]  # those serving on the day judged (the register: see `serving_sql`)
    implemented: bool  # 帮教落实
    last_talk: dt.date | None
    talk_overdue: bool
    overdue: tuple[Deadline, ...]


def rules(s) -> tuple[set[str], int]:
    t = s.exec(select(Township)).first()
    roles = {r.strip() for r in (t.aftercare_required_roles if t else "").split(",") if r.strip()}
    return roles, (t.talk_interval_days if t else 30)


def current_members(members, on: dt.date) -> list[AftercareMember]:
    return [m for m in members if m.since <= on and (m.until is None or m.until > on)]


def serving_sql(today: dt.date) -> str:
    """`current_members` as an SQL condition on aftercare_member m joined to its aftercare_case c, for a
    register that reads thousands of groups: who serves on `today` in a case open that day, and on its last day
    (the day before it ended) in one ended by then. The same on SQLite's text dates and PostgreSQL's; tests hold it equal to
    `current_members`."""
    day = today.isoformat()  # a date's own digits: nothing to quote
    return (
        f"(CASE WHEN c.ended_on IS NULL OR c.ended_on > '{day}' THEN m.since <= '{day}' AND (m.until IS NULL OR m.until > '{day}') "
        "ELSE m.since < c.ended_on AND (m.until IS NULL OR m.until >= c.ended_on) END)"
    )


def is_implemented(members: list[AftercareMember], required: set[str]) -> bool:
    """帮教落实: exactly one 第一责任人 among those serving, and every role the township requires."""
    return [m.first_responsible for m in members].count(True) == 1 and required.issubset(
        [m.role for m in members]
    )


@dataclass(frozen=True)
class Particulars:
    """What the office knows of a case when it opens one, and corrects later (the form's fields)."""

    basis: str  # 社区戒毒 / 社区康复 / 出所
    start_on: dt.date
    decision_on: dt.date | None = None
    reported_on: dt.date | None = None
    facility: str = ""
    handover_notice_on: dt.date | None = None
    term_years: int | None = None  # None: the township's rule

    def checked(self, today: dt.date) -> dict:
        """The fields to store, or ValidationFailed with every problem at once."""
        problems = []
        if self.basis not in {b.value for b in CaseBasis}:
            problems.append(choice("basis", self.basis, [b.value for b in CaseBasis]))
        if self.basis == CaseBasis.RELEASED.value and self.handover_notice_on is None:
            problems.append(Problem("handover_notice_on", "required", {}))
        for name in ("decision_on", "reported_on", "handover_notice_on"):
            day = getattr(self, name)
            if day is not None and day > today:
                problems.append(Problem(name, "date_in_future", {"value": day.isoformat()}))
        if self.decision_on and self.reported_on and self.reported_on < self.decision_on:
            problems.append(before("reported_on", self.reported_on, "决定书日期", self.decision_on))
        if self.term_years is not None and not 1 <= self.term_years <= 10:
            problems.append(Problem("term_years", "out_of_range", {"min": 1, "max": 10}))
        if problems:
            raise ValidationFailed(problems)
        return {**self.__dict__, "facility": clean(self.facility)}


def open_case(db: Database, person_id: int, *, today: dt.date | None = None, **particulars) -> int:
    """A new case for a key person (`particulars`: the fields of `Particulars`); the term defaults to the
    township's rule (3 years unless set); one open case per person."""
    require(db, Permission.WRITE)
    fields = Particulars(**particulars).checked(today or dt.date.today())
    with db.session() as s:
        already = s.exec(
            select(AftercareCase.id).where(
                AftercareCase.person_id == person_id, AftercareCase.ended_on.is_(None)
            )
        ).first()
        if already is not None:
            raise ValidationFailed([Problem("person", "case_exists", {})])
        t = s.exec(select(Township)).first()
        fields["term_years"] = fields["term_years"] or (t.aftercare_term_years if t else 3)
        case = AftercareCase(person_id=person_id, **fields)
        s.add(case)
        s.flush()
        return case.id


def update_case(db: Database, case_id: int, *, today: dt.date | None = None, **particulars) -> None:
    """Correct or complete a case's particulars, e.g. the day the person reported (报到)."""
    require(db, Permission.WRITE)
    fields = Particulars(**particulars).checked(today or dt.date.today())
    with db.session() as s:
        case = s.get(AftercareCase, case_id)
        for name, value in fields.items():
            if name != "term_years" or value is not None:
                setattr(case, name, value)


def _phone(raw: str) -> str:
    try:
        return normalise_phone(raw)
    except PhoneError:
        raise ValidationFailed([Problem("phone", "phone_format", {"value": raw})]) from None


def _not_future(field: str, day: dt.date, today: dt.date | None) -> None:
    if day > (today or dt.date.today()):
        raise ValidationFailed([Problem(field, "date_in_future", {"value": day.isoformat()})])


def open_case_row(s, case_id: int) -> AftercareCase:
    """The case, for adding to its record; refused once the case has ended."""
    case = s.get(AftercareCase, case_id)
    if case.ended_on is not None:
        raise ValidationFailed([Problem("case", "case_ended", {"value": case.ended_on.isoformat()})])
    return case


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
    today: dt.date | None = None,
) -> int:
    """A new member of the group; naming them 第一责任人 passes that duty on from whoever held it."""
    require(db, Permission.WRITE)
    if role not in {r.value for r in MemberRole}:
        raise ValidationFailed([choice("role", role, [r.value for r in MemberRole])])
    if not clean(name):
        raise ValidationFailed([Problem("name", "required", {})])
    _not_future("member_since", since, today)
    phone = _phone(phone)
    with db.session() as s:
        case = open_case_row(s, case_id)
        members = s.exec(select(AftercareMember).where(AftercareMember.case_id == case_id)).all()
        if first_responsible:
            for m in current_members(members, since):
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
        if case.group_formed_on is None and is_implemented(
            current_members([*members, member], since), rules(s)[0]
        ):
            case.group_formed_on = since
        s.flush()
        return member.id


def replace_member(
    db: Database,
    member_id: int,
    *,
    name: str,
    on: dt.date,
    unit: str = "",
    phone: str = "",
    today: dt.date | None = None,
) -> int:
    """The member serves until `on`; the new one, in the same role and duty, from `on`: who served when stays."""
    require(db, Permission.WRITE)
    if not clean(name):
        raise ValidationFailed([Problem("name", "required", {})])
    _not_future("member_since", on, today)
    phone = _phone(phone)
    with db.session() as s:
        old = s.get(AftercareMember, member_id)
        open_case_row(s, old.case_id)
        if old.until is not None:
            raise ValidationFailed([Problem("member", "member_gone", {"value": old.until.isoformat()})])
        if on < old.since:
            raise ValidationFailed([before("member_since", on, "原成员参加日期", old.since)])
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
        # the old row keeps its 第一责任人 mark: it says who held the duty until `on`
        s.add(new)
        s.flush()
        return new.id


def make_first_responsible(db: Database, member_id: int, *, today: dt.date | None = None) -> None:
    """Name a serving member the group's 第一责任人; whoever held the duty passes it on."""
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    with db.session() as s:
        member = s.get(AftercareMember, member_id)
        open_case_row(s, member.case_id)
        if member.until is not None:
            raise ValidationFailed([Problem("member", "member_gone", {"value": member.until.isoformat()})])
        others = s.exec(select(AftercareMember).where(AftercareMember.case_id == member.case_id)).all()
        for m in current_members(others, today):
            m.first_responsible = m.id == member_id
        member.first_responsible = True


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
        problems.append(choice("talk_kind", kind, [k.value for k in TalkKind]))
    if held_on > (today or dt.date.today()):
        problems.append(Problem("held_on", "date_in_future", {"value": held_on.isoformat()}))
    if not clean(by_whom):
        problems.append(Problem("by_whom", "required", {}))
    if problems:
        raise ValidationFailed(problems)
    with db.session() as s:
        case = open_case_row(s, case_id)
        if held_on < case.start_on:
            raise ValidationFailed([before("held_on", held_on, "帮教起始日期", case.start_on)])
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


def judge_many(
    cases: list,
    serving: dict[int, list],
    last_talks: dict[int, dt.date],
    required: set[str],
    interval: int,
    today: dt.date,
    everyone: dict[int, list] | None = None,
) -> list[CaseState]:
    """Each case's standing on `today`, from its rows: who serves in it (`serving`, by case id), its last talk,
    and the township's rules; `everyone` (by case id) fills `CaseState.members` where the caller shows them.

    The one definition behind one case's dialog (`judge`) and the whole register, written as one plain loop:
    a county judges thousands of cases each time its register loads (benchmarks/register.py)."""
    no_one: tuple = ()
    everyone = everyone or {}
    out = []
    new = tuple.__new__  # CaseState without its Python-level __new__: thousands of cases
    for case in cases:
        current = tuple(serving.get(case.id, no_one))
        last_talk = last_talks.get(case.id)
        term_end = add_years(case.start_on, case.term_years)
        late = tuple([Deadline._make(d) for d in _dues(case, term_end) if is_overdue(d[1], d[2], today)])
        out.append(
            new(
                CaseState,
                (
                    case.id,
                    case.person_id,
                    case.basis,
                    term_end,
                    tuple(everyone.get(case.id, no_one)),
                    current,
                    is_implemented(current, required),
                    last_talk,
                    (case.ended_on is None or case.ended_on > today)  # open on the day judged
                    and (today - (last_talk or case.group_formed_on or case.start_on)).days > interval,
                    late,
                ),
            )
        )
    return out


def judge(
    case: AftercareCase,
    members: list[AftercareMember],
    last_talk: dt.date | None,
    required: set[str],
    interval: int,
    today: dt.date,
) -> CaseState:
    """One case's standing, for its dialog: `judge_many` of that case with all who ever served in it."""
    current = {case.id: current_members(members, today)}
    return judge_many([case], current, {case.id: last_talk}, required, interval, today, {case.id: members})[0]


def state(db: Database, case_id: int, *, today: dt.date | None = None) -> CaseState:
    require(db, Permission.READ)
    today = today or dt.date.today()
    with db.session() as s:
        case = s.get(AftercareCase, case_id)
        required, interval = rules(s)
        members = s.exec(
            select(AftercareMember)
            .where(AftercareMember.case_id == case_id)
            .order_by(AftercareMember.since, AftercareMember.id)
        ).all()
        last = s.exec(select(func.max(AftercareTalk.held_on)).where(AftercareTalk.case_id == case_id)).one()
    return judge(case, list(members), last, required, interval, today)


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
        problems.append(choice("end_kind", kind, END_KINDS))
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
