"""Driving real widgets: Chinese text through the input method, modal dialogs answered as they open."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_chinese(widget: QWidget, text: str) -> None:
    """qtbot.keyClicks with Chinese text aborts the process; an input-method commit is what a clerk's IME sends."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def answer_modals(*steps: Callable[[QWidget], None], timeout_ms: int = 15000) -> list[str]:
    """Answer the next modal dialogs in turn, each by its step; returns the class names seen (for asserts)."""
    seen: list[str] = []
    pending = list(steps)
    waited = {"ms": 0}

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None and (not seen or seen[-1] != id(modal)):
            step = pending.pop(0)
            seen.append(type(modal).__name__)
            seen.append(id(modal))
            step(modal)
            if pending:
                QTimer.singleShot(20, poll)
            return
        waited["ms"] += 20
        if waited["ms"] < timeout_ms:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def names(seen: list) -> list[str]:
    return [s for s in seen if isinstance(s, str)]


def as_viewer(database):
    """The same database logged in again as a new 查看 account (the admin's handle is closed): a Database."""
    from desktop.models.enums import Role
    from desktop.services import accounts

    accounts.create_user(database, "chakan", "李娜", Role.VIEWER, "viewer-pass-1")
    path = database.path
    database.close()
    return accounts.log_in(path, "chakan", "viewer-pass-1")


def build_demo_folder(tmp_path_factory, size: str, seed: int):
    """A demo built once (for a module's tests) in a data folder of its own: the folder."""
    from desktop import db
    from desktop.services import accounts, demo
    from tests.conftest import ADMIN, AS_OF, PASSWORD

    folder = tmp_path_factory.mktemp("demo") / "data"
    d = accounts.create_installation(folder / db.DB_FILENAME, ADMIN, PASSWORD).db
    demo.build(d, size, seed=seed, as_of=AS_OF)
    d.close()
    return folder


def logged_in_copy(folder, tmp_path):
    """A copy of a built demo folder, logged in as its administrator: a Database (close it after)."""
    import shutil

    from desktop import db
    from desktop.services import accounts
    from tests.conftest import ADMIN, PASSWORD

    target = tmp_path / "data"
    shutil.copytree(folder, target)
    return accounts.log_in(target / db.DB_FILENAME, ADMIN, PASSWORD)
