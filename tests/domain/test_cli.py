"""The command line: 0 done, 1 refused (reasons printed, nothing written), 2 usage error; it logs in."""

import datetime as dt
import os
import re
import subprocess
import sys

import pytest

from desktop import cli, db
from desktop.services import accounts
from desktop.services.check import check_database
from tests.conftest import AS_OF, PASSWORD


@pytest.fixture(autouse=True)
def credentials(monkeypatch):
    monkeypatch.setenv("WUDU_USER", "admin")
    monkeypatch.setenv("WUDU_PASSWORD", PASSWORD)


def run(tmp_path, *args):
    return cli.main(["--data-dir", str(tmp_path), *args])


def init_args(tmp_path, sheet=True):
    args = [
        "init",
        "--county",
        "新邵县",
        "--township",
        "严塘镇",
        "--village",
        "001=东山村",
        "--village",
        "002=河口社区",
        "--group",
        "001/01=一组",
        "--group",
        "002/01=一组",
    ]
    return args + (["--recovery-sheet", str(tmp_path / "sheet.pdf")] if sheet else [])


def counts(tmp_path, password=PASSWORD) -> dict:
    d = accounts.log_in(tmp_path / db.DB_FILENAME, "admin", password)
    try:
        return check_database(d.path, d.key).counts
    finally:
        d.close()


def test_init_sets_up_the_township_without_a_window(tmp_path, capsys):
    """The first administrator comes from WUDU_USER/WUDU_PASSWORD; the recovery sheet is written as asked."""
    assert run(tmp_path, *init_args(tmp_path)) == cli.EXIT_OK
    assert "新邵县严塘镇，2个村（社区），2个小组" in capsys.readouterr().out
    found = counts(tmp_path)
    assert found["village"] == 2 and found["village_group"] == 2 and found["user_account"] == 1
    assert (tmp_path / "sheet.pdf").read_bytes().startswith(b"%PDF")


def test_a_new_database_needs_a_place_for_its_recovery_sheet(tmp_path, capsys):
    assert run(tmp_path, *init_args(tmp_path, sheet=False)) == cli.EXIT_REFUSED
    assert "--recovery-sheet" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_init_with_bad_input_exits_1_with_reasons_and_writes_nothing(tmp_path, capsys):
    code = run(tmp_path, "init", "--county", "新邵县", "--township", "", "--village", "1a=东山村")
    assert code == cli.EXIT_REFUSED
    err = capsys.readouterr().err
    assert "乡镇（街道）名称不能为空" in err and "村（社区）代码应为1至12位数字" in err
    assert not (tmp_path / db.DB_FILENAME).exists()


def test_a_group_of_an_unknown_village_is_refused(tmp_path, capsys):
    assert run(tmp_path, *init_args(tmp_path), "--group", "009/01=一组") == cli.EXIT_REFUSED
    assert "009" in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path):
    with pytest.raises(SystemExit) as caught:
        run(tmp_path, "demo", "--size", "huge")
    assert caught.value.code == cli.EXIT_USAGE


def test_a_wrong_password_is_refused(tmp_path, capsys, monkeypatch):
    run(tmp_path, *init_args(tmp_path))
    capsys.readouterr()
    monkeypatch.setenv("WUDU_PASSWORD", "not-the-password")
    assert run(tmp_path, "check") == cli.EXIT_REFUSED
    assert "用户名或密码不正确" in capsys.readouterr().err


def test_no_password_and_no_terminal_is_refused_with_a_hint(tmp_path, capsys, monkeypatch):
    run(tmp_path, *init_args(tmp_path))
    capsys.readouterr()
    monkeypatch.delenv("WUDU_PASSWORD")
    with open(os.devnull) as devnull:
        monkeypatch.setattr("sys.stdin", devnull)
        assert run(tmp_path, "check") == cli.EXIT_REFUSED
    assert "WUDU_PASSWORD" in capsys.readouterr().err


