"""Build the one-folder program with PyInstaller and check the result by running it.

    python installer/build.py [--dist DIR]

The checks use the frozen programs, not the source: `wudu-cli --version`, a small demo database created and
checked (SQLCipher, argon2, the migrations, the ID rules), a test page and a 帮教协议书 printed through the
frozen ReportLab with the bundled font, and the window started offscreen until its log-in window shows.
On Windows, `installer/wudu.iss` (Inno Setup) then packs dist/wudu into a setup program.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(dist: Path, work: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(ROOT / "installer" / "wudu.spec"),
        ],
        check=True,
        cwd=ROOT,
    )
    return dist / "wudu"


def program(folder: Path, name: str) -> Path:
    return folder / (name + (".exe" if os.name == "nt" else ""))


def check(folder: Path, postgres_url: str = "") -> list[str]:
    """Run the frozen programs; the list of what went wrong (empty when all is well). With `postgres_url` (an
    empty database on a server), a second county keeps its records there: psycopg inside the frozen build."""
    failures = []
    cli = str(program(folder, "wudu-cli"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WUDU_PASSWORD": "frozen-check-2026"}
    env.pop("WUDU_DATA_DIR", None)
    with tempfile.TemporaryDirectory(prefix="wudu-frozen-") as tmp:
        data, page, template = Path(tmp) / "data", Path(tmp) / "page.pdf", Path(tmp) / "template.xlsx"
        steps = [
            ([cli, "--version"], "wudu"),
            # SQLCipher, argon2, the migrations run from files, the ID rules' tables, the demo
            ([cli, "--data-dir", str(data), "demo", "--size", "small"], "演示"),
            ([cli, "--data-dir", str(data), "check"], "完整性检查：正常"),
            ([cli, "--data-dir", str(data), "audit", "verify"], "哈希链连续"),
            # ReportLab with the bundled font found under the frozen resources; openpyxl
            ([cli, "--data-dir", str(data), "test-page", str(page)], "打印测试页"),
            ([cli, "--data-dir", str(data), "people", "template", str(template)], "模板"),
            # the papers drawn on the canvas with their Code 128 barcodes (ReportLab's barcode package)
            (
                [cli, "--data-dir", str(data), "agreements", "generate", "--type", "禁毒工作目标责任书"],
                "新生成",
            ),
            (
                [
                    cli,
                    "--data-dir",
                    str(data),
                    "print",
                    "agreements",
                    "--year",
                    str(dt.date.today().year),
                    str(Path(tmp) / "agreements.pdf"),
                ],
                "已打印",
            ),  # fmt: skip
            # 考核: the figures, and the year-end report with ReportLab's charts (reportlab.graphics)
            ([cli, "--data-dir", str(data), "report", "--pdf", str(Path(tmp) / "report.pdf")], "预计得分"),
        ]
        # the county exchange: age (pyrage's compiled module) and Ed25519, a bundle exported and imported
        county, stick = Path(tmp) / "county", Path(tmp) / "stick"
        stick.mkdir()
        county_key, town_key = Path(tmp) / "county.wudu-key", Path(tmp) / "town.wudu-key"
        d, c = ["--data-dir", str(data)], ["--data-dir", str(county)]
        steps += [
            ([cli, *c, "init", "--county-mode", "--county", "演示县", "--recovery-sheet", str(Path(tmp) / "c.pdf")],
             "指纹"),
            ([cli, *c, "keys", "export-public", str(county_key)], "已写出公钥"),
            ([cli, *d, "keys", "township-init", "--county-key", str(county_key)], "指纹"),
            ([cli, *d, "keys", "export-public", str(town_key)], "已写出公钥"),
            ([cli, *c, "keys", "register-township", str(town_key)], "已登记"),
            ([cli, *d, "export", "--to", str(stick)], "第1号报县数据包"),
            ([cli, *c, "county", "import", str(stick / "演示镇-报县数据-0001.wudu-bundle")], "导入1个，拒绝0个"),
            ([cli, *d, "receipt", "import", str(stick / "演示镇-县回执-0001.wudu-receipt")], "县里已收到第1号"),
        ]  # fmt: skip
        if postgres_url:
            server = ["--data-dir", str(Path(tmp) / "county-server")]
            steps += [
                ([cli, *server, "init", "--county-mode", "--county", "演示县", "--database-url", postgres_url,
                  "--recovery-sheet", str(Path(tmp) / "s.pdf")], "指纹"),
                ([cli, *server, "keys", "register-township", str(town_key)], "已登记"),
                ([cli, *server, "keys", "export-public", str(Path(tmp) / "server.wudu-key")], "已写出公钥"),
                ([cli, *d, "keys", "township-init", "--county-key", str(Path(tmp) / "server.wudu-key")], "已更换"),
                ([cli, *d, "export", "--to", str(stick), "--full"], "第2号报县数据包"),
                ([cli, *server, "county", "import", str(stick / "演示镇-报县数据-0002.wudu-bundle")], "导入1个，拒绝0个"),
            ]  # fmt: skip
        for argv, expected in steps:
            done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=600)
            if done.returncode != 0 or expected not in done.stdout:
                failures.append(f"{' '.join(argv[1:])}: exit {done.returncode}\n{done.stdout}\n{done.stderr}")
        if page.exists() and b"WenQuanYi" not in page.read_bytes():
            failures.append("test page: the bundled font is not embedded")
        if template.exists() and not template.read_bytes().startswith(b"PK"):
            failures.append("template: not an Excel workbook")
        window = subprocess.Popen(
            [str(program(folder, "wudu")), "--data-dir", str(data)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        time.sleep(8)  # long enough to import Qt, load the platform plugin and show the log-in window
        if window.poll() is None:
            window.terminate()
        out, err = window.communicate(timeout=30)
        if window.returncode not in (0, -15, 1) or "Traceback" in err or "qt.qpa.plugin" in err:
            failures.append(f"the window did not start ({window.returncode}):\n{out}\n{err}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    parser.add_argument("--check-only", action="store_true", help="only run the checks on an existing build")
    parser.add_argument(
        "--postgres-url", default="", help="an empty database to check a county on a server with"
    )
    args = parser.parse_args()
    folder = args.dist / "wudu" if args.check_only else build(args.dist, args.work)
    failures = check(folder, args.postgres_url)
    for failure in failures:
        print("FAILED:", failure, file=sys.stderr)
    print(f"{folder}: {'checks passed' if not failures else f'{len(failures)} check(s) failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
