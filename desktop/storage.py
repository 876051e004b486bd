"""Where the live database may live: a fixed local disk, never a removable drive or a network share.

SQLite's WAL mode relies on shared memory and byte-range locks that removable media (pulled out mid-write)
and network file systems (broken locking) do not honour; the USB stick is for exports and backups only.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from desktop.errors import StorageLocationRefused

NETWORK_FS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "fuse.sshfs",
    "sshfs",
    "9p",
    "afs",
    "ncpfs",
    "davfs",
    "fuse.davfs2",
}
REMOVABLE_MOUNT_PREFIXES = ("/media/", "/run/media/", "/mnt/usb")


@dataclass(frozen=True)
class Mount:
    device: str
    mount_point: str
    fs_type: str


def _unescape(field: str) -> str:
    # /proc/mounts escapes space, tab, newline and backslash as octal
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\")


def parse_mounts(text: str) -> list[Mount]:
    mounts = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            mounts.append(Mount(_unescape(parts[0]), _unescape(parts[1]), parts[2]))
    return mounts


def mount_of(path: str, mounts: list[Mount]) -> Mount | None:
    best = None
    for m in mounts:
        mp = m.mount_point.rstrip("/") or "/"
        if (path == mp or path.startswith(mp + "/") or mp == "/") and (
            best is None or len(mp) > len(best.mount_point.rstrip("/") or "/")
        ):
            best = m
    return best


def _block_device_removable(device: str, sys_block: Path = Path("/sys/block")) -> bool:
    """True for a /dev/sdXN whose disk says removable=1 or hangs off a USB bus."""
    if not device.startswith("/dev/"):
        return False
    name = Path(os.path.realpath(device)).name
    candidates = [name, name.rstrip("0123456789")]
    if name.startswith(("nvme", "mmcblk")) and "p" in name:
        candidates.append(name.rsplit("p", 1)[0])
    for disk in candidates:
        node = sys_block / disk
        if not node.exists():
            continue
        try:
            if (node / "removable").read_text().strip() == "1":
                return True
            return "/usb" in os.path.realpath(node)
        except OSError:
            return False
    return False


def classify_linux(path: str, mounts_text: str, removable=_block_device_removable) -> str:
    mount = mount_of(path, parse_mounts(mounts_text))
    if mount is None:
        return "local"
    if mount.fs_type in NETWORK_FS or mount.device.startswith("//"):
        return "network"
    if mount.mount_point.startswith(REMOVABLE_MOUNT_PREFIXES) or removable(mount.device):
        return "removable"
    return "local"


def classify_windows(path: str, drive_type=None) -> str:
    if path.startswith(("\\\\", "//")):
        return "network"
    if drive_type is None:
        import ctypes

        def drive_type(root: str) -> int:
            return ctypes.windll.kernel32.GetDriveTypeW(root)

    root = os.path.splitdrive(path)[0] + "\\"
    kind = drive_type(root)
    return {2: "removable", 4: "network"}.get(kind, "local")  # DRIVE_REMOVABLE, DRIVE_REMOTE


def classify(path: Path) -> str:
    """ "local", "removable" or "network" for the folder that holds `path`."""
    resolved = str(Path(path).resolve().parent if not Path(path).is_dir() else Path(path).resolve())
    if sys.platform == "win32":
        return classify_windows(resolved)
    try:
        mounts_text = Path("/proc/self/mounts").read_text()
    except OSError:
        return "local"  # no mount table to consult (macOS): nothing to refuse on
    return classify_linux(resolved, mounts_text)


def require_local(path: Path) -> None:
    kind = classify(path)
    if kind != "local":
        raise StorageLocationRefused(Path(path), kind)
