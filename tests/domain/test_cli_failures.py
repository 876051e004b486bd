"""Every command against what a person can get wrong: a missing, wrong, empty or truncated file, a folder where a
file was meant, an unknown value, a read-only data folder, a full disk. Each must end with a Chinese sentence,
exit code 1 or 2, no traceback, and the records as they were."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import cli, db
from desktop.services import accounts, demo
from desktop.services.check import check_database
from tests.conftest import ADMIN, AS_OF, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CHINESE = re.compile(r"[\u4e00-\u9fff]{2,}")


@pytest.fixture(scope="module")
def township(tmp_path_factory) -> Path:
    """A small demo township's data folder, made once and copied for each case."""
    folder = tmp_path_factory.mktemp("township") / "data"
    d = accounts.create_installation(folder / db.DB_FILENAME, ADMIN, PASSWORD).db
    demo.build(d, "small", seed=3, as_of=AS_OF)
    from desktop.services import backups, people_excel, people_template

    backups.make_backup(d, folder.parent / "usb")
    people_template.write_template(d, folder.parent / "template.xlsx")
    people_excel.export(d, folder.parent / "residents.xlsx")
    from desktop.exchange import keys

    county = accounts.create_installation(folder.parent / "county" / db.DB_FILENAME, ADMIN, PASSWORD).db
    keys.set_up_county(county, "演示县")
    keys.export_public(county, folder.parent / "county.wudu-key")
    county.close()
    d.close()
    return folder


