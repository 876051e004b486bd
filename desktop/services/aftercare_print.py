"""What the 帮教 papers print: each gathered in one transaction, recorded in the audit, laid out by
`desktop.pdf.aftercare_docs`. Papers about one person carry the full ID number (the agreement is signed on it),
so printing them needs the right to see full numbers as well as to print."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text
from sqlmodel import select

from desktop import audit
from desktop.db import Database
from desktop.models import AftercareCase, AftercareMember, AftercareTalk, Person, Township
from desktop.pdf import aftercare_docs as docs
from desktop.services import aftercare, aftercare_records, rosters
from desktop.services.auth import Permission, require


def _authority(township_name: str) -> str:
    return f"{township_name}办事处" if township_name.endswith("街道") else f"{township_name}人民政府"


def _facts(s, case_id: int, *, history: bool, today: dt.date) -> docs.CaseFacts:
    case = s.get(AftercareCase, case_id)
    t = s.exec(select(Township)).first()
    p = s.get(Person, case.person_id)
    address = s.execute(
        text("SELECT coalesce(address, '') FROM household WHERE id = :id"), {"id": p.household_id}
    ).scalar()
    members = s.exec(
        select(AftercareMember)
        .where(AftercareMember.case_id == case_id)
        .order_by(AftercareMember.first_responsible.desc(), AftercareMember.since, AftercareMember.id)
    ).all()
    if not history:
        members = aftercare.current_members(list(members), today)
    ended = f"{case.end_kind} {case.ended_on.isoformat()}（{case.end_paper}）" if case.ended_on else ""
    return docs.CaseFacts(
        township=f"{t.county_name}{t.township_name}",
        authority=_authority(t.township_name),
        subject=docs.Subject(p.name, p.sex, p.birth_date, p.id_number, address or "", p.phone),
        basis=case.basis,
        decision_on=case.decision_on,
        reported_on=case.reported_on,
        facility=case.facility,
        handover_notice_on=case.handover_notice_on,
        start_on=case.start_on,
        term_end=aftercare.add_years(case.start_on, case.term_years),
        term_years=case.term_years,
        talk_interval_days=t.talk_interval_days,
        members=tuple(
            docs.Member(m.role, m.name, m.unit, m.phone, m.first_responsible, m.since, m.until)
            for m in members
        ),
        ended=ended,
    )


def _personal(db: Database) -> None:
    require(db, Permission.PRINT)
    require(db, Permission.VIEW_FULL_ID)


def agreement(db: Database, case_id: int, *, today: dt.date | None = None) -> bytes:
    """帮教协议书 among the township, the person and the group as it stands today."""
    _personal(db)
    with db.session() as s:
        facts = _facts(s, case_id, history=False, today=today or dt.date.today())
        audit.record(s, [audit.Change("print", "aftercare_case", case_id, detail="帮教协议书")])
    return docs.build_agreement(facts)


def record_sheet(db: Database, case_id: int, *, today: dt.date | None = None) -> bytes:
    """The case's record for the paper file: particulars, every member who served, talks, jobs, reviews."""
    _personal(db)
    today = today or dt.date.today()
    with db.session() as s:
        facts = _facts(s, case_id, history=True, today=today)
        talks = s.exec(
            select(AftercareTalk).where(AftercareTalk.case_id == case_id).order_by(AftercareTalk.held_on)
        ).all()
        audit.record(s, [audit.Change("print", "aftercare_case", case_id, detail="帮教工作记录")])
    labels = (("思想", "thinking"), ("收入", "income"), ("交往", "contacts"), ("去向", "whereabouts"))
    lines = []
    for t in talks:
        five = "；".join(
            f"{w}：{getattr(t, k)}" for w, k in (*labels, ("表现", "behaviour")) if getattr(t, k)
        )
        lines.append(docs.Talk(t.held_on, t.kind, t.by_whom, five, t.notes))
    jobs = [
        docs.Job(j.job, j.employer, j.since, j.until)
        for j in reversed(aftercare_records.employments(db, case_id))
    ]
    reviews = [
        docs.ReviewLine(v.period, v.kind, v.written_on, v.risk, v.by_whom, v.text)
        for v in reversed(aftercare_records.reviews(db, case_id))
    ]
    tests, warnings = _urine_lines(db, case_id)
    return docs.build_record_sheet(
        docs.RecordSheet(facts, tuple(lines), tuple(jobs), tuple(reviews), today, tests, warnings)
    )


