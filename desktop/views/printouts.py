"""Printouts: a PDF is written to the data folder's `prints/` and opened in the system's viewer, from which the
clerk prints it. The files hold names and ID numbers, so they do not stay: the folder is emptied when the
program closes and again when it starts (a file still open in a viewer is left for the next time)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from desktop.views.errors import show_error

FOLDER = "prints"


def write_print(parent, data_dir: Path, name: str, data: bytes) -> Path | None:
    """Write `data` as prints/`name` and open it; None (and a message) when the disk refuses."""
    target = data_dir / FOLDER / name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as exc:
        show_error(parent, exc)
        return None
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(
            parent,
            parent.tr("打印"),
            parent.tr(
                "已生成“{0}”，但本机没有可以打开PDF的程序。\n文件在：{1}\n请用PDF阅读器打开并打印；程序关闭时会删除它。"
            ).format(name, target),
        )
    return target


def print_pdf(parent, data_dir: Path, name: str, make) -> Path | None:
    """`make()` the PDF (a service: permission checked, print audited) and hand it to the viewer; a refusal is
    shown to the clerk and nothing is written."""
    from desktop.errors import DomainError

    try:
        data = make()
    except DomainError as exc:
        show_error(parent, exc)
        return None
    return write_print(parent, data_dir, name, data)


def print_in_background(parent, runner, data_dir: Path, name: str, make, on_done=None) -> None:
    """As print_pdf, with `make()` on a worker: a 100-page register form takes seconds, and the window stays
    alive with a progress dialog (shown after half a second) instead of freezing. `on_done(path or None)`."""

    def done(data: bytes) -> None:
        target = write_print(parent, data_dir, name, data)
        if on_done is not None:
            on_done(target)

    def failed(exc: BaseException) -> None:
        show_error(parent, exc)
        if on_done is not None:
            on_done(None)

    runner.run(
        lambda progress, cancelled: make(),
        on_done=done,
        on_error=failed,
        label=parent.tr("正在生成“{0}”……").format(name),
        parent=parent,
        cancellable=False,
    )


def clear_prints(data_dir: Path) -> int:
    """Remove the printouts left in `data_dir`; how many could not be removed (open in a viewer)."""
    left = 0
    folder = data_dir / FOLDER
    for path in folder.glob("*.pdf") if folder.is_dir() else ():
        try:
            path.unlink()
        except OSError:
            left += 1
    return left