@pytest.fixture
def data(township, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("WUDU_USER", ADMIN)
    monkeypatch.setenv("WUDU_PASSWORD", PASSWORD)
    target = tmp_path / "data"
    shutil.copytree(township, target)
    return target


def records(data_dir: Path) -> dict:
    d = accounts.log_in(data_dir / db.DB_FILENAME, ADMIN, PASSWORD)
    try:
        return check_database(d.path, d.key).counts | {"audit_entry": 0}
    finally:
        d.close()


def files(data_dir: Path) -> set[str]:
    """The files of the data folder, without SQLite's own -wal/-shm and the empty temp root."""
    return {
        str(p.relative_to(data_dir))
        for p in data_dir.rglob("*")
        if p.is_file() and not p.name.endswith(("-wal", "-shm"))
    }


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def make_bad_files(base: Path, township: Path) -> dict[str, Path]:
    base.mkdir(exist_ok=True)
    good = township.parent / "template.xlsx"
    out = {
        "missing": base / "no-such-file.xlsx",
        "folder": base / "a-folder.xlsx",
        "txt": base / "notes.xlsx",
        "empty": base / "empty.xlsx",
        "truncated": base / "truncated.xlsx",
        "xls": base / "old.xls",
        "xls_renamed": base / "old-renamed.xlsx",
    }
    out["folder"].mkdir()
    out["txt"].write_text("姓名,身份证号码\n张伟,430522199001011234\n", "utf-8")
    out["empty"].write_bytes(b"")
    out["truncated"].write_bytes(good.read_bytes()[:3000])
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000
    out["xls"].write_bytes(ole)
    out["xls_renamed"].write_bytes(ole)
    return out


IMPORT_CASES = [
    ("missing", "找不到文件"),
    ("folder", "是一个文件夹"),
    ("txt", "不是Excel的.xlsx文件"),
    ("empty", "文件是空的"),
    ("truncated", "不完整或已损坏"),
    ("xls", "另存为.xlsx"),
    ("xls_renamed", "另存为.xlsx"),
]


def assert_refused(code: int, err: str, out: str, expected: str) -> None:
    assert code in (cli.EXIT_REFUSED, cli.EXIT_USAGE), (code, out, err)
    assert "Traceback" not in err + out
    assert CHINESE.search(err), err
    assert expected in err, err
    assert len(err) < 3000, "a refusal says what is wrong; it does not echo the input"


@pytest.mark.parametrize("case,expected", IMPORT_CASES, ids=[c for c, _ in IMPORT_CASES])
@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry-run"])
def test_importing_a_wrong_file_is_refused_in_chinese(
    case, expected, dry_run, data, township, tmp_path, capsys
):
    """Every way the chosen file can be wrong is named; nothing is written."""
    bad = make_bad_files(tmp_path / "files", township)[case]
    before, names = records(data), files(data)
    argv = ["--data-dir", str(data), "people", "import", str(bad)] + (["--dry-run"] if dry_run else [])
    code = cli.main(argv)
    captured = capsys.readouterr()
    assert_refused(code, captured.err, captured.out, expected)
    assert records(data) == before and files(data) == names


def writes(data: Path, tmp_path: Path) -> list[tuple[str, list[str], str]]:
    (tmp_path / "a-folder").mkdir(exist_ok=True)
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    (tmp_path / "text.sqlite3").write_text("这不是数据库" * 200, "utf-8")
    missing_dir = tmp_path / "no-such-folder"
    return [
        ("export into a missing folder", ["people", "export", str(missing_dir / "x.xlsx")], "文件夹不存在"),
        ("export onto a folder", ["people", "export", str(tmp_path / "a-folder")], "是一个文件夹"),
        (
            "export an unknown residence type",
            ["people", "export", str(tmp_path / "x.xlsx"), "--residence-type", "打工"],
            "居住类型只能是",
        ),
        (
            "export an unknown village",
            ["people", "export", str(tmp_path / "x.xlsx"), "--village", "没有这个村"],
            "没有这个村",
        ),
        (
            "template into a missing folder",
            ["people", "template", str(missing_dir / "t.xlsx")],
            "文件夹不存在",
        ),
        ("template onto a folder", ["people", "template", str(tmp_path / "a-folder")], "是一个文件夹"),
        ("backup onto a file", ["backup", "--to", str(tmp_path / "a-file")], "是一个文件，不是文件夹"),
        ("restore a missing file", ["restore", str(tmp_path / "nothing.sqlite3")], "找不到文件"),
        ("restore a folder", ["restore", str(tmp_path / "a-folder")], "是一个文件夹"),
        ("restore an empty file", ["restore", str(tmp_path / "empty.sqlite3")], "文件是空的"),
        ("restore a text file", ["restore", str(tmp_path / "text.sqlite3")], "损坏"),
        ("restore the live database", ["restore", str(data / db.DB_FILENAME)], "正在使用的数据库本身"),
        ("test page onto a folder", ["test-page", str(tmp_path / "a-folder")], "是一个文件夹"),
        ("test page into a missing folder", ["test-page", str(missing_dir / "p.pdf")], "文件夹不存在"),
        ("demo on a set-up township", ["demo", "--size", "small"], "演示数据只能生成在空数据库中"),
        (
            "print notices into a missing folder",
            ["print", "notices", "--due-until", "2026-12-31", str(missing_dir / "n.pdf")],
            "文件夹不存在",
        ),
        (
            "print notices onto a folder",
            ["print", "notices", "--due-until", "2026-12-31", str(tmp_path / "a-folder")],
            "是一个文件夹",
        ),
        (
            "print agreements into a missing folder",
            ["print", "agreements", "--year", "2026", str(missing_dir / "a.pdf")],
            "文件夹不存在",
        ),
        (
            "print agreements none generated",
            ["print", "agreements", "--year", "2026", str(tmp_path / "x.pdf")],
            "没有要打印的责任书",
        ),
        (
            "generate agreements for an unknown village",
            ["agreements", "generate", "--village", "没有这个村"],
            "没有这个村",
        ),
        (
            "generate agreements for a far year",
            ["agreements", "generate", "--year", "1999"],
            "年度应在",
        ),
        (
            "print notices when none has been issued",
            ["print", "notices", "--due-until", "2026-12-31", str(tmp_path / "x.pdf")],
            "没有要打印的通知书",
        ),
        (
            "init on a set-up township",
            ["init", "--county", "县", "--township", "镇", "--village", "001=村"],
            "不能再次初始化",
        ),
        ("init a set-up township as county", ["init", "--county-mode", "--county", "县"], "不能再次初始化"),
        ("export to the county into a missing folder", ["export", "--to", str(missing_dir)], "文件夹不存在"),
        ("export to the county onto a file", ["export", "--to", str(tmp_path / "a-file")], "不是文件夹"),
        ("export to the county before any keys", ["export", "--to", str(tmp_path)], "还没有交换密钥"),
        ("public key before any keys", ["keys", "export-public", str(tmp_path / "k.key")], "还没有交换密钥"),
        ("county keys on a township", ["keys", "county-init"], "不是县禁毒办的数据库"),
        (
            "a missing county key file",
            ["keys", "township-init", "--county-key", str(missing_dir / "k")],
            "找不到文件",
        ),
        (
            "a text file as county key",
            ["keys", "township-init", "--county-key", str(tmp_path / "a-file")],
            "不是本程序的公钥文件",
        ),
        (
            "a folder as county key",
            ["keys", "township-init", "--county-key", str(tmp_path / "a-folder")],
            "是一个文件夹",
        ),
        (
            "register on a township",
            ["keys", "register-township", str(tmp_path / "a-file")],
            "不是本程序的公钥文件",
        ),
        ("a missing receipt", ["receipt", "import", str(tmp_path / "nothing.wudu-receipt")], "找不到文件"),
        ("an empty receipt", ["receipt", "import", str(tmp_path / "empty.sqlite3")], "文件是空的"),
        (
            "a text file as receipt",
            ["receipt", "import", str(tmp_path / "text.sqlite3")],
            "不是本程序的数据包或回执",
        ),
        (
            "a text file as bundle",
            ["county", "import", str(tmp_path / "text.sqlite3")],
            "不是本程序的数据包或回执",
        ),
        ("county status on a township", ["county", "status"], "不是县禁毒办的数据库"),
        (
            "county review on a township",
            ["county", "review", "演示镇", "--finding", "已核实"],
            "不是县禁毒办的数据库",
        ),
        ("report for an unknown period", ["report", "--year", "2026", "--period", "Q5"], "无法识别"),
        ("report into a missing folder", ["report", "--pdf", str(missing_dir / "r.pdf")], "文件夹不存在"),
        ("report onto a folder", ["report", "--pdf", str(tmp_path / "a-folder")], "是一个文件夹"),
        ("report for a far year", ["report", "--year", "1999", "--period", "M13"], "无法识别"),
    ]


def test_each_command_refuses_a_wrong_target_and_leaves_the_data(data, tmp_path, capsys):
    """The table: each command pointed at something wrong says what, in Chinese, and changes no record."""
    before, names = records(data), files(data)
    for label, argv, expected in writes(data, tmp_path):
        code = cli.main(["--data-dir", str(data), *argv])
        captured = capsys.readouterr()
        try:
            assert_refused(code, captured.err, captured.out, expected)
        except AssertionError as exc:
            raise AssertionError(f"{label}: {exc}") from None
        assert records(data) == before, label
        assert files(data) == names, label
    assert not list(tmp_path.glob("**/*.partial")) and not list(tmp_path.glob("**/.*.partial"))
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "x.pdf").exists()


