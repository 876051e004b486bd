"""责任书: versioned templates, generating a year's agreements for every party in scope (idempotent), and each
agreement's steps 草拟 → 已打印 → 已签订 → 已归档, or 作废 with a reason; the scan of a returned signed copy; scans
of the signed paper stored in the encrypted database.

Who is a party, by type: 禁毒工作目标责任书 and 禁种铲毒责任书 — every village (community) with the township;
小组禁毒责任书 — every group with its village; 家庭禁毒承诺书 — every household with registered residents, with its
group; 场所禁毒承诺书 — every active key place, with its village; 辖区单位禁毒责任书 — every active unit of the
village's area (units_register), with its village. The parties' names are kept as printed, so a
household that later moves or splits keeps its signed agreement and a new household shows as missing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, text
from sqlmodel import select

from desktop.db import Database
from desktop.errors import AgreementNotFound, Problem, ValidationFailed, before
from desktop.models import Agreement, AgreementScan, AgreementTemplate, Township
from desktop.models.agreement_texts import PLACEHOLDERS
from desktop.models.enums import AgreementState, AgreementType
from desktop.models.units import clean
from desktop.services import scanning
from desktop.services.auth import Permission, require
from desktop.services.scanning import ScanOutcome

PARTY_KIND = {
    AgreementType.VILLAGE.value: "village",
    AgreementType.GROUP.value: "group",
    AgreementType.HOUSEHOLD.value: "household",
    AgreementType.PLACE.value: "place",
    AgreementType.UNIT.value: "unit",
    AgreementType.PLANTING.value: "village",
}
SIGNED = (AgreementState.SIGNED.value, AgreementState.FILED.value)
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def number(a: Agreement) -> str:
    return f"{a.year}-责-{a.seq:04d}"


def ascii_number(a: Agreement) -> str:
    """What the barcode carries: 2026-责-0042 → A2026-0042."""
    return f"A{a.year}-{a.seq:04d}"


def parse_number(text_: str) -> tuple[int, int] | None:
    return scanning.parse(text_, "A", "责")


# --- templates ---------------------------------------------------------------------------------------------------
def current_template(s, kind: str) -> AgreementTemplate:
    return s.exec(
        select(AgreementTemplate)
        .where(AgreementTemplate.type == kind)
        .order_by(AgreementTemplate.version.desc())
    ).first()


def templates(db: Database) -> dict[str, AgreementTemplate]:
    """The current version of every type's template."""
    require(db, Permission.READ)
    with db.session() as s:
        return {kind.value: current_template(s, kind.value) for kind in AgreementType}


def unknown_placeholders(text_: str) -> list[str]:
    return [name for name in PLACEHOLDER.findall(text_) if name not in PLACEHOLDERS]


def save_template(db: Database, kind: str, *, title: str, body: str, copies: int) -> int:
    """A new version of the type's template (the earlier ones stay, for the agreements made with them)."""
    require(db, Permission.SETTINGS)
    problems = []
    if kind not in {k.value for k in AgreementType}:
        raise ValueError(kind)
    for field, value in (("template_title", title), ("template_body", body)):
        if not clean(value):
            problems.append(Problem(field, "required", {}))
        for name in unknown_placeholders(value):
            problems.append(
                Problem(field, "unknown_placeholder", {"value": name, "known": "、".join(PLACEHOLDERS)})
            )
    if not 1 <= int(copies) <= 10:
        problems.append(Problem("copies", "out_of_range", {"min": 1, "max": 10}))
    if problems:
        raise ValidationFailed(problems)
    with db.session() as s:
        current = current_template(s, kind)
        if current and (current.title, current.body, current.copies) == (
            title.strip(),
            body.strip(),
            int(copies),
        ):
            return current.id  # unchanged: no new version
        t = AgreementTemplate(type=kind, version=(current.version if current else 0) + 1, title=title.strip(),
                              body=body.strip(), copies=int(copies))  # fmt: skip
        s.add(t)
        s.flush()
        return t.id


