"""On the office's 1366×768 screen (1366×728 above the taskbar), the real window under Xvfb: the main window and
the big dialogs fit, frame included, and the 帮教 list's 期限提醒 column is not cut off. Screenshots are kept in
the test's folder for a person to look at."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def xvfb(tmp_path):
    if shutil.which("Xvfb") is None:
        if os.environ.get("CI"):
            pytest.fail("Xvfb is missing: scripts/system-deps.sh installs it")
        pytest.skip("Xvfb is not installed (scripts/system-deps.sh installs it)")
    read_end, write_end = os.pipe()  # Xvfb picks a free display and writes its number here (parallel runs)
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    with os.fdopen(read_end) as answer:
        display = f":{answer.readline().strip()}"
    yield display
    server.terminate()
    server.wait(timeout=10)


def test_the_window_and_its_big_dialogs_fit_the_office_screen(xvfb, tmp_path):
    env = {**os.environ, "DISPLAY": xvfb, "QT_QPA_PLATFORM": "xcb"}
    shots = tmp_path / "shots"
    shots.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.screen_check", str(tmp_path / "data"), str(shots)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["main"][1], f"main window {found['main'][0]} does not fit 1366×728"
    assert found["county_main"][1], f"the county's window {found['county_main'][0]} does not fit 1366×728"
    for name, (rect, fits) in found["dialogs"].items():
        assert fits, f"{name} {rect} does not fit 1366×728"
    assert found["deadline_column_header"] == "期限提醒"
    assert found["deadline_column_right"] <= found["viewport_width"], "期限提醒 is cut off"
    assert found["urine_controls_right"] <= found["urine_tab_width"], (
        "the 尿检通知 buttons run off the screen"
    )
    assert found["assessment_controls_right"] <= found["assessment_tab_width"], "the 考核 controls run off"
    assert (shots / "main-1366x768.png").stat().st_size > 10_000
