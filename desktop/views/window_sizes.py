"""Every window and dialog fits the office screen and comes back at the size the clerk gave it.

The common township monitor is 1366×768 with the Windows taskbar below: 1366×728 is left for a window, frame and
title bar included. One event filter on the application does this for every top-level window as it is shown,
so a new dialog cannot forget it:

- the size saved for that kind of window (its class) is restored, if any;
- the window is then made to fit the screen's available area and the office screen, whichever is smaller,
  frame included, and is kept on the screen;
- when it is hidden, its size is saved (in `window-sizes.ini` in the data folder: sizes only, no records).

Qt's own small dialogs (message boxes, file and input dialogs, progress) size themselves and are left alone.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRect, QSettings
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

OFFICE_SCREEN = QRect(0, 0, 1366, 728)  # 1366×768 less a 40-pixel taskbar
FRAME_ALLOWANCE = (16, 40)  # a title bar and borders, when the window system has not yet told us its frame
SELF_SIZED = (QMessageBox, QFileDialog, QInputDialog, QProgressDialog)


def _key(widget: QWidget) -> str:
    return f"geometry/{type(widget).__name__}"


def fit(widget: QWidget, area: QRect) -> None:
    """Shrink `widget` so that it and its frame fit `area`, and move it inside."""
    frame = widget.frameGeometry()
    extra_w = max(frame.width() - widget.width(), FRAME_ALLOWANCE[0] if frame == widget.geometry() else 0)
    extra_h = max(frame.height() - widget.height(), FRAME_ALLOWANCE[1] if frame == widget.geometry() else 0)
    width = min(widget.width(), area.width() - extra_w)
    height = min(widget.height(), area.height() - extra_h)
    width = max(width, min(widget.minimumSizeHint().width(), area.width() - extra_w))
    height = max(height, min(widget.minimumSizeHint().height(), area.height() - extra_h))
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(width, height)
    x = min(max(widget.x(), area.left()), area.right() - width - extra_w + 1)
    y = min(max(widget.y(), area.top()), area.bottom() - height - extra_h + 1)
    if (x, y) != (widget.x(), widget.y()):
        widget.move(x, y)


def _tall_enough(widget: QWidget) -> None:
    """At least as tall as its contents need at its width (wrapped labels included)."""
    layout = widget.layout()
    if layout is None:
        return
    need = layout.totalHeightForWidth(widget.width()) if layout.hasHeightForWidth() else 0
    need = max(need, widget.minimumSizeHint().height())
    if widget.height() < need:
        widget.resize(widget.width(), need)


def available_area(widget: QWidget) -> QRect:
    screen = widget.screen() or QApplication.primaryScreen()
    area = screen.availableGeometry() if screen is not None else OFFICE_SCREEN
    return area.intersected(QRect(area.topLeft(), OFFICE_SCREEN.size()))


class WindowSizes(QObject):
    def __init__(self, settings_file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = QSettings(str(settings_file), QSettings.IniFormat)
        self._restored: set[int] = set()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, QMainWindow | QDialog)
            and not isinstance(watched, SELF_SIZED)
            and watched.isWindow()
        ):
            if event.type() == QEvent.Show and id(watched) not in self._restored:
                self._restored.add(id(watched))
                saved = self.settings.value(_key(watched))
                if saved is not None:
                    watched.restoreGeometry(saved)
                    _tall_enough(watched)  # a size saved before its layout grew (a new hint, a new field)
                fit(watched, available_area(watched))
            elif event.type() == QEvent.Hide and id(watched) in self._restored:
                self._restored.discard(id(watched))
                self.settings.setValue(_key(watched), watched.saveGeometry())
                self.settings.sync()
        return False


def install(app: QApplication, data_dir: Path) -> WindowSizes:
    sizes = WindowSizes(Path(data_dir) / "window-sizes.ini", app)
    app.installEventFilter(sizes)
    app._wudu_window_sizes = sizes  # kept alive with the application
    return sizes
