"""`wudu check`: is the database file sound, and which schema version is it? Reads only; changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop import db


@dataclass(frozen=True)
class CheckReport:
    path: Path
    exists: bool
    integrity: str  # "ok" or SQLite's first complaint
    revision: str | None
    head: str
    counts: dict[str, int]

    @property
    def schema_state(self) -> str:
        """ "current", "older" (upgraded at next start), "newer" (refused) or "empty"."""
        if self.revision is None:
            return "empty"
        if self.revision == self.head:
            return "current"
        return "older" if db.known_revision(self.revision) else "newer"

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and self.schema_state in {"current", "older", "empty"}


COUNTED = ("village", "village_group", "household", "person", "drug_file", "user_account", "audit_entry")


def check_database(path: Path, key: bytes) -> CheckReport:
    path = Path(path)
    head = db.head_revision()
    if not path.exists():
        return CheckReport(path, False, "ok", None, head, {})
    conn = db.connect_raw(path, key, readonly=True)
    try:
        try:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except db._driver().DatabaseError as exc:
            return CheckReport(path, True, str(exc), None, head, {})
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED if t in tables}
    finally:
        conn.close()
    return CheckReport(path, True, integrity, revision, head, counts)
