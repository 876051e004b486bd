"""Reading the audit trail: verify the chain (`wudu audit verify`, 工具 → 审计日志) and list entries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from desktop import audit
from desktop.db import Database
from desktop.services.auth import Permission, require

COLUMNS = "id, at, username, action, entity, entity_id, before, after, detail, prev_hash, hash"


def verify_chain(db: Database) -> audit.Verdict:
    require(db, Permission.AUDIT)
    head = audit.read_head(audit.head_path_for(db.path))
    with db.engine.connect() as conn:
        rows = conn.execute(text(f"SELECT {COLUMNS} FROM audit_entry ORDER BY id")).yield_per(5000)
        return audit.verify((tuple(r) for r in rows), head)


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: str
    username: str
    action: str
    entity: str
    entity_id: int | None
    before: str
    after: str
    detail: str


def entries(
    db: Database,
    *,
    username: str = "",
    date_from: str = "",
    date_to: str = "",
    entity: str = "",
    entity_id: int | None = None,
    limit: int = 2000,
) -> list[AuditRow]:
    """Newest first, filtered by user, date range (YYYY-MM-DD, inclusive) and record."""
    require(db, Permission.AUDIT)
    where, params = [], {}
    if username:
        where.append("username = :username")
        params["username"] = username
    if date_from:
        where.append("at >= :date_from")
        params["date_from"] = date_from
    if date_to:
        where.append("at < :date_to_end")
        params["date_to_end"] = date_to + "T99"
    if entity:
        where.append("entity = :entity")
        params["entity"] = entity
    if entity_id is not None:
        where.append("entity_id = :entity_id")
        params["entity_id"] = entity_id
    sql = f"SELECT {COLUMNS} FROM audit_entry"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC LIMIT :limit"
    params["limit"] = limit
    with db.session() as s:
        return [AuditRow(*r[:9]) for r in s.execute(text(sql), params).all()]
