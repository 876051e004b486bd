"""Lock the window after an idle time: no record stays on screen while the clerk is away from the desk."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

ACTIVITY = {QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.Wheel, QEvent.TouchBegin}


class IdleWatch(QObject):
    """Calls `on_idle` once the application has seen no key, mouse or touch input for `minutes`."""

    def __init__(self, minutes: int, on_idle, parent=None, clock=time.monotonic) -> None:
        super().__init__(parent)
        self.minutes = minutes
        self.on_idle = on_idle
        self.clock = clock
        self.last_activity = clock()
        self.paused = False
        QApplication.instance().installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.setInterval(5_000)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def eventFilter(self, obj, event) -> bool:
        if event.type() in ACTIVITY:
            self.last_activity = self.clock()
        return False

    def check(self) -> None:
        if not self.paused and self.minutes > 0 and self.clock() - self.last_activity >= self.minutes * 60:
            self.paused = True
            try:
                self.on_idle()
            finally:
                self.paused = False
                self.last_activity = self.clock()

    def stop(self) -> None:
        self.timer.stop()
        QApplication.instance().removeEventFilter(self)
