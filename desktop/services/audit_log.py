"""Reading the audit trail: verify the chain (`wudu audit verify`, 工具 → 审计日志) and list entries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from desktop import audit
from desktop.db import Database
from desktop.services.auth import Permission, require

COLUMNS = "id, at, username, action, entity, entity_id, before, after, detail, prev_hash, hash"


def verify_chain(db: Database) -> audit.Verdict:
    """The whole chain against the head file. A disagreement found when the database was opened (before this
    session appended anything) is reported first: it is what the file looked like before we touched it."""
    require(db, Permission.AUDIT)
    if db.audit_problem is not None:
        return db.audit_problem
    return verify_file(db.path, db.key, audit.head_path_for(db.path))


def verify_file(path, key: bytes, head_path) -> audit.Verdict:
    """Verify the chain of a database file (the live one, or a backup) against a head file beside it."""
    from desktop import db as store

    head = audit.read_head(head_path)
    conn = store.connect_raw(path, key, readonly=True)
    try:
        cursor = conn.execute(f"SELECT {COLUMNS} FROM audit_entry ORDER BY id")
        return audit.verify(_batches(cursor), head)
    finally:
        conn.close()


def _batches(cursor):
    while rows := cursor.fetchmany(5000):
        yield from rows


def reanchor(db: Database, reason: str) -> audit.Verdict:
    """An administrator accepts a disagreement between the chain and its head file, with a reason: the finding,
    the old head and the reason become an entry of the chain, and the head is written anew from there. The
    entries themselves are not changed, and a break inside the chain stays visible to `verify_chain`."""
    from desktop.errors import Problem, ValidationFailed

    actor = require(db, Permission.ACCOUNTS)
    if not reason.strip():
        raise ValidationFailed([Problem("reason", "required", {})])
    found = db.audit_problem or verify_file(db.path, db.key, audit.head_path_for(db.path))
    if found.ok:
        return found
    old = audit.read_head(audit.head_path_for(db.path))
    detail = (
        f"{found.problem} #{found.first_bad_id}；原链头 {old[0] if old else '无'}"
        f" {old[1][:12] if old else ''}；{actor.display_name}：{reason.strip()}"
    )
    db.audit_problem = None  # this handle may move the head again, from the entry written now
    with db.session() as s:
        audit.record(s, [audit.Change("audit_reanchor", detail=detail)])
    with db.read() as conn:
        last = conn.execute(text("SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1")).first()
    audit.write_head(audit.head_path_for(db.path), (last[0], last[1]))
    return found


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
