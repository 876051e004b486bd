"""SIGKILL in the middle of an Excel import, a backup, a restore, a key-store write and an export: each leaves
the old state or the new one, never a broken one; and a killed export leaves no plaintext anywhere."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from desktop import db
from desktop.keystore import KeyStore
from desktop.models.idnumber import check_character
from desktop.services import accounts, audit_log, backups, demo, people_excel
from tests.conftest import ADMIN, AS_OF, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = max(3, int(os.environ.get("WUDU_CRASH_KILLS", "200")) // 25)
NEW_ROWS = 1500


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A township demo with a backup, and a workbook of new residents that fit it."""
    base = tmp_path_factory.mktemp("kills")
    data = base / "data"
    d = accounts.create_installation(data / db.DB_FILENAME, ADMIN, PASSWORD).db
    demo.build(d, "small", seed=5, as_of=AS_OF)
    people_excel.export(d, base / "registered.xlsx")
    backup = backups.make_backup(d, base / "usb")
    d.close()
    rows = list(load_workbook(base / "registered.xlsx", read_only=True).active.iter_rows(values_only=True))
    village, group = rows[1][0], rows[1][1]
    wb = Workbook()
    ws = wb.active
    ws.append(list(rows[0][:12]))
    for i in range(NEW_ROWS):
        first17 = f"430522198{i % 10}0{1 + i % 9}1{i % 10}{i:03d}"[:17]
        first17 = f"4305221980010{1 + (i // 1000)}{i % 1000:03d}"[:17]
        ws.append(
            [
                village,
                group,
                f"9{i:05d}",
                f"测试地址{i}号",
                f"测试{i}",
                first17 + check_character(first17),
                "户主",
                "常住",
                "",
                "",
                "",
                "",
            ]
        )
    wb.save(base / "new.xlsx")
    return base, data, backup


def copy_of(prepared, tmp_path) -> Path:
    _, data, _ = prepared
    target = tmp_path / "data"
    shutil.copytree(data, target)
    return target


def run_child(forks, op: str, data: Path, arg: Path | None, kill_after: float | None, env_extra=None):
    env = {"WUDU_PASSWORD": PASSWORD, **(env_extra or {})}
    child = forks.start("operations", op, data, *([arg] if arg else []), env=env)
    assert child.readline().strip() == "READY", forks.errors()
    started = time.monotonic()
    if kill_after is None:
        code, out = child.wait()
        assert code == 0, forks.errors()
        return time.monotonic() - started, out
    time.sleep(kill_after)
    child.kill()
    _, out = child.wait()
    return None, out


def state(data: Path) -> dict:
    """Opens as the clerk would the next morning: integrity, the audit chain against its head, the counts."""
    d = accounts.log_in(data / db.DB_FILENAME, ADMIN, PASSWORD)
    try:
        assert db.quick_check(d.path, d.key, full=True) == "ok"
        assert d.audit_problem is None, d.audit_problem
        assert audit_log.verify_chain(d).ok
        from desktop.services.check import check_database

        return check_database(d.path, d.key).counts
    finally:
        d.close()


@pytest.mark.slow
@pytest.mark.parametrize("op", ["import", "backup", "restore"])
def test_a_kill_mid_operation_leaves_the_old_state_or_the_new(op, prepared, tmp_path, forks):
    base, _, backup = prepared
    arg = {"import": base / "new.xlsx", "backup": tmp_path / "usb", "restore": backup}[op]
    timing = copy_of(prepared, tmp_path / "timing")
    before = state(timing)
    duration, _ = run_child(forks, op, timing, arg if op != "backup" else tmp_path / "timing-usb", None)
    after = state(timing)
    if op == "import":
        assert after["person"] == before["person"] + NEW_ROWS
    rng = random.Random(f"{op}-20261202")
    key = KeyStore.load(timing / db.DB_FILENAME).unlock(ADMIN, PASSWORD)
    for round_ in range(ROUNDS):
        data = copy_of(prepared, tmp_path / f"r{round_}")
        if op == "backup":
            arg = tmp_path / f"usb{round_}"
        run_child(forks, op, data, arg, rng.uniform(0, duration * 1.1))
        found = state(data)
        persons = found["person"]
        assert persons in (before["person"], after["person"]), f"round {round_}: {persons} persons"
        if op == "backup":  # on the stick: nothing, or a whole backup with its key store that verifies
            for b in backups.list_backups(arg):
                assert b.path.with_suffix(".keys").exists(), f"round {round_}: a backup without its keys"
                assert db.quick_check(b.path, key) == "ok"
                verdict = audit_log.verify_file(b.path, key, b.path.with_suffix(".audit-head"))
                assert verdict.ok, f"round {round_}: {verdict}"
        assert not list(data.glob("*.partial")), f"round {round_}: a partial file was left"


