"""The townships' mirrors on a PostgreSQL server (psycopg 3): one schema `township_NNN` per registered township,
made by the same Alembic migrations as every other database of the program, in the same transaction as the
township's first bundle (PostgreSQL's DDL is transactional: a refused first import leaves no schema behind).

The foreign keys of a mirror schema are re-declared DEFERRABLE (and NO ACTION instead of RESTRICT, which
PostgreSQL never defers) so that a bundle is applied as on SQLite: its changed rows deleted and inserted again,
the keys checked once at COMMIT."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from desktop import audit
from desktop import db as store
from desktop.errors import ExchangeRefused
from desktop.exchange import rows
from desktop.exchange.mirrors import MirrorState, _apply

FOREIGN_KEYS = """
SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
WHERE c.contype = 'f' AND n.nspname = %s AND NOT c.condeferrable
"""


def engine_url(url: str) -> str:
    """postgresql://… as the user writes it, with psycopg 3 as SQLAlchemy's driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if not url.startswith("postgresql+psycopg://"):
        raise ExchangeRefused("bad_database_url", url=shown(url))
    return url


def shown(url: str) -> str:
    """The URL without its password, for messages and the window."""
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)


def _server_values(table: str, columns: list[str], values: list[list]) -> list[list]:
    from sqlalchemy import Boolean, Date, DateTime, LargeBinary
    from sqlmodel import SQLModel

    types = {c.name: c.type for c in SQLModel.metadata.tables[table].columns}

    def converter(kind):
        if isinstance(kind, Boolean):
            return lambda v: v if v is None else bool(v)
        if isinstance(kind, DateTime):
            return lambda v: v if v is None or isinstance(v, dt.datetime) else dt.datetime.fromisoformat(v)
        if isinstance(kind, Date):
            return lambda v: v if v is None or isinstance(v, dt.date) else dt.date.fromisoformat(v)
        if isinstance(kind, LargeBinary):
            return rows.decode
        return None

    plan = [(i, f) for i, c in enumerate(columns) if (f := converter(types[c])) is not None]
    out = []
    for r in values:
        r = list(r)
        for i, f in plan:
            r[i] = f(r[i])
        out.append(r)
    return out


