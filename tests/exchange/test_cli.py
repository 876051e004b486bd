"""The two offices' whole procedure through the commands the README gives, as two data folders and a stick."""

from __future__ import annotations

import json

from desktop import cli
from tests.conftest import ADMIN, PASSWORD


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.out, captured.err


def test_keys_export_import_receipt_and_status(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("WUDU_USER", ADMIN)
    monkeypatch.setenv("WUDU_PASSWORD", PASSWORD)
    town, county, stick = tmp_path / "town", tmp_path / "county", tmp_path / "stick"
    stick.mkdir()
    assert run(capsys, "--data-dir", town, "demo", "--size", "small")[0] == 0
    code, out, _ = run(capsys, "--data-dir", county, "init", "--county-mode", "--county", "演示县",
                       "--recovery-sheet", tmp_path / "sheet.pdf")  # fmt: skip
    assert code == 0 and "指纹" in out
    assert run(capsys, "--data-dir", county, "keys", "export-public", tmp_path / "county.wudu-key")[0] == 0
    code, out, _ = run(
        capsys, "--data-dir", town, "keys", "township-init", "--county-key", tmp_path / "county.wudu-key"
    )
    assert code == 0 and "县禁毒办公钥的指纹" in out
    assert run(capsys, "--data-dir", town, "keys", "export-public", tmp_path / "town.wudu-key")[0] == 0
    code, out, _ = run(capsys, "--data-dir", county, "keys", "register-township", tmp_path / "town.wudu-key")
    assert code == 0 and "演示镇" in out
    code, out, _ = run(capsys, "--data-dir", county, "keys", "register-township", tmp_path / "town.wudu-key")
    assert code == 1

    code, out, _ = run(capsys, "--data-dir", town, "export", "--to", stick)
    assert code == 0 and "第1号" in out
    (bundle,) = stick.glob("*.wudu-bundle")
    (tmp_path / "junk.wudu-bundle").write_text("不是数据包")
    code, out, err = run(
        capsys, "--data-dir", county, "county", "import", bundle, tmp_path / "junk.wudu-bundle"
    )
    assert code == 1 and "导入1个，拒绝1个" in out and "不是本程序的数据包" in err
    (receipt,) = stick.glob("*.wudu-receipt")
    code, out, _ = run(capsys, "--data-dir", town, "receipt", "import", receipt)
    assert code == 0 and "县里已收到第1号" in out

    code, out, _ = run(capsys, "--data-dir", county, "county", "status", "--json")
    (status,) = json.loads(out)
    assert status["township"] == "演示镇" and status["last_seq"] == 1 and status["registers"]["persons"] > 0
    code, out, _ = run(capsys, "--data-dir", town, "export", "--to", stick)
    assert code == 0 and "第1号之后的变动" in out
    code, out, _ = run(capsys, "--data-dir", county, "keys", "show")
    assert "已登记乡镇：演示镇" in out
    # a finding on a chain that is not broken, or for a township the county does not know: refused in Chinese
    code, _, err = run(capsys, "--data-dir", county, "county", "review", "演示镇", "--finding", "已核实")
    assert code == 1 and "接续完好" in err
    code, _, err = run(capsys, "--data-dir", county, "county", "review", "无此镇", "--finding", "已核实")
    assert code == 1 and "没有登记名为“无此镇”的乡镇" in err
    # the township's history rewritten on its own PC: flagged at the county, and the finding recorded
    from desktop import db
    from desktop.services import accounts
    from tests.exchange.test_writing_and_anchor import rewrite_history

    d = accounts.log_in(town / db.DB_FILENAME, ADMIN, PASSWORD)
    rewrite_history(d, 3)
    d.close()
    assert run(capsys, "--data-dir", town, "export", "--to", stick, "--full")[0] == 0
    (newest,) = [b for b in stick.glob("*.wudu-bundle") if b.name.endswith("0003.wudu-bundle")]
    assert run(capsys, "--data-dir", county, "county", "import", newest)[0] == 0
    code, out, _ = run(
        capsys, "--data-dir", county, "county", "review", "演示镇", "--finding", "电话核实：恢复过备份"
    )
    assert code == 0 and "警告：审计日志第3条起" in out and "县里的核查结果：" in out and "恢复过备份" in out


def test_init_needs_a_township_unless_county_mode(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("WUDU_PASSWORD", PASSWORD)
    code, _, err = run(capsys, "--data-dir", tmp_path, "init", "--county", "县")
    assert code == cli.EXIT_USAGE and "--township" in err
    code, _, err = run(
        capsys, "--data-dir", tmp_path, "init", "--county-mode", "--county", "县", "--township", "镇"
    )
    assert code == cli.EXIT_USAGE and "不登记乡镇和村组" in err
    assert not (tmp_path / "wudu.sqlite3").exists()


def test_a_county_on_a_server_from_the_command_line(tmp_path, capsys, monkeypatch, postgres_url):
    monkeypatch.setenv("WUDU_PASSWORD", PASSWORD)
    county, town, stick = tmp_path / "county", tmp_path / "town", tmp_path / "stick"
    stick.mkdir()
    # a server nobody listens on: refused in words, and no database made
    code, _, err = run(capsys, "--data-dir", county, "init", "--county-mode", "--county", "演示县",
                       "--database-url", "postgresql://wudu:secret@127.0.0.1:9/wudu",
                       "--recovery-sheet", tmp_path / "sheet.pdf")  # fmt: skip
    assert code == 1 and "连不上数据库服务器" in err and "secret" not in err
    assert not (county / "wudu.sqlite3").exists()
    code, _, err = run(capsys, "--data-dir", county, "init", "--county-mode", "--county", "演示县",
                       "--database-url", "mysql://x@y/z", "--recovery-sheet", tmp_path / "sheet.pdf")  # fmt: skip
    assert code == cli.EXIT_USAGE and "postgresql://" in err
    assert run(capsys, "--data-dir", county, "init", "--county-mode", "--county", "演示县",
               "--database-url", postgres_url, "--recovery-sheet", tmp_path / "sheet.pdf")[0] == 0  # fmt: skip
    assert run(capsys, "--data-dir", town, "demo", "--size", "small")[0] == 0
    run(capsys, "--data-dir", county, "keys", "export-public", tmp_path / "c.wudu-key")
    run(capsys, "--data-dir", town, "keys", "township-init", "--county-key", tmp_path / "c.wudu-key")
    run(capsys, "--data-dir", town, "keys", "export-public", tmp_path / "t.wudu-key")
    run(capsys, "--data-dir", county, "keys", "register-township", tmp_path / "t.wudu-key")
    assert run(capsys, "--data-dir", town, "export", "--to", stick)[0] == 0
    code, out, _ = run(capsys, "--data-dir", county, "county", "import", *stick.glob("*.wudu-bundle"))
    assert code == 0 and "导入1个，拒绝0个" in out
    assert not (county / "townships").exists()  # the records went to the server
    code, out, _ = run(capsys, "--data-dir", county, "county", "status", "--json")
    assert json.loads(out)[0]["last_seq"] == 1
