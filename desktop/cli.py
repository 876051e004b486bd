"""The command line, `wudu` and `python -m desktop`: the window by default, and headless subcommands for
administrators, scripts and the county's batch work.

Exit codes: 0 done; 1 refused input (the reasons are printed, nothing is written); 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from desktop import __version__, messages
from desktop.services.errors import DomainError

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def _village_arg(text: str):
    from desktop.models.units import VillageDraft

    code, sep, rest = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"应写成 代码=名称 或 代码=名称:社区，而不是“{text}”")
    name, _, kind = rest.partition(":")
    return VillageDraft(code=code, name=name, kind=kind or ("社区" if name.endswith("社区") else "村"))


def _group_arg(text: str):
    from desktop.models.units import GroupDraft

    left, sep, name = text.partition("=")
    village_code, slash, code = left.partition("/")
    if not (sep and slash):
        raise argparse.ArgumentTypeError(f"应写成 村代码/组代码=名称，而不是“{text}”")
    return village_code.strip(), GroupDraft(code=code, name=name)


def _date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 2026-11-29 的形式，而不是“{text}”") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wudu",
        description="无毒社区工作台：乡镇禁毒办的排查登记、帮教小组、尿检通知和责任书。不带子命令时打开程序窗口。",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="数据文件夹（默认：本用户的应用数据文件夹）")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    sub.add_parser("gui", help="打开程序窗口（默认）")

    init = sub.add_parser("init", help="不打开窗口，设置本乡镇及其村（社区）和小组")
    init.add_argument("--county", required=True, help="县（市、区）名称")
    init.add_argument("--township", required=True, help="乡镇（街道）名称")
    init.add_argument("--code", default="", help="乡镇统计用区划代码（9位或12位数字，可不填）")
    init.add_argument(
        "--village",
        action="append",
        type=_village_arg,
        default=[],
        metavar="代码=名称[:社区]",
        help="一个村或社区，可重复，例如 --village 001=东山村 --village 002=河口社区:社区",
    )
    init.add_argument(
        "--group",
        action="append",
        type=_group_arg,
        default=[],
        metavar="村代码/组代码=名称",
        help="一个村民小组或居民小组，可重复，例如 --group 001/01=一组",
    )

    demo = sub.add_parser("demo", help="在空数据库中生成演示数据（合成的人员和号码）")
    demo.add_argument(
        "--size",
        choices=("small", "township", "county"),
        default="township",
        help="small：约1000人；township：约4万人；county：约80万人（用于性能测试）",
    )
    demo.add_argument("--seed", type=int, default=2026, help="随机种子：同一种子得到相同的数据")
    demo.add_argument("--as-of", type=_date_arg, default=None, help="以哪一天为“今天”生成日期（默认今天）")

    sub.add_parser("check", help="检查数据库文件是否完好，以及结构版本")
    return parser


def _open(data_dir: Path):
    from desktop import db, paths

    return db.open_database(paths.database_path(data_dir))


def cmd_init(args, data_dir: Path) -> int:
    from desktop.models.units import TownshipDraft
    from desktop.services import township
    from desktop.services.errors import Problem, ValidationFailed

    villages = list(args.village)
    by_code = {v.code.strip(): v for v in villages}
    orphans = []
    for village_code, group in args.group:
        if village_code in by_code:
            by_code[village_code].groups.append(group)
        else:
            orphans.append(Problem("group", "unknown_village", {"value": village_code}))
    if orphans:
        for p in orphans:
            print(f"小组所属的村代码“{p.params['value']}”没有用 --village 给出", file=sys.stderr)
        return EXIT_REFUSED
    draft = TownshipDraft(
        county_name=args.county, township_name=args.township, code=args.code, villages=villages
    )
    database = _open(data_dir)
    try:
        done = township.initialize(database, draft)
    except ValidationFailed as exc:
        print("未设置，输入有误：\n" + messages.describe(exc), file=sys.stderr)
        return EXIT_REFUSED
    finally:
        database.close()
    print(
        f"已设置：{done.county_name}{done.township_name}，{done.villages}个村（社区），{done.groups}个小组。"
    )
    print(f"数据库：{database.path}")
    return EXIT_OK


def cmd_demo(args, data_dir: Path) -> int:
    from desktop.services import demo

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r生成中… {done * 100 // total}%", end="", file=sys.stderr, flush=True)

    database = _open(data_dir)
    try:
        result = demo.build(database, args.size, seed=args.seed, as_of=args.as_of, progress=progress)
    finally:
        database.close()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(
        f"已生成演示数据：{result.villages}个村（社区），{result.groups}个小组，{result.households}户，"
        f"{result.persons}人，其中重点人员{result.key_persons}人。"
    )
    print(f"数据库：{database.path}")
    return EXIT_OK


def cmd_check(args, data_dir: Path) -> int:
    from desktop import paths
    from desktop.services.check import check_database

    report = check_database(paths.database_path(data_dir))
    print(f"数据库：{report.path}")
    if not report.exists:
        print("尚未创建（首次启动程序时创建）。")
        return EXIT_OK
    print(f"完整性检查：{'正常' if report.integrity == 'ok' else '有问题：' + report.integrity}")
    state = {
        "current": "最新",
        "older": "较旧（下次启动时先备份再自动升级）",
        "newer": "比本程序新（本程序不会打开它）",
        "empty": "空（尚未建立表结构）",
    }[report.schema_state]
    print(f"结构版本：{report.revision or '无'}（本程序：{report.head}）— {state}")
    labels = {
        "village": "村（社区）",
        "village_group": "小组",
        "household": "户",
        "person": "人",
        "drug_file": "重点人员",
    }
    if report.counts:
        print("记录数：" + "，".join(f"{labels[k]} {v}" for k, v in report.counts.items()))
    return EXIT_OK if report.ok else EXIT_REFUSED


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from desktop import paths

    data_dir = paths.data_dir(args.data_dir)
    command = args.command or "gui"
    if command == "gui":
        from desktop.views.app import run

        return run(data_dir)
    handler = {"init": cmd_init, "demo": cmd_demo, "check": cmd_check}[command]
    try:
        return handler(args, data_dir)
    except DomainError as exc:
        print(messages.describe(exc), file=sys.stderr)
        return EXIT_REFUSED