def render(template_text: str, values: dict[str, str]) -> str:
    """The text with its placeholders filled in; one without a value stays visible as ＿＿ (to fill by hand)."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1)) or "＿＿＿＿", template_text)


# --- parties and generation ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Party:
    kind: str
    id: int
    village_id: int | None
    group_id: int | None
    first: str  # 甲方
    second: str  # 乙方
    values: dict  # the other placeholders


def _committee(name: str, kind: str) -> str:
    return f"{name}{'居民' if kind == '社区' else '村民'}委员会"


# Who must sign each kind of agreement today: the one FROM … WHERE that parties() lists and in_scope() counts.
SCOPE = {
    "village": ("v.id", "FROM village v WHERE 1=1"),
    "group": ("g.id", "FROM village_group g JOIN village v ON v.id = g.village_id WHERE 1=1"),
    "household": (
        "h.id",
        "FROM household h JOIN village_group g ON g.id = h.group_id JOIN village v ON v.id = g.village_id "
        "WHERE EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND p.state = '在册')",
    ),
    "unit": ("u.id", "FROM jurisdiction_unit u JOIN village v ON v.id = u.village_id WHERE u.active"),
    "place": ("k.id", "FROM key_place k JOIN village v ON v.id = k.village_id WHERE k.active"),
}


def in_scope(s, kind: str) -> list[int]:
    """The ids of the parties that must sign this type today (parties() without building each party: a
    county's 240,000 households are counted, not drawn up)."""
    column, scope = SCOPE[PARTY_KIND[kind]]
    return list(s.execute(text(f"SELECT {column} {scope}")).scalars())


def parties(s, kind: str, village_id: int | None = None) -> list[Party]:
    """Who must sign this type today, in village, group and 户号 order."""
    t = s.exec(select(Township)).first()
    gov = f"{t.township_name}人民政府" if t else "乡镇人民政府"
    where = "" if village_id is None else " AND v.id = :v"
    params = {"v": village_id}
    party = PARTY_KIND[kind]
    scope = SCOPE[party][1] + where
    if party == "village":
        rows = s.execute(text(f"SELECT v.id, v.name, v.kind {scope} ORDER BY v.sort_order, v.id"), params)
        return [
            Party("village", vid, vid, None, gov, _committee(name, vk), {"村": name})
            for vid, name, vk in rows
        ]
    if party == "group":
        rows = s.execute(text(f"""SELECT g.id, v.id, v.name, v.kind, g.name {scope}
                                  ORDER BY v.sort_order, v.id, g.sort_order, g.id"""), params)  # fmt: skip
        return [Party("group", gid, vid, gid, _committee(vn, vk), f"{vn}{gn}", {"村": vn, "组": gn})
                for gid, vid, vn, vk, gn in rows]  # fmt: skip
    if party == "household":
        rows = s.execute(text(f"""
            SELECT h.id, v.id, g.id, v.name, g.name, h.number,
                   (SELECT p.name FROM person p WHERE p.household_id = h.id AND p.state = '在册'
                    ORDER BY p.relation != '户主', p.id LIMIT 1)
            {scope}
            ORDER BY v.sort_order, v.id, g.sort_order, g.id, h.number, h.id"""), params)  # fmt: skip
        return [Party("household", hid, vid, gid, f"{vn}{gn}", f"{head}户（户号：{hn}）", {"村": vn, "组": gn,
                                                                                          "户主": head, "户号": hn})
                for hid, vid, gid, vn, gn, hn, head in rows]  # fmt: skip
    if party == "unit":
        rows = s.execute(text(f"""SELECT u.id, v.id, v.name, v.kind, u.name, u.contact {scope}
                                  ORDER BY v.sort_order, v.id, u.name"""), params)  # fmt: skip
        return [Party("unit", uid, vid, None, _committee(vn, vk), f"{un}（负责人：{contact or '＿＿'}）", {"村": vn})
                for uid, vid, vn, vk, un, contact in rows]  # fmt: skip
    rows = s.execute(text(f"""SELECT k.id, v.id, v.name, v.kind, k.name, k.kind, k.owner {scope}
                              ORDER BY v.sort_order, v.id, k.name"""), params)  # fmt: skip
    return [Party("place", pid, vid, None, _committee(vn, vk), f"{pn}（经营者：{owner or '＿＿'}）",
                  {"村": vn, "场所": pn, "场所类别": pk}) for pid, vid, vn, vk, pn, pk, owner in rows]  # fmt: skip


def _existing(s, year: int, kind: str) -> set[int]:
    """The parties that already have a (not voided) agreement of this type for the year."""
    return set(
        s.exec(
            select(Agreement.party_id).where(
                Agreement.year == year, Agreement.type == kind, Agreement.state != AgreementState.VOID.value
            )
        ).all()
    )


@dataclass(frozen=True)
class Generated:
    made: int
    skipped: int  # already had one for the year


def generate(
    db: Database,
    year: int,
    kind: str,
    *,
    village_id: int | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Generated:
    """An agreement for every party in scope without one for that year and type, in one transaction, with the
    current template version; running it again makes nothing new."""
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    if kind not in PARTY_KIND:
        raise ValidationFailed(
            [Problem("agreement_type", "choice", {"value": kind, "choices": "、".join(PARTY_KIND)})]
        )
    if not today.year - 1 <= year <= today.year + 1:
        raise ValidationFailed(
            [Problem("year", "out_of_range", {"min": today.year - 1, "max": today.year + 1})]
        )
    from desktop.services.assessment_targets import placeholders

    targets = placeholders(db, year)  # the year's targets as 设置 → 年度考核目标 has them
    with db.session() as s:
        template = current_template(s, kind)
        t = s.exec(select(Township)).first()
        common = {"年度": str(year), "县": t.county_name if t else "", "乡镇": t.township_name if t else "",
                  "份数": str(template.copies)} | targets  # fmt: skip
        have = _existing(s, year, kind)
        todo = [p for p in parties(s, kind, village_id) if p.id not in have]
        seq = (s.exec(select(func.max(Agreement.seq)).where(Agreement.year == year)).one() or 0) + 1
        rows = []
        for i, p in enumerate(todo):
            rows.append(Agreement(year=year, seq=seq + i, type=kind, template_id=template.id, party_kind=p.kind,
                                  party_id=p.id, village_id=p.village_id, group_id=p.group_id, first_party=p.first,
                                  second_party=p.second, details=json.dumps(common | p.values, ensure_ascii=False),
                                  state=AgreementState.DRAFT.value, generated_on=today))  # fmt: skip
            if progress and i % 500 == 0:
                progress(i, len(todo))
        s.add_all(rows)
    return Generated(len(todo), len(have))


# --- the steps ---------------------------------------------------------------------------------------------------------
def _agreement(s, agreement_id: int) -> Agreement:
    a = s.get(Agreement, agreement_id)
    if a is None:
        raise AgreementNotFound(str(agreement_id))
    return a


def _state(a: Agreement, *allowed: str) -> list[Problem]:
    if a.state in allowed:
        return []
    return [
        Problem(
            "state", "agreement_state", {"value": a.state, "allowed": "、".join(allowed), "number": number(a)}
        )
    ]


def mark_printed(db: Database, agreement_ids: list[int], *, today: dt.date | None = None) -> None:
    """Printed (again): a draft becomes 已打印; every printing is counted. Voided ones are not printed."""
    require(db, Permission.PRINT)
    today = today or dt.date.today()
    with db.session() as s:
        for start in range(0, len(agreement_ids), 900):
            for a in s.exec(
                select(Agreement).where(Agreement.id.in_(agreement_ids[start : start + 900]))
            ).all():
                if a.state == AgreementState.VOID.value:
                    continue
                a.prints += 1
                if a.state == AgreementState.DRAFT.value:
                    a.state, a.printed_on = AgreementState.PRINTED.value, today


def sign(
    db: Database, agreement_id: int, *, on: dt.date, by: str, witness: str = "", today: dt.date | None = None
) -> None:
    """Signed on paper: when, by whom for the second party, and who witnessed it. Only a printed agreement."""
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    with db.session() as s:
        a = _agreement(s, agreement_id)
        problems = _state(a, AgreementState.PRINTED.value)
        if not clean(by):
            problems.append(Problem("signed_by", "required", {}))
        if on > today:
            problems.append(Problem("signed_on", "date_in_future", {"value": on.isoformat()}))
        if a.printed_on and on < a.printed_on:
            problems.append(before("signed_on", on, "打印日期", a.printed_on))
        if problems:
            raise ValidationFailed(problems)
        a.state, a.signed_on, a.signed_by, a.witness = (
            AgreementState.SIGNED.value,
            on,
            clean(by),
            clean(witness),
        )


def file(db: Database, agreement_id: int, *, on: dt.date, where: str, today: dt.date | None = None) -> None:
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    with db.session() as s:
        a = _agreement(s, agreement_id)
        problems = _state(a, AgreementState.SIGNED.value)
        if not clean(where):
            problems.append(Problem("filed_where", "required", {}))
        if on > today:
            problems.append(Problem("filed_on", "date_in_future", {"value": on.isoformat()}))
        if a.signed_on and on < a.signed_on:
            problems.append(before("filed_on", on, "签订日期", a.signed_on))
        if problems:
            raise ValidationFailed(problems)
        a.state, a.filed_on, a.filed_where = AgreementState.FILED.value, on, clean(where)


def void(db: Database, agreement_id: int, *, reason: str, today: dt.date | None = None) -> None:
    """Voided with its reason (a wrong party, a torn copy); generating again makes a new one for the party."""
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    with db.session() as s:
        a = _agreement(s, agreement_id)
        problems = _state(
            a, AgreementState.DRAFT.value, AgreementState.PRINTED.value, AgreementState.SIGNED.value
        )
        if not clean(reason):
            problems.append(Problem("void_reason", "required", {}))
        if problems:
            raise ValidationFailed(problems)
        a.state, a.voided_on, a.void_reason = AgreementState.VOID.value, today, reason.strip()


def scan(db: Database, text_: str, *, today: dt.date | None = None) -> ScanOutcome:
    """A returned signed copy scanned: 已签订 today, recorded by the clerk. An unknown number, one not printed
    yet, already signed or voided is reported and changes nothing."""
    actor = require(db, Permission.WRITE)
    today = today or dt.date.today()
    key = parse_number(text_)
    if key is None:
        return ScanOutcome("unreadable", text_.strip()[:30])
    with db.session() as s:
        a = s.exec(select(Agreement).where(Agreement.year == key[0], Agreement.seq == key[1])).first()
        if a is None:
            return ScanOutcome("unknown", f"{key[0]}-责-{key[1]:04d}")
        if a.state == AgreementState.VOID.value:
            return ScanOutcome("void", number(a), a.second_party, a.void_reason)
        if a.state != AgreementState.PRINTED.value:
            return ScanOutcome("already", number(a), a.second_party, a.state, a.signed_on)
        a.state, a.signed_on, a.signed_by = AgreementState.SIGNED.value, today, a.second_party
        a.witness = actor.display_name
        return ScanOutcome("done", number(a), a.second_party, "", today)


# --- scans of the signed paper ----------------------------------------------------------------------------------------
def attach(db: Database, agreement_id: int, path: Path) -> int:
    """A scan or photo of the signed paper, stored inside the (encrypted) database."""
    from desktop.services.key_persons import read_scan

    require(db, Permission.WRITE)
    name, mime, data = read_scan(Path(path))
    with db.session() as s:
        _agreement(s, agreement_id)
        item = AgreementScan(agreement_id=agreement_id, name=name, mime=mime, size=len(data), data=data)
        s.add(item)
        s.flush()
        return item.id


def scans(db: Database, agreement_id: int) -> list[tuple[int, str, int]]:
    require(db, Permission.READ)
    with db.session() as s:
        return [
            (a.id, a.name, a.size)
            for a in s.exec(select(AgreementScan).where(AgreementScan.agreement_id == agreement_id)).all()
        ]


def scan_bytes(db: Database, scan_id: int) -> tuple[str, bytes]:
    """A stored scan to look at; viewing it is recorded in the audit trail."""
    from desktop import audit

    require(db, Permission.READ)
    with db.session() as s:
        item = s.get(AgreementScan, scan_id)
        if item is None:
            raise AgreementNotFound(str(scan_id))
        audit.record(s, [audit.Change("view_attachment", "agreement_scan", scan_id, detail=item.name)])
        return item.name, item.data
