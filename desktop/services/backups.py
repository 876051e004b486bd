"""Backups and restore. No committed record may ever be lost.

A backup is three files with one stem: the database copied with SQLite's online backup API (still encrypted
with the same key, and passing `quick_check` before it counts), the key store (`.keys`, without which nobody
can open it) and the audit head (`.audit-head`, so a cut-off audit tail is still detected). Automatic backups go
to `backups/` beside the database and are rotated (12 daily, 10 weekly, 9 monthly); a backup to a chosen
folder or USB stick is never rotated away.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from desktop import audit
from desktop import db as store
from desktop.db import Database
from desktop.errors import (
    AuditChainBroken,
    BackupFailed,
    DatabaseDamaged,
    DomainError,
    FileProblem,
    WrongKey,
    file_error,
)
from desktop.keystore import KeyStore
from desktop.services.auth import Permission, require

NAME = re.compile(r"^wudu-(\d{8}-\d{6})(?:-\d+)?\.sqlite3$")
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 12, 10, 9
COMPANIONS = (".keys", ".audit-head")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    at: dt.datetime
    size: int


def _stamp(now: dt.datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S")


def list_backups(folder: Path) -> list[BackupInfo]:
    """Newest first."""
    found = []
    for p in Path(folder).glob("wudu-*.sqlite3"):
        m = NAME.match(p.name)
        if m:
            found.append(BackupInfo(p, dt.datetime.strptime(m.group(1), "%Y%m%d-%H%M%S"), p.stat().st_size))
    return sorted(found, key=lambda b: b.at, reverse=True)


def make_backup(db: Database, folder: Path | None = None, *, now: dt.datetime | None = None) -> Path:
    """A verified copy with its key store and audit head; rotates `backups/` when it is the target."""
    require(db, Permission.BACKUP)
    now = now or dt.datetime.now()
    automatic = folder is None
    folder = Path(folder) if folder is not None else db.backup_dir
    if folder.exists() and not folder.is_dir():
        raise FileProblem(folder, "not_a_folder")
    target = folder / f"wudu-{_stamp(now)}.sqlite3"
    n = 1
    while target.exists():
        target = folder / f"wudu-{_stamp(now)}-{n}.sqlite3"
        n += 1
    # The entry goes in first, so the copy holds it and the copy's audit head equals the live one: an unchanged
    # database then needs no further automatic backup.
    with db.session() as s:
        audit.record(s, [audit.Change("backup", detail=str(target))])
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # The companions first, the database last (store.backup renames it into place only when verified): a
        # kill or a pulled stick leaves no backup that lacks its key store, only companions without a backup,
        # which nothing lists and the next rotation removes.
        shutil.copyfile(KeyStore.path_for(db.path), target.with_suffix(".keys"))
        head = audit.head_path_for(db.path)
        if head.exists():
            shutil.copyfile(head, target.with_suffix(".audit-head"))
        store.backup(db.path, target, db.key)
    except (OSError, BackupFailed) as exc:
        for p in (target, *(target.with_suffix(s) for s in COMPANIONS)):
            p.unlink(missing_ok=True)
        with contextlib.suppress(DomainError, OSError), db.session() as s:  # a full disk may refuse it too
            audit.record(s, [audit.Change("backup_failed", detail=f"{target}: {exc}")])
        if isinstance(exc, OSError):
            raise file_error(target, exc, writing=True) from exc
        raise exc
    if automatic:
        rotate(folder, now=now)
    return target


def rotate(folder: Path, *, now: dt.datetime | None = None) -> list[Path]:
    """Keep the newest backup of each of the last 12 days, 10 weeks and 9 months; remove the rest."""
    backups = list_backups(folder)
    keep: set[Path] = set()
    for key_of, limit in (
        (lambda d: d.date(), KEEP_DAILY),
        (lambda d: d.isocalendar()[:2], KEEP_WEEKLY),
        (lambda d: (d.year, d.month), KEEP_MONTHLY),
    ):
        seen = []
        for b in backups:  # newest first: the first of each period is its newest
            k = key_of(b.at)
            if k not in seen:
                seen.append(k)
                if len(seen) > limit:
                    break
                keep.add(b.path)
    removed = []
    for suffix in COMPANIONS:  # the companions of a backup a kill cut short
        for orphan in Path(folder).glob(f"wudu-*{suffix}"):
            if not orphan.with_suffix(".sqlite3").exists():
                orphan.unlink(missing_ok=True)
    for b in backups:
        if b.path not in keep:
            for p in (b.path, *(b.path.with_suffix(s) for s in COMPANIONS)):
                p.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def changed_since_last_backup(db: Database) -> bool:
    """Whether the audit head moved since the newest backup in `backups/` (every change moves it)."""
    current = audit.read_head(audit.head_path_for(db.path))
    newest = next(iter(list_backups(db.backup_dir)), None)
    if newest is None:
        return current is not None
    return audit.read_head(newest.path.with_suffix(".audit-head")) != current


def newest_good_backup(folder: Path, key: bytes) -> Path | None:
    for b in list_backups(folder):
        if store.quick_check(b.path, key) == "ok":
            return b.path
    return None


def restore(db: Database, backup_file: Path) -> Path:
    """Replace the database by a backup (administrators only), after a backup of the current state.
    Returns the safety backup of what was replaced. The restore itself is written to the audit trail."""
    require(db, Permission.RESTORE)
    backup_file = Path(backup_file)
    if backup_file.is_dir():
        raise FileProblem(backup_file, "folder")
    if not backup_file.exists():
        raise FileProblem(backup_file, "missing")
    if backup_file.resolve() == Path(db.path).resolve():
        raise FileProblem(backup_file, "live_database")
    if backup_file.stat().st_size == 0:
        raise FileProblem(backup_file, "empty")
    verdict = store.quick_check(backup_file, db.key)
    if verdict != "ok":
        raise DatabaseDamaged(backup_file, verdict)
    # The copy's own audit head (made with it) must agree with its chain: a backup whose tail was cut, or
    # whose head is missing, is refused like a damaged one, so a restore can never launder a cut trail.
    from desktop.services.audit_log import verify_file

    chain = verify_file(backup_file, db.key, backup_file.with_suffix(".audit-head"))
    if not chain.ok:
        raise AuditChainBroken(chain.first_bad_id, chain.problem, backup_file)
    stamp = _stamp(dt.datetime.now())
    safety = db.backup_dir / f"before-restore-{stamp}.sqlite3"
    try:
        store.backup(db.path, safety, db.key)
    except (BackupFailed, WrongKey, DatabaseDamaged):
        # The live file is too damaged to copy through SQLite: keep its raw bytes (and its log) instead.
        safety = db.backup_dir / f"damaged-{stamp}.sqlite3"
        safety.parent.mkdir(parents=True, exist_ok=True)
        db.close_engine()
        shutil.copyfile(db.path, safety)
        if Path(str(db.path) + "-wal").exists():
            shutil.copyfile(str(db.path) + "-wal", str(safety) + "-wal")
    shutil.copyfile(KeyStore.path_for(db.path), safety.with_suffix(".keys"))
    live_head = audit.head_path_for(db.path)
    if live_head.exists():
        shutil.copyfile(live_head, safety.with_suffix(".audit-head"))
    staged = db.path.with_name(db.path.name + ".restoring")
    shutil.copyfile(backup_file, staged)
    with open(staged, "rb") as fh:
        os.fsync(fh.fileno())
    db.close_engine()
    # A stale log of the old file must never be applied to the new one. The index (-shm) goes first: a kill
    # between the two leaves a log without an index, which SQLite rebuilds, never an index without its log.
    for suffix in ("-shm", "-wal"):
        Path(str(db.path) + suffix).unlink(missing_ok=True)
    # The file and its head change together: the restored chain's head is written as "next" first, then the
    # file is swapped, then the head. A kill in between is settled at the next open (audit.check_head), which
    # takes "next" if the file was swapped and drops it if not, so neither state looks tampered with.
    restored_head = audit.read_head(backup_file.with_suffix(".audit-head"))
    audit.write_head(audit.next_head_path(live_head), restored_head)
    os.replace(staged, db.path)
    audit.write_head(live_head, restored_head)
    audit.next_head_path(live_head).unlink(missing_ok=True)
    db.audit_problem = None  # the restored chain was verified against its own head just now
    store.migrate(db.path, db.key, db.backup_dir)  # a backup from an older version is brought up to date
    with db.session() as s:
        audit.record(
            s, [audit.Change("restore", detail=f"{backup_file}（恢复前的状态已备份到 {safety.name}）")]
        )
    return safety
