"""The command line: 0 done, 1 refused (reasons printed, nothing written), 2 usage error."""

import subprocess
import sys

import pytest

from desktop import cli, db
from desktop.services.check import check_database
from tests.conftest import AS_OF

INIT = [
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


def run(tmp_path, *args):
    return cli.main(["--data-dir", str(tmp_path), *args])


def test_init_sets_up_the_township_without_a_window(tmp_path, capsys):
    assert run(tmp_path, *INIT) == cli.EXIT_OK
    assert "新邵县严塘镇，2个村（社区），2个小组" in capsys.readouterr().out
    report = check_database(tmp_path / db.DB_FILENAME)
    assert report.counts["village"] == 2 and report.counts["village_group"] == 2


def test_init_with_bad_input_exits_1_with_reasons_and_writes_nothing(tmp_path, capsys):
    code = run(tmp_path, "init", "--county", "新邵县", "--township", "", "--village", "1a=东山村")
    assert code == cli.EXIT_REFUSED
    err = capsys.readouterr().err
    assert "乡镇（街道）名称不能为空" in err and "村（社区）代码应为1至12位数字" in err
    assert check_database(tmp_path / db.DB_FILENAME).counts.get("village", 0) == 0


def test_a_group_of_an_unknown_village_is_refused(tmp_path, capsys):
    assert run(tmp_path, *INIT, "--group", "009/01=一组") == cli.EXIT_REFUSED
    assert "009" in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path):
    with pytest.raises(SystemExit) as caught:
        run(tmp_path, "demo", "--size", "huge")
    assert caught.value.code == cli.EXIT_USAGE


def test_demo_then_check(tmp_path, capsys):
    assert run(tmp_path, "demo", "--size", "small", "--as-of", AS_OF.isoformat()) == cli.EXIT_OK
    assert "重点人员12人" in capsys.readouterr().out
    assert run(tmp_path, "check") == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "完整性检查：正常" in out and f"结构版本：{db.head_revision()}" in out


def test_demo_on_a_set_up_township_is_refused(tmp_path, capsys):
    run(tmp_path, *INIT)
    assert run(tmp_path, "demo", "--size", "small") == cli.EXIT_REFUSED
    assert "演示数据只能生成在空数据库中" in capsys.readouterr().err


def test_check_reports_a_damaged_file_with_exit_1(tmp_path, capsys):
    (tmp_path / db.DB_FILENAME).write_bytes(b"\x00garbage" * 512)
    assert run(tmp_path, "check") == cli.EXIT_REFUSED
    assert "有问题" in capsys.readouterr().out


@pytest.mark.parametrize("entry", [["-m", "desktop"]])
def test_python_dash_m_desktop_prints_help_for_each_command(entry):
    for sub in ([], ["init"], ["demo"], ["check"]):
        done = subprocess.run(
            [sys.executable, *entry, *sub, "--help"], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert "usage: wudu" in done.stdout
