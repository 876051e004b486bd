"""Temporary files stay inside the data folder, owner-only, and do not outlive the process that made them.

Libraries write plaintext scratch files of their own: openpyxl's write-only workbooks spool every sheet as XML
to the temp folder (an export of a township is tens of megabytes of names and ID numbers), and the recovery
sheet and attachments are handed to the PDF viewer from there. The system temp folder is shared, outlives a
killed process and is rarely emptied. So at start:

- the process's file-creation mask is set to owner-only (0600 files, 0700 folders), and the data folder and
  what is already in it are made owner-only (on Windows the per-user application-data folder, readable only by
  that user and administrators, is the boundary; chmod there only sets the read-only flag);
- `<data>/tmp/<process>/` becomes the process's temp folder: Python's `tempfile`, and TMPDIR/TEMP/TMP for
  libraries and SQLite, point at it; it is removed when the process ends normally;
- the folders of processes that are gone (killed, crashed, a power cut) are swept. Each process holds an OS
  lock on a file in its own folder, so a folder whose lock can be taken belongs to nobody any more.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import shutil
import stat
import sys
import tempfile
from pathlib import Path

from desktop.dblock import InstanceLock
from desktop.errors import DatabaseInUse, FileProblem, StorageReadOnly, file_error

TMP_DIRNAME = "tmp"
OWNER_ONLY_UMASK = 0o077
ENV_VARIABLES = ("TMPDIR", "TEMP", "TMP", "SQLITE_TMPDIR")
_OWNER = "owner"  # <folder>/owner.lock, held for the life of the process

_state: dict = {}


def owner_only(data_dir: Path) -> None:
    """The data folder and its files readable by their owner alone (files made by an earlier version too)."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        os.chmod(data_dir, 0o700)
    for root, dirs, files in os.walk(data_dir):
        for name in dirs:
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(root, name), 0o700)
        for name in files:
            path = os.path.join(root, name)
            with contextlib.suppress(OSError):
                if stat.S_IMODE(os.lstat(path).st_mode) & 0o077 and not os.path.islink(path):
                    os.chmod(path, 0o600)


def sweep(root: Path) -> list[Path]:
    """Remove the temp folders of processes that no longer run; returns what was removed."""
    removed = []
    if not root.is_dir():
        return removed
    for folder in root.iterdir():
        if folder == _state.get("folder"):
            continue
        if folder.is_dir():
            lock = InstanceLock(folder / _OWNER)
            try:
                lock.acquire()
            except DatabaseInUse:
                continue  # its process is still running
            except (StorageReadOnly, OSError):
                pass  # no lock file could be made: nobody holds it either
            lock.release()
            shutil.rmtree(folder, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                folder.unlink()
        removed.append(folder)
    return removed


def start(data_dir: Path) -> Path:
    """Owner-only files, and this process's private temp folder inside `data_dir` (see the module's text).
    Raises StorageReadOnly when the data folder cannot be written."""
    os.umask(OWNER_ONLY_UMASK)
    data_dir = Path(data_dir)
    if _state.get("data_dir") == data_dir:
        return _state["folder"]
    stop()
    root = data_dir / TMP_DIRNAME
    if data_dir.exists() and not data_dir.is_dir():
        raise FileProblem(data_dir, "not_a_folder")
    made_data_dir = not data_dir.exists()
    folder = root / f"p{os.getpid()}-{secrets.token_hex(4)}"
    made_root = not root.exists()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        owner_only(data_dir)
        root.mkdir(mode=0o700, exist_ok=True)
        sweep(root)
        folder.mkdir(mode=0o700)
        lock = InstanceLock(folder / _OWNER)
        lock.acquire()
    except (OSError, DatabaseInUse, StorageReadOnly) as exc:
        # leave nothing behind: a full disk or a read-only folder must find the data folder as it was
        shutil.rmtree(folder, ignore_errors=True)
        if made_root:
            with contextlib.suppress(OSError):
                root.rmdir()
        if made_data_dir:
            with contextlib.suppress(OSError):
                data_dir.rmdir()
        if isinstance(exc, OSError):
            raise file_error(data_dir, exc, writing=True) from exc
        raise StorageReadOnly(data_dir) from exc
    _state.update(data_dir=data_dir, folder=folder, lock=lock, made_data_dir=made_data_dir)
    _state["environ"] = {v: os.environ.get(v) for v in ENV_VARIABLES}
    for variable in ENV_VARIABLES:
        os.environ[variable] = str(folder)
    tempfile.tempdir = str(folder)
    if not _state.get("atexit"):
        atexit.register(stop)
        _state["atexit"] = True
    return folder


def folder() -> Path:
    """This process's private temp folder (start() must have run)."""
    return _state["folder"]


def scratch_dir(data_dir: Path) -> Path:
    """Where to make a temporary file of personal data: this process's private folder once start() ran (the
    program and the command line always start it), else `<data_dir>/tmp`, owner-only, swept at the next start.
    Never the system's temp folder."""
    own = _state.get("folder")
    if own is not None and own.is_dir():
        return own
    root = Path(data_dir) / TMP_DIRNAME
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def stop() -> None:
    """Remove this process's temp folder (at exit; a killed process's folder is swept at the next start)."""
    lock, own = _state.pop("lock", None), _state.pop("folder", None)
    data_dir, made = _state.pop("data_dir", None), _state.pop("made_data_dir", False)
    if lock is not None:
        lock.release()
    if own is not None:
        shutil.rmtree(own, ignore_errors=True)
        # leave the data folder as it was found: no empty tmp/, and no empty folder where there was none
        with contextlib.suppress(OSError):
            own.parent.rmdir()
        if made and data_dir is not None:
            with contextlib.suppress(OSError):
                data_dir.rmdir()
        tempfile.tempdir = None
    for variable, value in _state.pop("environ", {}).items():
        if value is None:
            os.environ.pop(variable, None)
        else:
            os.environ[variable] = value