def test_a_data_dir_that_is_a_file_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("WUDU_PASSWORD", PASSWORD)
    target = tmp_path / "not-a-folder"
    target.write_text("x")
    for argv in (["check"], ["audit", "verify"], ["backup"]):
        code = cli.main(["--data-dir", str(target), *argv])
        captured = capsys.readouterr()
        assert_refused(code, captured.err, captured.out, "是一个文件，不是文件夹")
    assert target.read_text() == "x"


def test_usage_errors_exit_2_without_a_traceback(tmp_path, capsys):
    for argv in (
        ["demo", "--size", "huge"],
        ["no-such-command"],
        ["people"],
        ["init", "--county"],
        ["notices", "due", "--until", "2026-13-01"],
        ["print", "notices", "x.pdf"],
        ["agreements", "generate", "--type", "乱写"],
        ["print", "agreements", "x.pdf"],
        ["export"],
        ["keys"],
        ["county", "import"],
        ["county", "review", "演示镇"],
        ["export", "--to", ".", "--full", "--after", "-3"],
        ["export", "--to", ".", "--after", "二"],
        ["receipt", "import"],
        ["report", "--year", "twenty"],
    ):
        with pytest.raises(SystemExit) as caught:
            cli.main(["--data-dir", str(tmp_path), *argv])
        assert caught.value.code == cli.EXIT_USAGE
        assert "Traceback" not in capsys.readouterr().err


