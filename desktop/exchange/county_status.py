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


def status(db: Database) -> list[TownshipStatus]:
    from desktop.errors import ExchangeRefused
    from desktop.exchange.keys import is_county

    if not is_county(db):
        raise ExchangeRefused("not_county")
    store_ = mirrors(db)
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
            )
        )
    return out


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
    return store_.open_records(township_id, Actor(actor.username, actor.display_name, Role.VIEWER))