@pytest.mark.slow
def test_a_kill_while_the_key_store_is_written_leaves_one_password_that_works(prepared, tmp_path, forks):
    data = copy_of(prepared, tmp_path)
    rng = random.Random(7)
    current = PASSWORD
    from tests.crash.operations import PASSWORDS

    for round_ in range(ROUNDS * 2):
        _, out = run_child(forks, "keys", data, None, rng.uniform(0.2, 1.5), {"WUDU_PASSWORD": current})
        acked = [line.split()[1] for line in out.splitlines() if line.startswith("ACK ")]
        store = KeyStore.load(data / db.DB_FILENAME)  # never a half-written file
        works = []
        for candidate in PASSWORDS:
            try:
                store.unlock(ADMIN, candidate)
                works.append(candidate)
            except Exception:  # noqa: BLE001 - the wrong one is refused, as it should be
                continue
        assert len(works) == 1, f"round {round_}: {works}"
        if acked:
            # the last acknowledged change was saved, or one more was saved after it
            assert works[0] in (acked[-1], PASSWORDS[0] if acked[-1] == PASSWORDS[1] else PASSWORDS[1])
        current = works[0]
        accounts.log_in(
            data / db.DB_FILENAME, ADMIN, current
        ).close()  # the next log-in clears what a kill left
        assert not list(data.glob("*.partial")), f"round {round_}"


@pytest.mark.slow
def test_a_killed_export_leaves_no_plaintext_anywhere(prepared, tmp_path, forks):
    """openpyxl spools the sheet to temporary files: killed midway, they must be in the data folder's private
    temp folder (never the system's), and swept at the next start; the target holds nothing half-written."""
    base, _, _ = prepared
    data = copy_of(prepared, tmp_path)
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    rows = list(load_workbook(base / "registered.xlsx", read_only=True).active.iter_rows(values_only=True))
    secrets_ = [r[5] for r in rows[1:60]] + [r[4] for r in rows[1:60] if len(r[4]) >= 2]
    env = {"TMPDIR": str(system_tmp), "TEMP": str(system_tmp), "TMP": str(system_tmp)}
    seen_spool = False
    for round_ in range(ROUNDS):
        child = forks.start(
            "operations", "export", data, out_dir / "居民.xlsx", env={"WUDU_PASSWORD": PASSWORD, **env}
        )
        assert child.readline().strip() == "READY", forks.errors()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # kill while the sheet is being spooled
            spooled = [p for p in (data / "tmp").rglob("*") if p.is_file() and p.name != "owner.lock"]
            if spooled:
                seen_spool = True
                break
            time.sleep(0.002)
        child.kill()
        child.wait()
        assert not (out_dir / "居民.xlsx").exists() or round_ >= 0 and _complete(out_dir / "居民.xlsx")
        (out_dir / "居民.xlsx").unlink(missing_ok=True)
    assert seen_spool, "the export never spooled: the test killed nothing mid-write"
    # the next start sweeps what the killed processes left
    subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(data), "check"],
        cwd=ROOT,
        env={**os.environ, "WUDU_PASSWORD": PASSWORD, **env},
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert not (data / "tmp").exists() or not any((data / "tmp").rglob("*"))
    assert list(system_tmp.rglob("*")) == []
    for folder in (data, out_dir, system_tmp):
        for f in folder.rglob("*"):
            if f.is_file():
                content = f.read_bytes()
                for s in secrets_:
                    assert s.encode("utf-8") not in content, f"{s[:4]}… in the clear in {f}"
    if sys.platform != "win32":
        for f in data.rglob("*"):
            mode = f.stat().st_mode & 0o777
            assert mode & 0o077 == 0, f"{f} is readable by others ({oct(mode)})"


def _complete(path: Path) -> bool:
    """A file under the target's name is only ever a whole workbook (written last, in one rename)."""
    load_workbook(path, read_only=True).close()
    return True
