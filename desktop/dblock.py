"""One copy of the program per database: an OS-level exclusive lock on `<db>.lock`, released on exit or crash."""

from __future__ import annotations

import getpass
import os
import socket
import sys
from pathlib import Path

from desktop.errors import DatabaseInUse


class InstanceLock:
    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.path = self.db_path.with_name(self.db_path.name + ".lock")
        self._fh = None

    def acquire(self) -> None:
        try:
            fh = open(self.path, "a+b")  # noqa: SIM115 - held open for the life of the lock
        except PermissionError:
            from desktop.errors import StorageReadOnly

            raise StorageReadOnly(self.db_path) from None
        try:
            self._lock(fh)
        except OSError:
            try:
                fh.seek(0)
                holder = fh.read(200).decode("utf-8", "replace").strip()
            except OSError:  # Windows: the locked byte cannot be read by others
                holder = ""
            fh.close()
            raise DatabaseInUse(self.db_path, holder) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} · {getpass.getuser()}@{socket.gethostname()}".encode())
        fh.flush()
        self._fh = fh

    @staticmethod
    def _lock(fh) -> None:
        if sys.platform == "win32":
            import msvcrt

            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            # flock locks belong to the open file, so even a second open in this process is refused
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def release(self) -> None:
        if self._fh is None:
            return
        try:
            if sys.platform == "win32":
                import msvcrt

                self._fh.seek(0)
                msvcrt.locking(self._fh.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                import fcntl

                fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
        finally:
            self._fh.close()
            self._fh = None

    @property
    def held(self) -> bool:
        return self._fh is not None