def test_a_huge_cell_is_refused_without_echoing_it(data, township, tmp_path, capsys):
    """A 200,000-character name is refused by its row, and the message stays short."""
    from openpyxl import load_workbook

    source = tmp_path / "huge.xlsx"
    wb = load_workbook(township.parent / "template.xlsx")
    ws = wb.active
    for column, value in enumerate(["东山村", "一组", "0001", "东山村一组1号", "张" * 200_000], start=1):
        ws.cell(row=2, column=column, value=value)
    wb.save(source)
    before = records(data)
    code = cli.main(["--data-dir", str(data), "people", "import", str(source)])
    captured = capsys.readouterr()
    assert code == cli.EXIT_REFUSED
    assert "Traceback" not in captured.err and len(captured.err) < 3000 and len(captured.out) < 3000
    assert records(data) == before


def test_an_unexpected_failure_is_a_sentence_and_a_log_entry_not_a_traceback(data, capsys, monkeypatch):
    """A bug is still a bug, but the clerk reads Chinese and support finds the details in the log."""
    from desktop.services import check

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(check, "check_database", broken)
    code = cli.main(["--data-dir", str(data), "check"])
    captured = capsys.readouterr()
    assert code == cli.EXIT_REFUSED
    assert "Traceback" not in captured.err and "发生了意外错误" in captured.err
    assert "ZeroDivisionError" in (data / "logs" / "wudu.log").read_text("utf-8")


# --- a read-only data folder and a full disk, for real: a mount namespace of the test's own --------------------
NS_SCRIPT = r"""
set -e
case "$MODE" in
  ro)   mount --bind "$SRC" "$MNT"; mount -o remount,bind,ro "$MNT" ;;
  full) mount -t tmpfs -o size=12m tmpfs "$MNT"; cp -a "$SRC/." "$MNT/";
        dd if=/dev/zero of="$MNT/.filler" bs=4k 2>/dev/null || true ;;
  target-full) mount -t tmpfs -o size=12m tmpfs "$MNT";
        dd if=/dev/zero of="$MNT/.filler" bs=4k 2>/dev/null || true ;;
esac
set +e
"$@" > "$OUT/stdout" 2> "$OUT/stderr"
code=$?
if [ "$MODE" = full ]; then rm -f "$MNT/.filler"; mkdir -p "$OUT/after"; cp -a "$MNT/." "$OUT/after/"; fi
if [ "$MODE" = target-full ]; then rm -f "$MNT/.filler"; ls -A "$MNT" > "$OUT/target-files"; fi
exit $code
"""


def namespaces_available() -> bool:
    if shutil.which("unshare") is None:
        return False
    done = subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=30)
    return done.returncode == 0


needs_namespaces = pytest.mark.skipif(
    not namespaces_available() and not os.environ.get("CI"),
    reason="needs unshare (user and mount namespaces) to make a read-only folder and a full disk",
)


def run_in_namespace(mode: str, src: Path, mnt: Path, out: Path, argv: list[str]) -> int:
    mnt.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "MODE": mode, "SRC": str(src), "MNT": str(mnt), "OUT": str(out)}
    env["WUDU_USER"], env["WUDU_PASSWORD"] = ADMIN, PASSWORD
    env["WUDU_RECOVERY_KEY"], env["WUDU_NEW_PASSWORD"] = "AAAAA-BBBBB", "another-strong-9"
    command = ["unshare", "-rm", "sh", "-c", NS_SCRIPT, "sh", sys.executable, "-m", "desktop", *argv]
    done = subprocess.run(command, env=env, cwd=ROOT, timeout=120, stdin=subprocess.DEVNULL)
    return done.returncode


