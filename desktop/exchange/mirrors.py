"""Where the county keeps each township's records: a mirror per township, with the township's own schema
(the same Alembic migrations), written only by the import.

- `FileMirrors` (the default): `townships/NNN.sqlite3` beside the county's database, encrypted with its key.
- `ServerMirrors` (`--database-url postgresql://…`, psycopg 3): a schema `township_NNN` per township on a
  PostgreSQL server, for a county that has outgrown one PC. The county's keys, accounts and audit trail stay
  in its local encrypted database: the private keys never go to a shared server.

Both write a bundle in one transaction after every check has passed: the rows it changed are deleted and
inserted again with the foreign keys checked once, at the end (so two rows may swap a unique value), with
the bundle's audit entries and its import entry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from desktop import audit
from desktop import db as store
from desktop.errors import ExchangeRefused
from desktop.exchange import rows

IMPORT_COLUMNS = (
    "seq", "base_seq", "bundle_hash", "manifest", "audit_problem", "first_bad_audit_id", "imported_at",
)  # fmt: skip


@dataclass(frozen=True)
class MirrorState:
    last_seq: int = 0
    hashes: dict[int, str] = field(default_factory=dict)  # seq → bundle hash
    audit_head: tuple[int, str] = (0, audit.GENESIS)


def _marks(n: int, style: str) -> str:
    return ", ".join(["?"] * n) if style == "qmark" else ", ".join(["%s"] * n)


def _delete_sql(name: str, style: str) -> str:
    mark = "?" if style == "qmark" else "%s"
    return f'DELETE FROM "{name}" WHERE ' + " AND ".join(f'"{c}" = {mark}' for c in rows.primary_key(name))


def _apply(cursor, style: str, order: list[str], body: dict, new_audit: list, entry: dict, convert) -> None:
    """The bundle's rows on a DB-API cursor inside the caller's transaction: deletes children first, inserts
    parents first; `convert(table, columns, row)` makes a row what the driver takes."""
    tables = body["tables"]
    for name in reversed(order):
        part = tables.get(name)
        if part:
            at = [part["columns"].index(c) for c in rows.primary_key(name)]
            gone = [[r[i] for i in at] for r in part["rows"]] + [list(k) for k in part.get("deleted", [])]
            if gone:
                cursor.executemany(_delete_sql(name, style), gone)
    for name in order:
        part = tables.get(name)
        if part and part["rows"]:
            cols = ", ".join(f'"{c}"' for c in part["columns"])
            sql = f'INSERT INTO "{name}" ({cols}) VALUES ({_marks(len(part["columns"]), style)})'
            cursor.executemany(sql, convert(name, part["columns"], part["rows"]))
    if new_audit:
        cols = ", ".join(rows.AUDIT_COLUMNS)
        sql = f"INSERT INTO audit_entry ({cols}) VALUES ({_marks(len(rows.AUDIT_COLUMNS), style)})"
        cursor.executemany(sql, new_audit)
    sql = f"INSERT INTO county_import ({', '.join(IMPORT_COLUMNS)}) VALUES ({_marks(len(IMPORT_COLUMNS), style)})"
    cursor.execute(sql, [entry[c] for c in IMPORT_COLUMNS])


# --- files beside the county's database ------------------------------------------------------------------------
class FileMirrors:
    kind = "files"

    def __init__(self, folder: Path, key: bytes) -> None:
        self.folder, self.key = folder, key

    def where(self, township_id: int) -> str:
        return str(self.path(township_id))

    def path(self, township_id: int) -> Path:
        return self.folder / f"{township_id:03d}.sqlite3"

    def exists(self, township_id: int) -> bool:
        return self.path(township_id).exists()

    @contextlib.contextmanager
    def _reading(self, township_id: int):
        conn = store.connect_raw(self.path(township_id), self.key, readonly=True)
        try:
            yield conn
        finally:
            conn.close()

    def state(self, township_id: int) -> MirrorState:
        if not self.exists(township_id):
            return MirrorState()
        with self._reading(township_id) as conn:
            hashes = dict(conn.execute("SELECT seq, bundle_hash FROM county_import").fetchall())
            head = conn.execute("SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
        return MirrorState(max(hashes, default=0), hashes, (head[0], head[1]) if head else (0, audit.GENESIS))

    def audit_hashes(self, township_id: int, first: int, last: int) -> dict[int, str]:
        if not self.exists(township_id) or last < first:
            return {}
        with self._reading(township_id) as conn:
            query = "SELECT id, hash FROM audit_entry WHERE id BETWEEN ? AND ?"
            return dict(conn.execute(query, (first, last)).fetchall())

    def imports(self, township_id: int) -> list[tuple]:
        """(seq, imported_at, manifest, audit_problem, first_bad_audit_id, bundle_hash) in sequence order."""
        if not self.exists(township_id):
            return []
        with self._reading(township_id) as conn:
            return conn.execute(
                "SELECT seq, imported_at, manifest, audit_problem, first_bad_audit_id, bundle_hash "
                "FROM county_import ORDER BY seq"
            ).fetchall()

    def audit_entries(self, township_id: int) -> list[tuple]:
        if not self.exists(township_id):
            return []
        with self._reading(township_id) as conn:
            return conn.execute(
                f"SELECT {', '.join(rows.AUDIT_COLUMNS)} FROM audit_entry ORDER BY id"
            ).fetchall()

    def write(self, township_id: int, order: list[str], body: dict, new_audit: list, entry: dict) -> None:
        path = self.path(township_id)
        created = not path.exists()
        try:
            if created:
                path.parent.mkdir(parents=True, exist_ok=True)
                store.migrate(path, self.key, path.parent / "backups")
                conn = store.connect_raw(path, self.key)
                try:  # a rollback journal, not WAL: reading a mirror read-only then leaves no file behind
                    conn.execute("PRAGMA journal_mode=DELETE").fetchone()
                finally:
                    conn.close()
            self._write(path, order, body, new_audit, entry)
        except BaseException:
            if created:
                for suffix in ("", "-journal", "-wal", "-shm"):
                    with contextlib.suppress(OSError):
                        path.with_name(path.name + suffix).unlink()
            raise

    def _write(self, path: Path, order, body, new_audit, entry) -> None:
        driver = store._driver()
        conn = store.connect_raw(path, self.key)
        conn.isolation_level = None
        try:
            conn.execute("PRAGMA foreign_keys=OFF")  # checked whole below, before the commit
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                _apply(conn, "qmark", order, body, new_audit, entry, _file_values)
                if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                    raise ExchangeRefused("damaged")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except (ValueError, TypeError, KeyError, driver.IntegrityError) as exc:
            raise ExchangeRefused("damaged") from exc
        except driver.OperationalError as exc:
            raise store.storage_error(path, exc) from exc
        finally:
            conn.close()

    def open_records(self, township_id: int, actor) -> store.Database:
        return store.Database(path=self.path(township_id), key=self.key, read_only=True, actor=actor)

    def dump(self, township_id: int) -> dict[str, list[dict]]:
        """Every exported table's rows, as the township's file holds them (for comparing the two)."""
        with self._reading(township_id) as conn:
            return dump_sqlite(conn)


def _file_values(table: str, columns: list[str], values: list[list]):
    blobs = rows.blob_positions(table, columns)
    return (rows.decode_row(r, blobs) for r in values) if blobs else values


def dump_sqlite(conn) -> dict[str, list[dict]]:
    out = {}
    for table in rows.exported_tables():
        cur = conn.execute(f'SELECT * FROM "{table}" ORDER BY {", ".join(rows.primary_key(table))}')
        names = [d[0] for d in cur.description]
        out[table] = [dict(zip(names, r, strict=True)) for r in cur]
    return out


def for_county(db: store.Database, records_url: str):
    if records_url:
        from desktop.exchange.server_mirrors import ServerMirrors

        return ServerMirrors(records_url)
    return FileMirrors(db.path.parent / "townships", db.key)


def now_text() -> str:
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S.000000")
