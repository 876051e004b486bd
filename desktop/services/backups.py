"""Backups and restore. No committed record may ever be lost.

A backup is three files with one stem: the database copied with SQLite's online backup API (still encrypted
with the same key, and passing `quick_check` before it counts), the key store (`.keys`, without which nobody
can open it) and the audit head (`.audit-head`, so a cut-off audit tail is still detected). Automatic backups go
to `backups/` beside the database and are rotated (12 daily, 10 weekly, 9 monthly); a backup to a chosen
folder or USB stick is never rotated away.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from desktop import audit
from desktop import db as store
from desktop.db import Database
from desktop.keystore import KeyStore
from desktop.services.auth import Permission, require
from desktop.errors import BackupFailed, DatabaseDamaged, WrongKey

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
        store.backup(db.path, target, db.key)
        shutil.copyfile(KeyStore.path_for(db.path), target.with_suffix(".keys"))
        head = audit.head_path_for(db.path)
        if head.exists():
            shutil.copyfile(head, target.with_suffix(".audit-head"))
    except (OSError, BackupFailed) as exc:
        for p in (target, *(target.with_suffix(s) for s in COMPANIONS)):
            p.unlink(missing_ok=True)
        with db.session() as s:
            audit.record(s, [audit.Change("backup_failed", detail=f"{target}: {exc}")])
        raise exc if isinstance(exc, BackupFailed) else BackupFailed(target, str(exc)) from exc
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
    verdict = store.quick_check(backup_file, db.key)
    if verdict != "ok":
        raise DatabaseDamaged(backup_file, verdict)
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
    staged = db.path.with_name(db.path.name + ".restoring")
    shutil.copyfile(backup_file, staged)
    with open(staged, "rb") as fh:
        os.fsync(fh.fileno())
    db.close_engine()
    for suffix in ("-wal", "-shm"):  # a stale log of the old file must never be applied to the new one
        Path(str(db.path) + suffix).unlink(missing_ok=True)
    os.replace(staged, db.path)
    # The restored chain ends earlier than the head file says: move the head back to the restored chain's end,
    # then record the restore itself, so the trail says who went back to which copy.
    conn = store.connect_raw(db.path, db.key)
    try:
        last = conn.execute("SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    if last:
        audit.write_head(audit.head_path_for(db.path), (last[0], last[1]))
    else:
        audit.head_path_for(db.path).unlink(missing_ok=True)
    store.migrate(db.path, db.key, db.backup_dir)  # a backup from an older version is brought up to date
    with db.session() as s:
        audit.record(
            s, [audit.Change("restore", detail=f"{backup_file}（恢复前的状态已备份到 {safety.name}）")]
        )
    return safety
