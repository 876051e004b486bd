"""The data folder the command line computes without Qt is the one the window's Qt would name."""

import os
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from desktop import paths


def test_default_data_dir_matches_qt_app_data_location(monkeypatch):
    """`wudu backup` and the window must look in the same folder, or a clerk's command finds no database."""
    from desktop.views.app import make_app

    make_app()  # the application's own name, as the window sets it
    monkeypatch.delenv("WUDU_DATA_DIR", raising=False)
    qt = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    assert paths.default_data_dir() == qt
    assert os.fspath(paths.default_data_dir()).endswith("wudu")
