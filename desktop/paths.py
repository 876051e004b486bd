"""Where the program keeps its data: the per-user application-data folder, unless `--data-dir` or
WUDU_DATA_DIR says otherwise.

The folder is the one Qt's AppDataLocation names (`%APPDATA%\\wudu`, `~/.local/share/wudu`), worked out here
with the standard library so that nothing below the views imports Qt and the command line finds the same
folder as the window.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from desktop import APP_NAME
from desktop.db import DB_FILENAME


def default_data_dir() -> Path:
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Application Support")
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_NAME


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    chosen = explicit or os.environ.get("WUDU_DATA_DIR")
    return Path(chosen).expanduser().resolve() if chosen else default_data_dir()


def database_path(folder: Path) -> Path:
    return folder / DB_FILENAME
