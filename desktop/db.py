"""The store: one SQLite file, opened with safe pragmas, created and upgraded only by Alembic migrations.

Opening a database:
1. refuses a removable drive or a network share (`desktop.storage`);
2. takes the single-instance lock (`desktop.dblock`);
3. reads the schema revision; a revision this program does not know (a newer program wrote it) is refused
   and the file is not touched;
4. before upgrading an existing file, makes a backup with SQLite's online backup API and verifies it with
   `quick_check`; only then runs the migrations.
"""

from __future__ import annotations

# SQLAlchemy, SQLModel and Alembic are imported where they are used: opening a current database needs only
# the standard library, which keeps start-up to a shown window fast (benchmarks/startup.py).
import datetime as dt
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import storage
from desktop.dblock import InstanceLock
from desktop.services.errors import BackupFailed, DatabaseDamaged, DatabaseTooNew

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

DB_FILENAME = "wudu.sqlite3"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration. Kept here so that opening a current database never imports Alembic (a quarter of a
# second at every start); tests/domain/test_db.py pins it to Alembic's own head.
SCHEMA_HEAD = "0001"
PRAGMAS = ("PRAGMA foreign_keys=ON", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=10000")


def _alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return SCHEMA_HEAD


def alembic_head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def known_revision(revision: str) -> bool:
    if revision == SCHEMA_HEAD:
        return True
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    try:
        return ScriptDirectory.from_config(_alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def _on_connect(dbapi_conn, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so that DDL in a migration
    # is inside the transaction too (pysqlite would otherwise commit before every CREATE/ALTER).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    for pragma in PRAGMAS:
        cur.execute(pragma)
    cur.close()


def make_engine(path: Path) -> Engine:
    from sqlalchemy import create_engine, event

    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": 10},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    return engine


def read_revision(path: Path) -> str | None:
    """The schema revision stored in the file, None for an empty or new file. Opens read-only."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseDamaged(path, str(exc)) from exc
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            if tables:
                raise DatabaseDamaged(path, "not a database of this program (no schema version)")
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamaged(path, str(exc)) from exc
    finally:
        conn.close()


def quick_check(path: Path) -> str:
    """ "ok", or SQLite's first complaint about the file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()


def backup(source: Path, target: Path) -> Path:
    """Copy a live database with the online backup API, verify the copy, then move it into place atomically."""
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with suppress(FileNotFoundError):
            partial.unlink()
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        verdict = quick_check(partial)
        if verdict != "ok":
            raise BackupFailed(target, verdict)
        with open(partial, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        with suppress(OSError):
            partial.unlink()
        raise BackupFailed(target, str(exc)) from exc
    return target


def read_township(path: Path) -> tuple[str, str, bool] | None:
    """(county, township, is_demo) of a current database, or None before setup. Standard library only."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT county_name, township_name, is_demo FROM township LIMIT 1").fetchone()
    finally:
        conn.close()
    return (row[0], row[1], bool(row[2])) if row else None


@dataclass
class Database:
    path: Path
    lock: InstanceLock | None
    _engine: Engine | None = None
    _engine_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def engine(self) -> Engine:
        with self._engine_lock:  # the first use may come from a worker thread and the GUI at once
            if self._engine is None:
                self._engine = make_engine(self.path)
            return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on any exception."""
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def township(self) -> tuple[str, str, bool] | None:
        return read_township(self.path)

    @property
    def backup_dir(self) -> Path:
        return self.path.parent / "backups"

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def migrate(path: Path, backup_dir: Path) -> str | None:
    """Bring the file to the head revision; returns the path of the pre-upgrade backup, if one was made."""
    current = read_revision(path)
    head = head_revision()
    if current is not None and not known_revision(current):
        raise DatabaseTooNew(path, current)
    if current == head:
        return None
    made = None
    if current is not None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        made = str(backup(path, backup_dir / f"before-upgrade-{current}-{stamp}.sqlite3"))
    from alembic import command

    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "head")
    finally:
        engine.dispose()
    return made


def open_database(path: Path, *, check_location: bool = True, lock: bool = True) -> Database:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if check_location:
        storage.require_local(path)
    instance_lock = InstanceLock(path) if lock else None
    if instance_lock is not None:
        instance_lock.acquire()
    try:
        migrate(path, path.parent / "backups")
    except Exception:
        if instance_lock is not None:
            instance_lock.release()
        raise
    return Database(path=path, lock=instance_lock)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
