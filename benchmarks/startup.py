"""Start-up to a shown main window on the `township` demo, against a bare QApplication + QMainWindow.

Each case runs in a fresh process (interpreter start included, as the clerk waits for it), several times;
the child prints the moment its window is exposed and its peak memory. Goal: ≤ 3× the bare window and ≤ 1 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD_COMMON = """
import os, resource, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QEvent, QObject
class Exposed(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Expose and obj.isExposed():
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"SHOWN {peak:.1f}", flush=True)
            os._exit(0)
        return False
"""

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

APP = (
    CHILD_COMMON
    + """
from pathlib import Path
from desktop.views.app import make_app, open_main_window
app = make_app()
w = open_main_window(Path(sys.argv[1]))
f = Exposed(); w.show(); w.windowHandle().installEventFilter(f)
app.exec()
"""
)


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
    from desktop.services import demo

    database = db.open_database(folder / db.DB_FILENAME)
    try:
        demo.build(database, "township", seed=2026)
    finally:
        database.close()
    return folder


def run(repeats: int = 5) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="wudu-bench-") as tmp:
        data_dir = prepare_township_demo(Path(tmp))
        _measure(BARE)  # warm the file cache for both
        _measure(APP, str(data_dir))
        bare = [_measure(BARE) for _ in range(repeats)]
        app = [_measure(APP, str(data_dir)) for _ in range(repeats)]
    bare_t = statistics.median(t for t, _ in bare)
    app_t = statistics.median(t for t, _ in app)
    return [
        {
            "figure": "start-up: bare QMainWindow (baseline)",
            "value": f"{bare_t:.3f} s",
            "ratio": "1.00×",
            "goal": "",
            "peak": f"{max(m for _, m in bare):.0f} MB",
        },
        {
            "figure": "start-up: main window, township demo",
            "value": f"{app_t:.3f} s",
            "ratio": f"{app_t / bare_t:.2f}×",
            "goal": "≤ 3× and ≤ 1 s",
            "peak": f"{max(m for _, m in app):.0f} MB",
            "ok": app_t / bare_t <= 3 and app_t <= 1.0,
        },
    ]
