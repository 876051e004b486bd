"""The township's records as the bundle carries them: every table but the exchange's own bookkeeping, the
accounts and the audit trail, read raw (the values exactly as SQLite stores them, so a mirror written from them
is the same file content), each row with a short fingerprint that tells the next export what changed."""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from dataclasses import dataclass, field

from desktop.models.exchange_tables import NOT_EXPORTED

AUDIT_COLUMNS = (
    "id", "at", "username", "action", "entity", "entity_id", "before", "after", "detail", "prev_hash", "hash",
)  # fmt: skip


def exported_tables() -> list[str]:
    """Parents before children, as the mirror must receive them."""
    from sqlmodel import SQLModel

    import desktop.models.tables  # noqa: F401  (registers every table on the metadata)

    return [t.name for t in SQLModel.metadata.sorted_tables if t.name not in NOT_EXPORTED]


def primary_key(table: str) -> list[str]:
    from sqlmodel import SQLModel

    return [c.name for c in SQLModel.metadata.tables[table].primary_key.columns]


def key_of(row: list, positions: list[int]) -> str:
    """A row's primary key as a dictionary key: '17', or '[3,5]' for a two-column key."""
    return str(row[positions[0]]) if len(positions) == 1 else json.dumps([row[i] for i in positions])


def encode(value):
    return {"b": base64.b64encode(value).decode()} if isinstance(value, bytes | memoryview) else value


def decode(value):
    if isinstance(value, dict):
        return base64.b64decode(value["b"])
    return value


def blob_positions(table: str, columns: list[str]) -> list[int]:
    """Where a row of `table` (in the order of `columns`) holds bytes, which travel as {"b": base64}."""
    from sqlalchemy import LargeBinary
    from sqlmodel import SQLModel

    types = {c.name: c.type for c in SQLModel.metadata.tables[table].columns}
    return [i for i, c in enumerate(columns) if isinstance(types[c], LargeBinary)]


def decode_row(row: list, blobs: list[int]) -> list:
    out = list(row)
    for i in blobs:
        if isinstance(out[i], dict):
            out[i] = decode(out[i])
        elif out[i] is not None and not isinstance(out[i], bytes):
            raise ValueError("not bytes")
    return out


def row_hash(row: list) -> str:
    text = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


@dataclass
class Snapshot:
    columns: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[str, dict[str, list]] = field(default_factory=dict)  # table → key_of(row) → encoded row
    audit: list[list] = field(default_factory=list)
    audit_head: tuple[int, str] = (0, "")

    def state(self) -> dict[str, dict[str, str]]:
        return {t: {k: row_hash(r) for k, r in rows.items()} for t, rows in self.rows.items()}


def read_snapshot(conn, audit_after: int) -> Snapshot:
    """One consistent read (the caller's transaction) of every exported table and the audit entries after
    `audit_after`."""
    snap = Snapshot()
    for table in exported_tables():
        pk = primary_key(table)
        cur = conn.execute(f'SELECT * FROM "{table}" ORDER BY {", ".join(pk)}')  # noqa: S608 (our own names)
        names = [d[0] for d in cur.description]
        positions = [names.index(c) for c in pk]
        snap.columns[table] = names
        snap.rows[table] = {key_of(row, positions): [encode(v) for v in row] for row in cur}
    cols = ", ".join(AUDIT_COLUMNS)
    snap.audit = [
        list(r)
        for r in conn.execute(f"SELECT {cols} FROM audit_entry WHERE id > ? ORDER BY id", (audit_after,))
    ]
    last = conn.execute("SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
    snap.audit_head = (last[0], last[1]) if last else (0, "")
    return snap


def pack_state(state: dict) -> bytes:
    return zlib.compress(json.dumps(state, separators=(",", ":")).encode(), 6)


def unpack_state(blob: bytes) -> dict:
    return json.loads(zlib.decompress(blob)) if blob else {}


def changes(snap: Snapshot, acknowledged: dict) -> dict:
    """The payload's tables: rows new or changed since the acknowledged state, and ids gone since."""
    state = snap.state()
    out = {}
    for table, rows in snap.rows.items():
        known = acknowledged.get(table, {})
        changed = [r for k, r in rows.items() if known.get(k) != state[table][k]]
        # a deleted row is named by its primary key's values, in the key's column order
        deleted = [json.loads(k) if k.startswith("[") else [int(k)] for k in known if k not in rows]
        out[table] = {"columns": snap.columns[table], "rows": changed, "deleted": deleted}
    return out