def _urine_lines(db: Database, case_id: int) -> tuple[tuple[docs.UrineLine, ...], tuple[str, ...]]:
    """The case's urine-test notices and what they showed, for its paper file (一人一档)."""
    from desktop.services import urine, urine_register

    lines = []
    for n in urine_register.case_notices(db, case_id):
        outcome = n.result or (f"{n.state}：{n.void_reason}" if n.void_reason else n.state)
        window = f"{n.window_from.isoformat()}至{n.window_to.isoformat()}"
        lines.append(docs.UrineLine(urine.number(n), window, n.delivered_on, n.tested_on, outcome))
    w = urine_register.case_warnings(db, case_id)
    words = [f"复吸预警：{x}" for x in w.warnings]
    if w.breach:
        words.append(
            f"严重违反：期限内拒检或未到{len(w.evasions)}次（{'、'.join(x.split()[0] for x in w.evasions)}）"
        )
    return tuple(lines), tuple(words)


def review_sheet(db: Database, review_id: int, *, today: dt.date | None = None) -> bytes:
    """One half-year summary or yearly assessment, to be signed and filed."""
    _personal(db)
    case_id, v = aftercare_records.review(db, review_id)
    with db.session() as s:
        facts = _facts(s, case_id, history=True, today=today or dt.date.today())
        audit.record(s, [audit.Change("print", "aftercare_case", case_id, detail=f"{v.period}{v.kind}")])
    line = docs.ReviewLine(v.period, v.kind, v.written_on, v.risk, v.by_whom, v.text)
    return docs.build_review_sheet(docs.ReviewSheet(facts, line))


def _township(db: Database) -> str:
    info = db.township()
    return f"{info.county_name}{info.township_name}" if info else ""


def group_roster(db: Database, *, on: dt.date | None = None) -> bytes:
    """帮教小组成员名册 of the township, as it stands on `on` (names of the persons helped, no ID numbers)."""
    require(db, Permission.PRINT)
    on = on or dt.date.today()
    rows = rosters.group_roster(db, on=on)
    missing = rosters.cases_without_group(db, on=on)
    with db.session() as s:
        audit.record(s, [audit.Change("print", "roster", None, detail=f"帮教小组成员名册，{len(rows)}人次")])
    lines = [
        docs.GroupRosterLine(
            r.case_id, r.subject, r.basis, r.role, r.name, r.unit, r.phone, r.first_responsible
        )
        for r in rows
    ] + [
        docs.GroupRosterLine(case_id, subject, basis, "", "", "", "", False, formed=False)
        for case_id, subject, basis in missing
    ]
    # case by case in name order; a case without a group keeps its place, marked 未组建 (a stable sort keeps each
    # group's first responsible first)
    lines.sort(key=lambda line: (line.subject, line.case_id))
    return docs.build_group_roster(_township(db), tuple(lines), on)


def roster(db: Database, kind: str, *, on: dt.date | None = None) -> bytes:
    """毒情信息员名册 or 禁毒宣传员名册: those serving on `on`."""
    require(db, Permission.PRINT)
    on = on or dt.date.today()
    rows = rosters.entries(db, kind, serving_on=on)
    with db.session() as s:
        audit.record(s, [audit.Change("print", "roster", None, detail=f"{kind}名册，{len(rows)}人")])
    lines = tuple(docs.RosterLine(r.name, r.sex, r.village, r.unit, r.phone, r.since, r.notes) for r in rows)
    return docs.build_roster(_township(db), kind, lines, on)
