"""What the county knows of each registered township: when it last reported, what it sent, and whether its
audit trail still continues the chain the county holds (the trail's outside anchor)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from desktop.db import Database
from desktop.exchange.county import mirrors
from desktop.exchange.keys import registered


@dataclass(frozen=True)
class TownshipStatus:
    id: int
    township: str
    fingerprint: str
    bundles: int
    last_seq: int
    imported_at: str  # '' when nothing was imported yet
    exported_at: str  # when the township made its last bundle
    registers: (
        dict  # the last bundle's counts: persons, key_persons, aftercare_cases, urine_notices, agreements
    )
    villages: list  # [code, name, persons, key persons]
    audit_problem: str  # '' or altered | chain | gap: the first import whose entries did not follow
    first_bad_audit_id: int | None
    audit_entries: int  # the township's audit trail, as far as the county holds it
    review: str = ""  # the county's latest finding on the flag: "张三 2026-12-02：…" ('' when none)


def status(db: Database) -> list[TownshipStatus]:
    from desktop.errors import ExchangeRefused
    from desktop.exchange.keys import is_county

    if not is_county(db):
        raise ExchangeRefused("not_county")
    store_ = mirrors(db)
    findings = _findings(db)
    out = []
    for town in registered(db):
        imports = store_.imports(town.id)
        if not imports:
            out.append(
                TownshipStatus(
                    town.id, town.township_name, town.fingerprint, 0, 0, "", "", {}, [], "", None, 0
                )
            )
            continue
        seq, imported_at, manifest, _, _, _ = imports[-1]
        m = json.loads(manifest)
        flagged = next((r for r in imports if r[3]), None)
        out.append(
            TownshipStatus(
                town.id,
                town.township_name,
                town.fingerprint,
                len(imports),
                seq,
                str(imported_at)[:19],
                str(m.get("created_at", "")).replace("T", " "),
                m.get("counts", {}).get("registers", {}),
                m.get("counts", {}).get("villages", []),
                flagged[3] if flagged else "",
                flagged[4] if flagged else None,
                m.get("audit", {}).get("head_id", 0),
                findings.get((town.id, flagged[0]), "") if flagged else "",
            )
        )
    return out


def _findings(db: Database) -> dict[tuple[int, int], str]:
    """The latest finding per (township, flagged import), as the tab shows it."""
    from sqlmodel import select

    from desktop.models.tables import CountyAuditReview

    with db.session() as s:
        reviews = s.exec(select(CountyAuditReview).order_by(CountyAuditReview.id)).all()
    return {
        (r.township_id, r.import_seq): f"{r.reviewed_by} {r.reviewed_at:%Y-%m-%d}：{r.finding}"
        for r in reviews
    }


def review_flag(db: Database, township_id: int, finding: str) -> None:
    """The county records what it found when it looked into a township's broken audit chain (e.g. a PC
    repaired by the vendor, a restore; or the entries the township rewrote). The flag stays on the township's
    line — the chain is still broken — with the finding beside it; each finding is kept and audited."""
    from desktop.errors import ExchangeRefused, Problem, ValidationFailed
    from desktop.exchange.keys import is_county
    from desktop.models.tables import CountyAuditReview
    from desktop.services.auth import Permission, require

    actor = require(db, Permission.EXCHANGE)
    if not is_county(db):
        raise ExchangeRefused("not_county")
    finding = (finding or "").strip()  # prose: its own punctuation
    if not finding:
        raise ValidationFailed([Problem("finding", "required", {})])
    flagged = next((r for r in mirrors(db).imports(township_id) if r[3]), None)
    if flagged is None:
        raise ExchangeRefused("not_flagged")
    with db.session() as s:
        s.add(
            CountyAuditReview(
                township_id=township_id,
                import_seq=flagged[0],
                first_bad_audit_id=flagged[4],
                finding=finding,
                reviewed_by=actor.display_name,
            )
        )


def township_records(db: Database, township_id: int) -> Database:
    """A township's mirror opened read only for the county's officer, who may read and nothing else: the store
    refuses every write (a read-only SQLite connection, a read-only PostgreSQL transaction), and the role is 查看
    whatever the officer's role at the county."""
    from desktop.errors import ExchangeRefused
    from desktop.models.enums import Role
    from desktop.services.auth import Actor, Permission, require

    actor = require(db, Permission.READ)
    store_ = mirrors(db)
    if not store_.exists(township_id):
        raise ExchangeRefused("nothing_imported")
    records = store_.open_records(township_id, Actor(actor.username, actor.display_name, Role.VIEWER))
    records.audit_into = db  # a lookup by a whole ID number is written to the county's own trail
    records.audit_label = next((t.township_name for t in registered(db) if t.id == township_id), "")
    return records
