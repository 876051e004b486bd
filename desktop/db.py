"""The store: one SQLCipher-encrypted SQLite file, opened with safe pragmas, created and upgraded only by
Alembic migrations. Every connection, the ORM's and the few raw ones, is keyed with the data key from the
key store (`desktop.keystore`); a key that does not open the file is refused and the file is not touched.

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
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import storage
from desktop.dblock import InstanceLock
from desktop.errors import (
    BackupFailed,
    DatabaseDamaged,
    DatabaseTooNew,
    StorageFull,
    StorageReadOnly,
    WrongKey,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

DB_FILENAME = "wudu.sqlite3"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration. Kept here so that opening a current database never imports Alembic (a quarter of a
# second at every start); tests/domain/test_db.py pins it to Alembic's own head.
SCHEMA_HEAD = "0019"
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


def _driver():
    from sqlcipher3 import dbapi2

    return dbapi2


def connect_raw(path: Path, key: bytes, *, readonly: bool = False):
    """A DB-API connection to the encrypted file, keyed and checked. Raises WrongKey, never creates over data."""
    driver = _driver()
    if readonly:
        conn = driver.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False, timeout=10)
    else:
        conn = driver.connect(str(path), check_same_thread=False, timeout=10)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except driver.DatabaseError:
        conn.close()
        raise WrongKey(Path(path)) from None
    return conn


def make_engine(path: Path, key: bytes, *, readonly: bool = False) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import QueuePool

    def creator():
        if readonly:  # a township's mirror at the county: SQLite itself refuses every write
            conn = connect_raw(path, key, readonly=True)
            conn.isolation_level = None
            conn.execute("PRAGMA busy_timeout=10000")
            return conn
        conn = connect_raw(path, key)
        # Let SQLAlchemy, not the driver, decide where transactions begin, so that DDL in a migration is
        # inside the transaction too (pysqlite would otherwise commit before every CREATE/ALTER).
        conn.isolation_level = None
        conn.execute("PRAGMA journal_mode=WAL")
        for pragma in PRAGMAS:
            conn.execute(pragma)
        return conn

    # The pool, chosen on purpose. The URL "sqlite://" names no file (the creator opens it), and for that URL
    # SQLAlchemy picks SingletonThreadPool, the pool meant for an in-memory database in one thread: it keeps
    # one connection per thread, five at most, and closes the oldest when a sixth thread comes, even while
    # that thread is still reading from it ("Cannot operate on a closed database", and a crash inside
    # SQLCipher). The GUI thread and the runner's threads (QThreadPool) use the store at once, so it gets
    # the pool SQLAlchemy uses for a file database: QueuePool, where a connection belongs to one checkout
    # at a time and is shared by no two threads. The file is in WAL, so readers never wait for the writer;
    # writers wait on busy_timeout. Ten connections stay open (each is keyed once, with the raw key: no key
    # derivation per connection); ten more may be opened under load and are closed when given back.
    # hide_parameters: an error message must never carry a name or an ID number into the log file
    engine = create_engine(
        "sqlite://",
        module=_driver(),
        creator=creator,
        poolclass=QueuePool,
        pool_size=10,
        max_overflow=10,
        pool_timeout=60,
        hide_parameters=True,
    )

    # A unit of work that writes (Database.session) begins IMMEDIATE: it takes the write lock first, so a second
    # writer waits on busy_timeout. A deferred one that read first would find, when it came to write, that its
    # snapshot is older than another writer's commit, and SQLite refuses that at once ("database is locked")
    # without waiting. Readers begin deferred and never wait (WAL). A read-only file never takes the lock.
    # A file that cannot be written (a read-only folder) refuses BEGIN IMMEDIATE before anything is asked: the
    # unit of work then begins deferred, so it can still read, and a write in it is refused as read-only.
    def begin(conn) -> None:
        from sqlalchemy.exc import OperationalError

        if readonly or not conn.get_execution_options().get("writes", False):
            conn.exec_driver_sql("BEGIN")
            return
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except OperationalError as exc:
            if "readonly" not in str(exc.orig).lower():
                raise
            conn.exec_driver_sql("BEGIN")

    event.listen(engine, "begin", begin)
    return engine


def recover_journal(path: Path, key: bytes) -> None:
    """Open the file read-write once, so SQLite replays or rolls back what a killed process left in its
    write-ahead log or journal. A read-only connection cannot do that and would fail on such a file."""
    conn = connect_raw(path, key)
    conn.close()


def read_revision(path: Path, key: bytes) -> str | None:
    """The schema revision stored in the file, None for an empty or new file. Opens read-only."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    conn = connect_raw(path, key, readonly=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            if tables:
                raise DatabaseDamaged(path, "not a database of this program (no schema version)")
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except _driver().DatabaseError as exc:
        raise DatabaseDamaged(path, str(exc)) from exc
    finally:
        conn.close()


def quick_check(path: Path, key: bytes, *, full: bool = False) -> str:
    """'ok', or SQLite's first complaint about the file (`full` runs integrity_check)."""
    try:
        conn = connect_raw(path, key, readonly=True)
    except WrongKey:
        return "file is not a database (or not this key)"
    try:
        return conn.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check").fetchone()[0]
    except _driver().DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()


def backup(source: Path, target: Path, key: bytes) -> Path:
    """Copy a live database with the online backup API, verify the copy, then move it into place atomically."""
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with suppress(FileNotFoundError):
            partial.unlink()
        src = connect_raw(source, key, readonly=True)
        try:
            dst = connect_raw(partial, key)  # the copy is encrypted with the same key
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        verdict = quick_check(partial, key)
        if verdict != "ok":
            raise BackupFailed(target, verdict)
        with open(partial, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, target)
    except (_driver().Error, OSError) as exc:
        with suppress(OSError):
            partial.unlink()
        raise BackupFailed(target, str(exc)) from exc
    return target


