"""One background runner for long work, on QThreadPool.

A task is a plain function `fn(progress, cancelled)` from the services: `progress(done, total)` reports,
`cancelled()` asks whether to stop. Results and errors come back through signals on the GUI thread; workers
never touch widgets. Writes go through a pool of one thread, so they are serialized. A progress dialog
appears only when the work lasts more than half a second. Tests swap in `InlineRunner`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

Task = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]
SHOW_AFTER_MS = 500


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Task, signals: _Signals, cancel: threading.Event) -> None:
        super().__init__()
        self.fn, self.signals, self.cancel = fn, signals, cancel

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit, self.cancel.is_set)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, never swallowed
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


class TaskRunner(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.read_pool = QThreadPool.globalInstance()
        self.write_pool = QThreadPool(self)
        self.write_pool.setMaxThreadCount(1)
        self._alive: set[_Signals] = set()

    def run(
        self,
        fn: Task,
        *,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        label: str = "",
        parent: QWidget | None = None,
        writes: bool = True,
        cancellable: bool = True,
    ) -> None:
        signals = _Signals()
        cancel = threading.Event()
        dialog = None
        if label:
            dialog = QProgressDialog(label, self.tr("取消") if cancellable else "", 0, 0, parent)
            dialog.setWindowTitle(self.tr("请稍候"))
            dialog.setWindowModality(Qt.WindowModal)
            dialog.setMinimumDuration(SHOW_AFTER_MS)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            if not cancellable:
                dialog.setCancelButton(None)
            dialog.canceled.connect(cancel.set)

            def on_progress(done: int, total: int) -> None:
                dialog.setMaximum(total)
                dialog.setValue(done)

            signals.progress.connect(on_progress)

        def finish(handler: Callable[[Any], None], value: Any) -> None:
            self._alive.discard(signals)
            if dialog is not None:
                dialog.close()
                dialog.deleteLater()
            handler(value)

        signals.finished.connect(lambda result: finish(on_done, result), Qt.QueuedConnection)
        signals.failed.connect(lambda exc: finish(on_error, exc), Qt.QueuedConnection)
        self._alive.add(signals)
        (self.write_pool if writes else self.read_pool).start(_Job(fn, signals, cancel))

    def wait(self) -> None:
        self.write_pool.waitForDone()
        self.read_pool.waitForDone()


class InlineRunner(QObject):
    """Runs the task at once on the calling thread: for tests, where timing must be deterministic."""

    def run(self, fn: Task, *, on_done, on_error, **_ignored) -> None:
        try:
            result = fn(lambda done, total: None, lambda: False)
        except BaseException as exc:  # noqa: BLE001
            on_error(exc)
        else:
            on_done(result)

    def wait(self) -> None:
        pass


def run_blocking(runner, fn: Task, *, label: str, parent: QWidget | None = None) -> Any:
    """Run a task with its progress dialog and wait (in a local event loop, so the window stays painted)
    for its result; its error is raised here."""
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def done(result: Any) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    runner.run(fn, on_done=done, on_error=failed, label=label, parent=parent)
    if not outcome:
        loop.exec()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