def commands(mnt: Path, elsewhere: Path, township: Path) -> list[list[str]]:
    return [
        ["check"],
        ["audit", "verify"],
        ["backup"],
        ["backup", "--to", str(elsewhere / "usb")],
        ["restore", str(next((township.parent / "usb").glob("wudu-*.sqlite3")))],
        ["people", "template", str(elsewhere / "t.xlsx")],
        ["people", "import", str(township.parent / "residents.xlsx")],
        ["people", "export", str(elsewhere / "out.xlsx")],
        ["notices", "due"],
        ["notices", "issue", "--until", "2026-12-31"],
        ["print", "notices", "--due-until", "2026-12-31", str(elsewhere / "notices.pdf")],
        ["agreements", "generate"],
        ["agreements", "coverage"],
        ["print", "agreements", "--year", "2026", str(elsewhere / "agreements.pdf")],
        ["keys", "township-init", "--county-key", str(township.parent / "county.wudu-key")],
        ["county", "review", "演示镇", "--finding", "已核实"],
        ["recover"],
        ["demo", "--size", "small"],
        ["report", "--year", "2026", "--pdf", str(elsewhere / "report.pdf")],
        [
            "init",
            "--county",
            "县",
            "--township",
            "镇",
            "--village",
            "001=村",
            "--recovery-sheet",
            str(elsewhere / "sheet.pdf"),
        ],
    ]


@needs_namespaces
@pytest.mark.parametrize("mode", ["ro", "full"], ids=["read-only data folder", "full disk"])
def test_every_command_on_a_read_only_folder_or_a_full_disk(mode, township, tmp_path):
    """The data folder mounted read-only, or on a disk with no space left: every command is refused in Chinese
    with exit 1, prints no traceback, and leaves every byte of the data folder as it was (no .partial file)."""
    src = tmp_path / "src"
    shutil.copytree(township, src)
    os.chmod(tmp_path, 0o755)
    before = fingerprint(src)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for i, argv in enumerate(commands(tmp_path / "mnt", elsewhere, township)):
        out = tmp_path / f"out{i}"
        code = run_in_namespace(
            mode, src, tmp_path / "mnt", out, ["--data-dir", str(tmp_path / "mnt"), *argv]
        )
        err, stdout = (out / "stderr").read_text("utf-8"), (out / "stdout").read_text("utf-8")
        label = f"{mode} {' '.join(argv[:2])}"
        assert code == cli.EXIT_REFUSED, f"{label}: exit {code}\n{stdout}\n{err}"
        assert "Traceback" not in err + stdout, label
        assert CHINESE.search(err), f"{label}: {err}"
        assert ("磁盘空间已满" if mode == "full" else "只读") in err or "不能写入" in err, f"{label}: {err}"
        after = fingerprint(out / "after") if mode == "full" else fingerprint(src)
        after.pop(".filler", None)
        assert after == before, f"{label}: the data folder changed"
        assert not list(elsewhere.iterdir()), f"{label}: wrote {list(elsewhere.iterdir())}"


@needs_namespaces
def test_a_backup_or_export_onto_a_full_stick_leaves_nothing_there_and_is_recorded_as_failed(data, tmp_path):
    """The stick is full: the command says so, nothing that looks like a backup or an export is left on it,
    and the audit trail records the attempt as failed."""
    os.chmod(tmp_path, 0o755)
    stick = tmp_path / "stick"
    exports_before = audit_actions(data).count("export")
    for i, argv in enumerate(
        (["backup", "--to", str(stick)], ["people", "export", str(stick / "居民.xlsx")])
    ):
        out = tmp_path / f"out{i}"
        code = run_in_namespace("target-full", data, stick, out, ["--data-dir", str(data), *argv])
        err = (out / "stderr").read_text("utf-8")
        assert code == cli.EXIT_REFUSED and "Traceback" not in err, err
        assert "磁盘空间已满" in err or "备份没有成功" in err, err
        assert (out / "target-files").read_text().split() == [], "something was left on the stick"
    actions = audit_actions(data)
    assert "backup_failed" in actions and "export_failed" in actions
    assert actions.count("export") == exports_before