@dataclass(frozen=True)
class TownshipHeader:
    county_name: str
    township_name: str
    is_demo: bool
    idle_lock_minutes: int
    is_county: bool = False  # the county's installation: imports the townships' bundles


def storage_error(path: Path, exc: Exception) -> Exception:
    """SQLite's 'full' and 'read-only' failures as typed errors the clerk can act on; others unchanged."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "database or disk is full" in text:
        return StorageFull(path)
    if "readonly database" in text or "read-only" in text:
        return StorageReadOnly(path)
    return exc


def read_township(path: Path, key: bytes) -> TownshipHeader | None:
    """What the window shows before the ORM has loaded, or None before setup."""
    conn = connect_raw(path, key, readonly=True)
    try:
        row = conn.execute(
            "SELECT county_name, township_name, is_demo, idle_lock_minutes, is_county FROM township LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    return TownshipHeader(row[0], row[1], bool(row[2]), int(row[3]), bool(row[4])) if row else None


@dataclass
class Database:
    path: Path
    key: bytes = field(repr=False)
    lock: InstanceLock | None = None
    actor: object | None = None  # desktop.services.auth.Actor, set at log-in
    # What `audit.check_head` found when the file was opened: None when the chain's tail agreed with the head
    # file; otherwise the Verdict, reported to the administrator, and the head file is never moved.
    audit_problem: object | None = None
    read_only: bool = False  # opened to be read only (a township's records at the county)
    # where what a reader does on a read-only handle is recorded (the county's own database): a lookup by a
    # whole ID number in a township's records is written to the county's audit trail
    audit_into: Database | None = field(default=None, repr=False)
    audit_label: str = ""  # whose records these are, in that trail (the township's name)
    _engine: Engine | None = None
    _engine_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def engine(self) -> Engine:
        with self._engine_lock:  # the first use may come from a worker thread and the GUI at once
            if self._engine is None:
                self._engine = make_engine(self.path, self.key, readonly=self.read_only)
            return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on any exception."""
        from sqlalchemy.exc import InternalError, OperationalError
        from sqlmodel import Session

        from desktop import audit

        try:
            with Session(self.engine.execution_options(writes=True), expire_on_commit=False) as session:
                moves_head = self.audit_problem is None and not self.read_only
                head = audit.head_path_for(self.path) if moves_head else None
                audit.attach(session, self.username, head)
                with session.begin():
                    yield session
        except (OperationalError, InternalError) as exc:  # InternalError: PostgreSQL's read-only transaction
            raise storage_error(self.path, exc) from exc

    @contextmanager
    def read(self):
        """A plain connection for queries that change nothing: no ORM session, no audit hooks, less overhead
        for the large registers' lists and counts."""
        from sqlalchemy.exc import OperationalError

        try:
            with self.engine.connect() as conn:
                yield conn
        except OperationalError as exc:
            raise storage_error(self.path, exc) from exc

    def check_audit_head(self) -> None:
        """Compare the chain's tail with the head file before anything is appended (see desktop.audit)."""
        from desktop import audit

        conn = connect_raw(self.path, self.key, readonly=True)
        try:
            verdict = audit.check_head(conn, audit.head_path_for(self.path))
        finally:
            conn.close()
        self.audit_problem = None if verdict.ok else verdict

    def username(self) -> str:
        """Who the audit trail names for what this handle writes."""
        return getattr(self.actor, "username", None) or "system"

    def township(self) -> TownshipHeader | None:
        return read_township(self.path, self.key)

    @property
    def backup_dir(self) -> Path:
        return self.path.parent / "backups"

    def close_engine(self) -> None:
        """Close every connection (before the file is replaced); the next use opens new ones."""
        with self._engine_lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    def close(self) -> None:
        self.close_engine()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def migrate(path: Path, key: bytes, backup_dir: Path) -> str | None:
    """Bring the file to the head revision; returns the path of the pre-upgrade backup, if one was made."""
    current = read_revision(path, key)
    head = head_revision()
    if current is not None and not known_revision(current):
        raise DatabaseTooNew(path, current)
    if current == head:
        return None
    made = None
    if current is not None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = backup_dir / f"before-upgrade-{current}-{stamp}.sqlite3"
        made = str(backup(path, target, key))
        # with its key store and audit head beside it, like every backup, so it can be restored
        for suffix in (".keys", ".audit-head"):
            companion = path.with_suffix(suffix)
            if companion.exists():
                shutil.copyfile(companion, target.with_suffix(suffix))
    from alembic import command

    engine = make_engine(path, key)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "head")
    finally:
        engine.dispose()
    return made


def open_database(path: Path, key: bytes, *, check_location: bool = True, lock: bool = True) -> Database:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if check_location:
        storage.require_local(path)
    instance_lock = InstanceLock(path) if lock else None
    if instance_lock is not None:
        instance_lock.acquire()
    database = Database(path=path, key=key, lock=instance_lock)
    try:
        # what a kill left half-written beside the file (the rename never happened, the old file stands)
        for partial in (".keys.partial", ".audit-head.partial", ".audit-head.next.partial"):
            path.with_name(path.stem + partial).unlink(missing_ok=True)
        if path.exists() and path.stat().st_size > 0:
            recover_journal(path, key)
        migrate(path, key, path.parent / "backups")
        database.check_audit_head()
    except Exception:
        if instance_lock is not None:
            instance_lock.release()
        raise
    return database


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
