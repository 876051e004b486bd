"""Where the program keeps its data: Qt's AppDataLocation, unless `--data-dir` or WUDU_DATA_DIR says otherwise.

QStandardPaths needs no QApplication, only the application's name, so the headless command line finds the
same folder as the window. (QtCore is the one Qt module used outside the views, and only here.)
"""

from __future__ import annotations

import os
from pathlib import Path

from desktop import APP_NAME
from desktop.db import DB_FILENAME

ORGANIZATION = ""  # so the folder is ~/.local/share/wudu, %APPDATA%\wudu


def default_data_dir() -> Path:
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APP_NAME)
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    chosen = explicit or os.environ.get("WUDU_DATA_DIR")
    return Path(chosen).expanduser().resolve() if chosen else default_data_dir()


def database_path(folder: Path) -> Path:
    return folder / DB_FILENAME