def audit_actions(data: Path) -> list[str]:
    from desktop.services import audit_log

    d = accounts.log_in(data / db.DB_FILENAME, ADMIN, PASSWORD)
    try:
        return [e.action for e in audit_log.entries(d, limit=5000)]
    finally:
        d.close()


INIT = ["init", "--county", "新邵县", "--township", "严塘镇", "--village", "001=东山村"]


def test_init_with_an_unwritable_recovery_sheet_creates_nothing(tmp_path, capsys, monkeypatch):
    """The key would exist with nowhere to write it down: refused before the database is made."""
    monkeypatch.setenv("WUDU_PASSWORD", PASSWORD)
    data = tmp_path / "data"
    for sheet in (tmp_path / "missing" / "sheet.pdf", tmp_path):
        code = cli.main(["--data-dir", str(data), *INIT, "--recovery-sheet", str(sheet)])
        captured = capsys.readouterr()
        assert code == cli.EXIT_REFUSED and "Traceback" not in captured.err and CHINESE.search(captured.err)
        assert not data.exists() or not any(data.iterdir())


def test_the_recovery_sheet_names_the_township_set_up_with_it(tmp_path, capsys, monkeypatch):
    from pypdf import PdfReader

    monkeypatch.setenv("WUDU_PASSWORD", PASSWORD)
    sheet = tmp_path / "sheet.pdf"
    argv = ["--data-dir", str(tmp_path / "data"), *INIT, "--recovery-sheet", str(sheet)]
    assert cli.main(argv) == cli.EXIT_OK
    text = PdfReader(sheet).pages[0].extract_text().replace(" ", "")
    assert "严塘镇" in text and "尚未填写" not in text


def test_a_sheet_broken_inside_an_intact_workbook_is_named_damaged(data, township, tmp_path, capsys):
    """The zip opens but the sheet's XML is cut: refused as damaged when the rows are read, not a traceback."""
    import zipfile

    source = township.parent / "template.xlsx"
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet") and b"<sheetData>" in content:
                content = content[: len(content) // 2]
            zout.writestr(item, content)
    before = records(data)
    code = cli.main(["--data-dir", str(data), "people", "import", str(broken)])
    captured = capsys.readouterr()
    assert_refused(code, captured.err, captured.out, "不完整或已损坏")
    assert records(data) == before


def test_audit_reanchor_refuses_what_a_person_gets_wrong(data, capsys, monkeypatch):
    """No reason, an empty reason, a clerk instead of an administrator: a Chinese sentence, nothing recorded."""
    from desktop.models.enums import Role

    base = ["--data-dir", str(data), "audit", "reanchor"]
    with pytest.raises(SystemExit) as caught:
        cli.main(base)
    assert caught.value.code == cli.EXIT_USAGE and "缺少必需的参数" in capsys.readouterr().err
    (data / "wudu.audit-head").unlink()  # a disagreement to re-anchor
    code = cli.main([*base, "--reason", "   "])
    captured = capsys.readouterr()
    assert_refused(code, captured.err, captured.out, "不能为空")
    d = accounts.log_in(data / db.DB_FILENAME, ADMIN, PASSWORD)
    accounts.create_user(d, "luru", "王芳", Role.CLERK, "clerk-pass-1")
    d.close()
    monkeypatch.setenv("WUDU_USER", "luru")
    monkeypatch.setenv("WUDU_PASSWORD", "clerk-pass-1")
    code = cli.main([*base, "--reason", "误删"])
    captured = capsys.readouterr()
    assert_refused(code, captured.err, captured.out, "无权")
    assert not (data / "wudu.audit-head").exists()  # nothing re-anchored
