"""Start-up on the `township` demo, against a bare QApplication + QMainWindow measured in the same run.

Two figures: start to the log-in window shown (what the clerk waits for before typing), and start to the main
window shown when the password is entered at once (key derivation with argon2id, unlocking, quick_check and the
window). Each case runs in a fresh process (interpreter start included), several times; the child prints the
moment its window is exposed and its peak memory. Goals: log-in window ≤ 3× the bare window; main window ≤ 1 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import PEAK_MB

ROOT = Path(__file__).resolve().parent.parent

CHILD_COMMON = (
    PEAK_MB
    + """
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QEvent, QObject
class Exposed(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Expose and obj.isExposed():
            peak = peak_mb()
            print(f"SHOWN {peak:.1f}", flush=True)
            os._exit(0)
        return False
"""
)

BARE = (
    CHILD_COMMON
    + """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1180, 720)
f = Exposed(); w.show(); w.windowHandle().installEventFilter(f)
app.exec()
"""
)

LOGIN = (
    CHILD_COMMON
    + """
from pathlib import Path
from desktop.views.app import make_app
from desktop.views.login import LoginDialog
app = make_app()
w = LoginDialog(Path(sys.argv[1]) / "wudu.sqlite3")
f = Exposed(); w.show(); w.windowHandle().installEventFilter(f)
app.exec()
"""
)

APP = (
    CHILD_COMMON
    + """
from pathlib import Path
from desktop.views.app import check_at_start, make_app
from desktop.views.login import LoginDialog
from desktop.views.main_window import MainWindow
from desktop.views.tasks import TaskRunner
app = make_app()
data = Path(sys.argv[1])
login = LoginDialog(data / "wudu.sqlite3")
login.password.setText(sys.argv[2])
login._on_submit()
w = MainWindow(check_at_start(login.database), TaskRunner(), data)
f = Exposed(); w.show(); w.windowHandle().installEventFilter(f)
app.exec()
"""
)
PASSWORD = "benchmark-pass-1"


def _measure(code: str, *args: str) -> tuple[float, float]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    elapsed = time.perf_counter() - start
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("SHOWN")), None)
    if line is None:
        raise RuntimeError(f"child did not show its window:\n{done.stderr[-2000:]}")
    return elapsed, float(line.split()[1])


def prepare_township_demo(folder: Path) -> Path:
    from desktop import db
    from desktop.services import accounts, demo

    database = accounts.create_installation(folder / db.DB_FILENAME, "admin", PASSWORD).db
    try:
        demo.build(database, "township", seed=2026)
    finally:
        database.close()
    return folder


def run(repeats: int = 5) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="wudu-bench-") as tmp:
        data_dir = prepare_township_demo(Path(tmp))
        _measure(BARE)  # warm the file cache for all
        _measure(LOGIN, str(data_dir))
        _measure(APP, str(data_dir), PASSWORD)
        bare = [_measure(BARE) for _ in range(repeats)]
        login = [_measure(LOGIN, str(data_dir)) for _ in range(repeats)]
        app = [_measure(APP, str(data_dir), PASSWORD) for _ in range(repeats)]
    bare_t = statistics.median(t for t, _ in bare)
    login_t = statistics.median(t for t, _ in login)
    app_t = statistics.median(t for t, _ in app)

    def row(figure, t, runs, goal, ok=None):
        return {
            "figure": figure,
            "value": f"{t:.3f} s",
            "ratio": f"{t / bare_t:.2f}×",
            "goal": goal,
            "peak": f"{max(m for _, m in runs):.0f} MB",
            "ok": ok,
        }

    return [
        row("start-up: bare QMainWindow (baseline)", bare_t, bare, ""),
        row("start-up: log-in window shown", login_t, login, "≤ 3×", login_t / bare_t <= 3),
        row("start-up: main window, township demo, password at once", app_t, app, "≤ 1 s", app_t <= 1.0),
    ]