def test_demo_then_check(tmp_path, capsys):
    assert run(tmp_path, "demo", "--size", "small", "--as-of", AS_OF.isoformat()) == cli.EXIT_OK
    assert "重点人员12人" in capsys.readouterr().out
    assert run(tmp_path, "check") == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "完整性检查：正常" in out and f"结构版本：{db.head_revision()}" in out


def test_a_demo_without_a_password_prints_a_generated_one(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("WUDU_PASSWORD")
    assert run(tmp_path, "demo", "--size", "small", "--as-of", AS_OF.isoformat()) == cli.EXIT_OK
    password = re.search(r"管理员 admin，密码：(\S+)", capsys.readouterr().out).group(1)
    assert counts(tmp_path, password)["person"] > 800


def test_demo_on_a_set_up_township_is_refused(tmp_path, capsys):
    run(tmp_path, *init_args(tmp_path))
    assert run(tmp_path, "demo", "--size", "small") == cli.EXIT_REFUSED
    assert "演示数据只能生成在空数据库中" in capsys.readouterr().err


def test_a_database_without_its_key_store_is_refused_with_what_to_do(tmp_path, capsys):
    run(tmp_path, *init_args(tmp_path))
    (tmp_path / "wudu.keys").unlink()
    assert run(tmp_path, "check") == cli.EXIT_REFUSED
    assert "密钥文件" in capsys.readouterr().err


def test_audit_verify_reports_an_intact_chain_then_an_altered_entry(tmp_path, capsys):
    run(tmp_path, *init_args(tmp_path))
    assert run(tmp_path, "audit", "verify") == cli.EXIT_OK
    assert "审计日志完好" in capsys.readouterr().out
    d = accounts.log_in(tmp_path / db.DB_FILENAME, "admin", PASSWORD)
    conn = db.connect_raw(d.path, d.key)
    conn.execute("UPDATE audit_entry SET detail = 'nothing happened' WHERE id = 2")
    conn.commit()
    conn.close()
    d.close()
    assert run(tmp_path, "audit", "verify") == cli.EXIT_REFUSED
    assert "第 2 条 — 内容被改动" in capsys.readouterr().err


def test_recover_sets_a_new_password_with_the_recovery_key(tmp_path, capsys, monkeypatch):
    run(tmp_path, "demo", "--size", "small", "--as-of", AS_OF.isoformat())
    recovery = re.search(r"恢复密钥（演示数据库）：(\S+)", capsys.readouterr().out).group(1)
    monkeypatch.setenv("WUDU_RECOVERY_KEY", recovery.lower().replace("-", " "))  # as a person might type it
    monkeypatch.setenv("WUDU_NEW_PASSWORD", "a-new-password-9")
    assert run(tmp_path, "recover") == cli.EXIT_OK
    assert counts(tmp_path, "a-new-password-9")["person"] > 800
    monkeypatch.setenv("WUDU_PASSWORD", PASSWORD)
    assert run(tmp_path, "check") == cli.EXIT_REFUSED


def test_a_wrong_recovery_key_is_refused(tmp_path, capsys, monkeypatch):
    run(tmp_path, *init_args(tmp_path))
    capsys.readouterr()
    monkeypatch.setenv("WUDU_RECOVERY_KEY", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF-GGGGG-HHHHH")
    monkeypatch.setenv("WUDU_NEW_PASSWORD", "a-new-password-9")
    assert run(tmp_path, "recover") == cli.EXIT_REFUSED
    assert "恢复密钥不正确" in capsys.readouterr().err
    assert counts(tmp_path)["user_account"] == 1  # the old password still works


COMMANDS = (
    ["gui"],
    ["init"],
    ["demo"],
    ["check"],
    ["test-page"],
    ["audit", "verify"],
    ["audit", "reanchor"],
    ["people", "template"],
    ["people", "import"],
    ["people", "export"],
    ["backup"],
    ["restore"],
    ["recover"],
)


def test_every_command_has_chinese_help_with_an_example():
    """argparse's own words are Chinese too, every command says what it does and shows an example, and the
    top-level help names the environment variables a script needs."""
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stdout.startswith("用法：wudu")
    assert (
        "WUDU_USER" in done.stdout and "WUDU_PASSWORD" in done.stdout and "显示这段说明并退出" in done.stdout
    )
    parser = cli.build_parser()
    for sub in COMMANDS:
        with pytest.raises(SystemExit) as caught:
            parser.parse_args([*sub, "--help"])
        assert caught.value.code == 0


@pytest.mark.parametrize("sub", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_each_command_help_is_chinese_with_an_example(sub, capsys):
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args([*sub, "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：wudu " + " ".join(sub))
    assert "例如：" in out and "wudu" in out.split("例如：")[1]
    for english in ("usage:", "positional arguments", "options:", "show this help"):
        assert english not in out
    if sub[0] not in ("gui", "test-page", "recover"):
        assert "WUDU_PASSWORD" in out


def test_a_usage_error_is_explained_in_chinese(capsys):
    with pytest.raises(SystemExit) as caught:
        cli.build_parser().parse_args(["demo", "--size", "huge"])
    assert caught.value.code == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "输入有误" in err and "huge" in err and "error:" not in err


def test_backup_to_a_folder_then_restore(tmp_path, capsys, monkeypatch):
    data = tmp_path / "data"
    run(data, *init_args(tmp_path))
    assert run(data, "backup", "--to", str(tmp_path / "usb")) == cli.EXIT_OK
    backup_file = next((tmp_path / "usb").glob("wudu-*.sqlite3"))
    assert backup_file.with_suffix(".keys").exists()
    d = accounts.log_in(data / db.DB_FILENAME, "admin", PASSWORD)
    from desktop.services import township

    draft = township.load_units(d)
    draft.villages.pop()
    township.apply_units(d, draft)
    d.close()
    assert counts(data)["village"] == 1
    assert run(data, "restore", str(backup_file)) == cli.EXIT_OK
    assert "恢复前的数据库已备份为" in capsys.readouterr().out
    assert counts(data)["village"] == 2
    assert run(data, "audit", "verify") == cli.EXIT_OK


def test_people_template_import_dry_run_json_and_export(tmp_path, capsys):
    import json

    from openpyxl import load_workbook

    data = tmp_path / "data"
    run(data, *init_args(tmp_path))
    assert run(data, "people", "template", str(tmp_path / "t.xlsx")) == cli.EXIT_OK
    from desktop.models.idnumber import check_character

    good = "43052219900101123" + check_character("43052219900101123")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    wb = load_workbook(tmp_path / "t.xlsx")
    ws = wb.active
    for r, values in (
        (2, ["东山村", "一组", "0001", "东山村一组1号", "张伟", good, "户主", "常住"]),
        (3, ["东山村", "一组", "0001", "东山村一组1号", "李娜", bad, "配偶", "常住"]),
    ):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)
    wb.save(tmp_path / "t.xlsx")
    capsys.readouterr()
    assert run(data, "people", "import", str(tmp_path / "t.xlsx"), "--dry-run", "--json") == cli.EXIT_REFUSED
    report = json.loads(capsys.readouterr().out)
    assert report["new"] == 1 and report["refused"][0]["row"] == 3
    assert "校验位" in report["refused"][0]["reasons"][0]
    assert run(data, "people", "import", str(tmp_path / "t.xlsx")) == cli.EXIT_REFUSED
    assert counts(data)["person"] == 0
    assert run(data, "people", "import", str(tmp_path / "t.xlsx"), "--only-valid") == cli.EXIT_OK
    assert counts(data)["person"] == 1
    assert run(data, "people", "export", str(tmp_path / "out.xlsx")) == cli.EXIT_OK
    assert load_workbook(tmp_path / "out.xlsx").active["F2"].value == good


def test_the_test_page_needs_no_log_in_and_says_which_fonts_print(tmp_path, monkeypatch, capsys):
    """For support on a PC whose window will not open: the fonts the papers will use, on paper."""
    from pypdf import PdfReader

    monkeypatch.delenv("WUDU_PASSWORD")
    target = tmp_path / "page.pdf"
    assert run(tmp_path, "test-page", str(target)) == cli.EXIT_OK
    text = PdfReader(target).pages[0].extract_text().replace(" ", "")
    assert "打印测试页" in text and "公文字体：标题" in text
    assert "尚未设置" not in text and "未登录生成" in text  # not read, rather than claimed not set up
    assert not (tmp_path / db.DB_FILENAME).exists()  # nothing of the data touched
    assert run(tmp_path, "test-page", str(tmp_path / "missing" / "page.pdf")) == cli.EXIT_REFUSED
    assert "文件夹不存在" in capsys.readouterr().err


def small_demo(tmp_path, monkeypatch) -> list[str]:
    """A small demo township's data folder, logged in through the environment: the commands' first argument."""
    from desktop import db as store
    from desktop.services import accounts, demo
    from tests.conftest import ADMIN, AS_OF, PASSWORD

    data = tmp_path / "data"
    d = accounts.create_installation(data / store.DB_FILENAME, ADMIN, PASSWORD).db
    demo.build(d, "small", seed=3, as_of=AS_OF)
    d.close()
    monkeypatch.setenv("WUDU_USER", ADMIN)
    monkeypatch.setenv("WUDU_PASSWORD", PASSWORD)
    return ["--data-dir", str(data)]


def test_notices_are_listed_issued_and_printed_from_the_command_line(tmp_path, capsys, monkeypatch):
    """wudu notices due → issue → print notices: the same services as the tab, on the small demo."""
    import json

    base = small_demo(tmp_path, monkeypatch)
    assert cli.main([*base, "notices", "due", "--until", "2026-12-31", "--json"]) == 0
    due = json.loads(capsys.readouterr().out)
    assert due and all("*" in d["id_number"] for d in due)  # masked on the terminal too
    assert cli.main([*base, "notices", "issue", "--until", "2026-12-31"]) == 0
    assert f"已开具{len(due)}份通知书：2026-尿-0001" in capsys.readouterr().out
    assert cli.main([*base, "notices", "due", "--until", "2026-12-31", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    target = tmp_path / "通知书.pdf"
    assert cli.main([*base, "print", "notices", "--due-until", "2026-12-31", str(target)]) == 0
    assert target.read_bytes().startswith(b"%PDF") and f"已打印{len(due)}份" in capsys.readouterr().out


def test_agreements_are_generated_counted_and_printed_from_the_command_line(tmp_path, capsys, monkeypatch):
    import json

    base = small_demo(tmp_path, monkeypatch)
    year = str(dt.date.today().year)
    assert cli.main([*base, "agreements", "generate", "--type", "禁毒工作目标责任书"]) == 0
    assert "新生成3份" in capsys.readouterr().out  # the small demo's three villages
    assert cli.main([*base, "agreements", "generate", "--type", "禁毒工作目标责任书"]) == 0
    assert "新生成0份，已有3份" in capsys.readouterr().out
    assert cli.main([*base, "agreements", "coverage", "--json"]) == 0
    lines = json.loads(capsys.readouterr().out)
    total = next(c for c in lines if c["type"] == "禁毒工作目标责任书" and not c["village"])
    assert (total["signed"], total["required"], len(total["missing"])) == (0, 3, 3)
    target = tmp_path / "责任书.pdf"
    assert cli.main([*base, "print", "agreements", "--year", year, str(target)]) == 0
    assert target.read_bytes().startswith(b"%PDF") and "已打印3份" in capsys.readouterr().out