class ServerMirrors:
    kind = "server"

    def __init__(self, url: str) -> None:
        self.url = engine_url(url)
        self.shown = shown(url)  # as the user wrote it, without the password
        self._engine = None
        self._engine_lock = threading.Lock()

    @property
    def engine(self):
        # psycopg's connections go through SQLAlchemy's QueuePool: one checkout, one thread. The lock keeps a
        # first use from the GUI thread and a worker at once from making two engines.
        with self._engine_lock:
            if self._engine is None:
                from sqlalchemy import create_engine

                self._engine = create_engine(self.url, hide_parameters=True, pool_pre_ping=True)
            return self._engine

    @staticmethod
    def schema(township_id: int) -> str:
        return f"township_{township_id:03d}"

    def where(self, township_id: int) -> str:
        return f"{self.shown} ({self.schema(township_id)})"

    @contextlib.contextmanager
    def _cursor(self):
        from sqlalchemy.exc import OperationalError

        try:
            with self.engine.connect() as conn:
                yield conn.connection.driver_connection.cursor()
                conn.rollback()
        except OperationalError as exc:
            raise ExchangeRefused("server_unreachable", url=self.shown) from exc

    def check(self) -> None:
        """Refuse, in words, a server that cannot be reached or a user who may not create schemas."""
        with self._cursor() as cur:
            cur.execute("SELECT has_database_privilege(current_user, current_database(), 'CREATE')")
            if not cur.fetchone()[0]:
                raise ExchangeRefused("server_no_create", url=self.shown)

    def exists(self, township_id: int) -> bool:
        with self._cursor() as cur:
            cur.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = 'county_import'",
                (self.schema(township_id),),
            )
            return cur.fetchone() is not None

    def state(self, township_id: int) -> MirrorState:
        if not self.exists(township_id):
            return MirrorState()
        s = self.schema(township_id)
        with self._cursor() as cur:
            cur.execute(f'SELECT seq, bundle_hash FROM "{s}".county_import')
            hashes = dict(cur.fetchall())
            cur.execute(f'SELECT id, hash FROM "{s}".audit_entry ORDER BY id DESC LIMIT 1')
            head = cur.fetchone()
        return MirrorState(max(hashes, default=0), hashes, (head[0], head[1]) if head else (0, audit.GENESIS))

    def audit_hashes(self, township_id: int, first: int, last: int) -> dict[int, str]:
        if last < first or not self.exists(township_id):
            return {}
        with self._cursor() as cur:
            cur.execute(
                f'SELECT id, hash FROM "{self.schema(township_id)}".audit_entry WHERE id BETWEEN %s AND %s',
                (first, last),
            )
            return dict(cur.fetchall())

    def imports(self, township_id: int) -> list[tuple]:
        if not self.exists(township_id):
            return []
        with self._cursor() as cur:
            cur.execute(
                "SELECT seq, imported_at, manifest, audit_problem, first_bad_audit_id, bundle_hash "
                f'FROM "{self.schema(township_id)}".county_import ORDER BY seq'
            )
            return cur.fetchall()

    def audit_entries(self, township_id: int) -> list[tuple]:
        if not self.exists(township_id):
            return []
        with self._cursor() as cur:
            cur.execute(
                f'SELECT {", ".join(rows.AUDIT_COLUMNS)} FROM "{self.schema(township_id)}".audit_entry ORDER BY id'
            )
            return cur.fetchall()

    def write(self, township_id: int, order: list[str], body: dict, new_audit: list, entry: dict) -> None:
        from sqlalchemy.exc import DataError, IntegrityError, OperationalError, ProgrammingError

        schema = self.schema(township_id)
        entry = dict(entry, imported_at=dt.datetime.fromisoformat(entry["imported_at"]))
        try:
            with self.engine.begin() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
                conn.exec_driver_sql(f'SET LOCAL search_path TO "{schema}"')
                self._migrate(conn, schema)
                conn.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")
                cursor = conn.connection.driver_connection.cursor()
                _apply(cursor, "format", order, body, new_audit, entry, _server_values)
        except (IntegrityError, DataError, ValueError, TypeError, KeyError) as exc:
            raise ExchangeRefused("damaged") from exc
        except OperationalError as exc:
            raise ExchangeRefused("server_unreachable", url=self.shown) from exc
        except ProgrammingError as exc:
            raise ExchangeRefused("server_refused", url=self.shown, detail=str(exc.orig)[:120]) from exc

    @staticmethod
    def _migrate(conn, schema: str) -> None:
        from alembic import command

        from desktop.db import _alembic_config

        cursor = conn.connection.driver_connection.cursor()
        cursor.execute("SELECT to_regclass(%s)", (f'"{schema}".alembic_version',))
        if cursor.fetchone()[0] is not None:
            cursor.execute(f'SELECT version_num FROM "{schema}".alembic_version')
            current = cursor.fetchone()
            if current and current[0] == store.SCHEMA_HEAD:
                return
            if current and not store.known_revision(current[0]):
                raise ExchangeRefused("schema_newer", found=current[0], ours=store.SCHEMA_HEAD)
        command.upgrade(_alembic_config(conn), "head")
        cursor.execute(FOREIGN_KEYS, (schema,))
        for table, name, definition in cursor.fetchall():
            definition = re.sub(r"\s+ON DELETE RESTRICT", "", definition) + " DEFERRABLE INITIALLY IMMEDIATE"
            cursor.execute(
                f'ALTER TABLE {table} DROP CONSTRAINT "{name}", ADD CONSTRAINT "{name}" {definition}'
            )

    def open_records(self, township_id: int, actor) -> store.Database:
        return ServerDatabase(path=Path(self.where(township_id)), key=b"", read_only=True, actor=actor,
                              url=self.url, schema=self.schema(township_id))  # fmt: skip

    def dump(self, township_id: int) -> dict[str, list[dict]]:
        out = {}
        with self._cursor() as cur:
            cur.execute(f'SET search_path TO "{self.schema(township_id)}"')
            for table in rows.exported_tables():
                cur.execute(f'SELECT * FROM "{table}" ORDER BY {", ".join(rows.primary_key(table))}')
                names = [d[0] for d in cur.description]
                out[table] = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        return out


@dataclass
class ServerDatabase(store.Database):
    """A township's schema on the server, read only, for the same tabs as at the township: the server refuses
    every write (default_transaction_read_only) and the officer's role is 查看."""

    url: str = ""
    schema: str = ""

    @property
    def engine(self):
        with self._engine_lock:
            if self._engine is None:
                from sqlalchemy import create_engine

                options = f"-c search_path={self.schema} -c default_transaction_read_only=on"
                self._engine = create_engine(
                    self.url, connect_args={"options": options}, hide_parameters=True, pool_pre_ping=True
                )
            return self._engine

    def township(self) -> store.TownshipHeader | None:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT county_name, township_name, is_demo, idle_lock_minutes, is_county FROM township LIMIT 1"
                )
            ).first()
        return store.TownshipHeader(row[0], row[1], bool(row[2]), int(row[3]), bool(row[4])) if row else None
