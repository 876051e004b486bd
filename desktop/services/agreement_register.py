"""The 责任书 register: a year's agreements, and the one definition of coverage the tab, the figures and the
county export share.

Coverage (签订率) of a type for a year: of the parties that must sign it today (every village, group, household
with registered residents or active key place — agreements.parties), the share that have one of that type and
year 已签订 or 已归档. A household that moved or split keeps its signed agreement but is no longer counted; a new
household counts as missing until it signs. Target 100%. A type with no party in scope has no coverage ("—").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import select

from desktop.db import Database
from desktop.models import Agreement
from desktop.models.enums import AgreementType
from desktop.services.agreements import SIGNED, in_scope, parties
from desktop.services.auth import Permission, require
from desktop.services.rates import Rate


@dataclass(frozen=True)
class AgreementRow:
    agreement_id: int
    number: str
    type: str
    village: str
    group: str
    first_party: str
    second_party: str
    state: str
    printed_on: dt.date | None
    signed_on: dt.date | None
    filed_where: str
    void_reason: str


def rows(
    db: Database, year: int, *, kind: str | None = None, village_id: int | None = None
) -> list[AgreementRow]:
    """The year's agreements in village and group order, households by 户号 (a household that arrived later
    prints among its neighbours), then by number."""
    require(db, Permission.READ)
    where = (
        ["a.year = :y"] + (["a.type = :t"] if kind else []) + (["a.village_id = :v"] if village_id else [])
    )
    with db.read() as conn:
        found = conn.execute(
            text(f"""
            SELECT a.id, a.year, a.seq, a.type, coalesce(v.name, ''), coalesce(g.name, ''), a.first_party,
                   a.second_party, a.state, a.printed_on, a.signed_on, a.filed_where, a.void_reason
            FROM agreement a LEFT JOIN village v ON v.id = a.village_id LEFT JOIN village_group g ON g.id = a.group_id
            LEFT JOIN household h ON a.party_kind = 'household' AND h.id = a.party_id
            WHERE {" AND ".join(where)}
            ORDER BY v.sort_order, a.village_id, g.sort_order, a.group_id, length(h.number), h.number, a.seq"""),
            {"y": year, "t": kind, "v": village_id},
        ).all()
    return [
        AgreementRow(
            r[0],
            f"{r[1]}-责-{r[2]:04d}",
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            _day(r[9]),
            _day(r[10]),
            r[11],
            r[12],
        )  # fmt: skip
        for r in found
    ]


def _day(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class Coverage:
    type: str
    village: str  # "" for the type's total
    group: str  # "" above the group level
    rate: Rate
    missing: tuple[str, ...]  # the parties in scope not signed, as printed (乙方)


def coverage(db: Database, year: int) -> list[Coverage]:
    """For each type: its total, then by village, and for household agreements by group (the tab's tree); last,
    the 帮教协议书 of the open aftercare cases, which count beside them."""
    require(db, Permission.READ)
    out = []
    with db.session() as s:
        names = dict(s.execute(text("SELECT id, name FROM village")).all())
        groups = dict(s.execute(text("SELECT id, name FROM village_group")).all())
        for kind in AgreementType:
            due = parties(s, kind.value)
            signed = _signed(s, year, kind.value)
            out.append(_line(kind.value, "", "", due, signed))
            by_village = defaultdict(list)
            for p in due:
                by_village[p.village_id].append(p)
            for vid, members in by_village.items():
                out.append(_line(kind.value, names.get(vid, ""), "", members, signed))
                if kind == AgreementType.HOUSEHOLD:
                    by_group = defaultdict(list)
                    for p in members:
                        by_group[p.group_id].append(p)
                    out += [_line(kind.value, names.get(vid, ""), groups.get(gid, ""), ps, signed)
                            for gid, ps in by_group.items()]  # fmt: skip
        out.append(_aftercare(s))
    return out


def parties_signed(db: Database, year: int, kind: str) -> tuple[list[tuple[str, str, str]], list[bool]]:
    """Every party `totals` counts for the type (village, group, who signs) and whether they signed: the 考核
    drill-down."""
    require(db, Permission.READ)
    with db.session() as s:
        if kind == AFTERCARE:
            from desktop.models import AftercareCase, Person

            cases = s.exec(
                select(AftercareCase.agreement_signed_on, Person.name)
                .join(Person, Person.id == AftercareCase.person_id)
                .where(AftercareCase.ended_on.is_(None))
            ).all()
            return [("", "", name) for _, name in cases], [signed is not None for signed, _ in cases]
        names = dict(s.execute(text("SELECT id, name FROM village")).all())
        groups = dict(s.execute(text("SELECT id, name FROM village_group")).all())
        due = parties(s, kind)
        signed = _signed(s, year, kind)
    return [(names.get(p.village_id, ""), groups.get(p.group_id, ""), p.second) for p in due], [
        p.id in signed for p in due
    ]


AFTERCARE = "帮教协议书"  # signed in the 帮教小组 tab; counted here beside the 责任书


def _aftercare(s) -> Coverage:
    """Open cases whose 帮教协议书 has come back signed, over open cases."""
    from desktop.models import AftercareCase, Person

    cases = s.exec(
        select(AftercareCase.agreement_signed_on, Person.name)
        .join(Person, Person.id == AftercareCase.person_id)
        .where(AftercareCase.ended_on.is_(None))
    ).all()
    missing = tuple(name for signed, name in cases if signed is None)
    return Coverage(AFTERCARE, "", "", Rate(len(cases) - len(missing), len(cases)), missing)


def _line(kind: str, village: str, group: str, due, signed: set[int]) -> Coverage:
    done = [p for p in due if p.id in signed]
    return Coverage(
        kind, village, group, Rate(len(done), len(due)), tuple(p.second for p in due if p.id not in signed)
    )


def _signed(s, year: int, kind: str) -> set[int]:
    query = select(Agreement.party_id).where(
        Agreement.year == year, Agreement.type == kind, Agreement.state.in_(SIGNED)
    )
    return set(s.exec(query).all())


def totals(db: Database, year: int) -> dict[str, Rate]:
    """Each type's coverage for the year — coverage()'s totals, counted from the parties' ids alone (the tab
    and the figures read this; a county's households are not drawn up one by one for it)."""
    require(db, Permission.READ)
    out = {}
    with db.session() as s:
        for kind in AgreementType:
            due = in_scope(s, kind.value)
            signed = _signed(s, year, kind.value)
            out[kind.value] = Rate(sum(1 for i in due if i in signed), len(due))
        out[AFTERCARE] = _aftercare(s).rate
    return out
