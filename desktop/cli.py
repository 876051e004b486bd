"""The command line, `wudu` and `python -m desktop`: the window by default, and headless subcommands for
administrators, scripts and the county's batch work.

Exit codes: 0 done; 1 refused input (the reasons are printed, nothing is written); 2 usage error.

Every command that reads or writes personal data logs in: the user from WUDU_USER (default `admin`), the
password from WUDU_PASSWORD, or asked for at the terminal. `init` and `demo` create the first administrator
the same way when there is no database yet (`demo` generates and prints a password if none is given).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import secrets
import sys
from pathlib import Path

from desktop import __version__, messages
from desktop.errors import DomainError, ValidationFailed

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


# argparse's own words (usage:, options:, error messages) in Chinese: it looks `_` up at call time
ARGPARSE_WORDS = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示这段说明并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：输入有误：%(message)s\n（用 wudu --help 或 wudu 命令 --help 查看用法）\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "没有“%(value)s”这一项（可选：%(choices)s）",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "后面需要一个值",
    "expected at least one argument": "后面至少需要一个值",
    "expected at most one argument": "后面最多一个值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "one of the arguments %s is required": "需要以下参数之一：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
}
argparse._ = lambda text: ARGPARSE_WORDS.get(text, text)

LOGS_IN = "登录：用户名取自环境变量 WUDU_USER（默认 admin），密码取自 WUDU_PASSWORD；没有时在终端询问。"
EXIT_CODES = "退出码：0 完成；1 被拒绝（原因以中文列出，没有写入任何数据）；2 用法错误。"


def _command(sub, name: str, summary: str, example: str, *, logs_in: bool = True, more: str = ""):
    """A subcommand with its Chinese description, an example, and what it needs to log in."""
    epilog = "\n".join(
        x
        for x in (more, "例如：\n  " + example.replace("\n", "\n  "), LOGS_IN if logs_in else "", EXIT_CODES)
        if x
    )
    return sub.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wudu",
        description="无毒社区工作台：乡镇禁毒办的排查登记、帮教小组、尿检通知和责任书。不带命令时打开程序窗口。",
        epilog=(
            "每个命令都有自己的说明，例如 wudu people import --help。\n"
            "环境变量：WUDU_USER、WUDU_PASSWORD（登录），WUDU_DATA_DIR（数据文件夹，同 --data-dir），"
            "WUDU_RECOVERY_KEY、WUDU_NEW_PASSWORD（recover）。\n" + EXIT_CODES
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}", help="显示版本号并退出"
    )
    parser.add_argument("--data-dir", metavar="DIR", help="数据文件夹（默认：本用户的应用数据文件夹）")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    _command(sub, "gui", "打开程序窗口（不带命令时也是如此）", "wudu gui", logs_in=False)

    init = _command(
        sub,
        "init",
        "不打开窗口，创建数据库并设置本乡镇及其村（社区）和小组",
        "wudu init --county 新邵县 --township 严塘镇 --village 001=东山村 --group 001/01=一组 \\\n"
        "          --recovery-sheet 密钥恢复单.pdf",
        more="新建数据库时，第一位管理员的用户名和密码同样取自 WUDU_USER 和 WUDU_PASSWORD。",
    )
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
    init.add_argument(
        "--recovery-sheet", metavar="PDF", help="新建数据库时，把密钥恢复单写到这个PDF文件（请打印后删除）"
    )

    demo = _command(
        sub,
        "demo",
        "在空数据库中生成演示数据（合成的人员和号码，不对应任何真人）",
        "wudu --data-dir 演示 demo --size township",
        more="没有给出 WUDU_PASSWORD 时，为演示数据库生成一个密码并显示出来。",
    )
    demo.add_argument(
        "--size",
        choices=("small", "township", "county"),
        default="township",
        help="small：约1000人；township：约4万人；county：约80万人（用于性能测试）",
    )
    demo.add_argument("--seed", type=int, default=2026, help="随机种子：同一种子得到相同的数据")
    demo.add_argument("--as-of", type=_date_arg, default=None, help="以哪一天为“今天”生成日期（默认今天）")
    demo.add_argument("--recovery-sheet", metavar="PDF", help="新建数据库时，把密钥恢复单写到这个PDF文件")

    _command(sub, "check", "检查数据库文件是否完好、结构版本和各类记录数", "wudu check")
    test_page = _command(
        sub,
        "test-page",
        "生成打印测试页PDF：检查中文字体、公文字体和打印机（不含个人数据，不需要登录）",
        "wudu test-page 测试页.pdf",
        logs_in=False,
    )
    test_page.add_argument("file", metavar="FILE", help="要写出的PDF文件")

    audit_cmd = _command(sub, "audit", "审计日志：校验，或在查明原因后重新确立链头", "wudu audit verify")
    audit_sub = audit_cmd.add_subparsers(dest="audit_command", metavar="操作", required=True)
    _command(
        audit_sub,
        "verify",
        "校验审计日志的哈希链和链头，指出第一条被改动、删除或截去的记录（有问题时退出码为1）",
        "wudu audit verify",
    )
    reanchor = _command(
        audit_sub,
        "reanchor",
        "管理员：查明原因后，把审计日志与链头的不一致连同原因记入日志，并从此重新确立链头",
        'wudu audit reanchor --reason "清理磁盘时误删了 wudu.audit-head"',
    )
    reanchor.add_argument("--reason", required=True, help="原因，例如：误删了 wudu.audit-head 文件")

    people = _command(
        sub, "people", "居民登记的Excel模板、导入和导出", "wudu people import 东山村.xlsx --dry-run"
    )
    people_sub = people.add_subparsers(dest="people_command", metavar="操作", required=True)
    template = _command(
        people_sub,
        "template",
        "生成空白导入模板（含下拉列表，身份证和电话列为文本格式）",
        "wudu people template 居民登记模板.xlsx",
    )
    template.add_argument("file", metavar="FILE", help="要写出的.xlsx文件")
    imp = _command(
        people_sub,
        "import",
        "从Excel导入居民；有任何一行不合格则整表不导入",
        "wudu people import 东山村.xlsx --dry-run\nwudu people import 东山村.xlsx --only-valid",
    )
    imp.add_argument("file", metavar="FILE", help="填好的.xlsx文件（旧版.xls请先另存为.xlsx）")
    imp.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    imp.add_argument("--only-valid", action="store_true", help="只导入合格的行，不合格的行另存为错误表")
    imp.add_argument("--json", action="store_true", help="以JSON列出不合格的行（行号和原因）")
    exp = _command(
        people_sub,
        "export",
        "把在册居民导出为Excel（含完整身份证号码，导出会记入审计日志）",
        "wudu people export 东山村.xlsx --village 东山村",
    )
    exp.add_argument("file", metavar="FILE", help="要写出的.xlsx文件")
    exp.add_argument("--village", default="", help="只导出这个村（社区）")
    exp.add_argument("--residence-type", default="", help="只导出这种居住类型（常住/暂住/流动/外出务工）")

    backup = _command(
        sub, "backup", "立即备份（数据库、密钥文件和审计链头一起备份，并校验）", "wudu backup --to E:\\备份"
    )
    backup.add_argument(
        "--to", metavar="DIR", help="备份到这个文件夹，例如U盘（默认：数据文件夹中的 backups）"
    )
    restore = _command(
        sub,
        "restore",
        "用备份替换当前数据库（仅管理员；替换前先备份当前状态；审计日志不完整的备份会被拒绝）",
        "wudu restore backups/wudu-20261129-180000.sqlite3",
    )
    restore.add_argument(
        "file", metavar="FILE", help="备份文件 wudu-….sqlite3（同名的 .keys 和 .audit-head 要在旁边）"
    )

    _command(
        sub,
        "recover",
        "用密钥恢复单上的恢复密钥为现有管理员重设密码",
        "WUDU_USER=admin wudu recover",
        logs_in=False,
        more=(
            "恢复密钥取自 WUDU_RECOVERY_KEY，新密码取自 WUDU_NEW_PASSWORD，没有时在终端询问；管理员用户名取自"
            " WUDU_USER（默认 admin）。只在没有任何管理员时才新建管理员；每次尝试都记入审计日志。"
        ),
    )
    return parser


class CredentialsMissing(DomainError):
    """No password in WUDU_PASSWORD and no terminal to ask at."""

    def __init__(self, variable: str) -> None:
        super().__init__(variable)
        self.variable = variable


def _ask(variable: str, prompt: str, *, twice: bool = False) -> str:
    value = os.environ.get(variable)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise CredentialsMissing(variable)
    value = getpass.getpass(prompt)
    if twice and getpass.getpass("再输入一次：") != value:
        print("两次输入的密码不一致", file=sys.stderr)
        raise CredentialsMissing(variable)
    return value


def _user() -> str:
    return os.environ.get("WUDU_USER", "admin")


def _log_in(data_dir: Path):
    from desktop import paths
    from desktop.services import accounts

    user = _user()
    return accounts.log_in(paths.database_path(data_dir), user, _ask("WUDU_PASSWORD", f"{user} 的密码："))


def _install_or_log_in(data_dir: Path, args, *, generate: bool = False):
    """Log in; where there is no database yet, create it with its first administrator and recovery sheet."""
    from desktop import paths
    from desktop.pdf.recovery_sheet import build_recovery_sheet
    from desktop.services import accounts
    from desktop.services.files import check_writable_target, write_atomically

    path = paths.database_path(data_dir)
    if accounts.is_installed(path):
        return _log_in(data_dir)
    if args.recovery_sheet:
        check_writable_target(Path(args.recovery_sheet))  # before a key exists that could not be written down
    user = _user()
    if generate and "WUDU_PASSWORD" not in os.environ:
        password = secrets.token_urlsafe(9)
        print(f"已为演示数据库创建管理员 {user}，密码：{password}")
    else:
        password = _ask("WUDU_PASSWORD", f"为新数据库设置管理员 {user} 的密码：", twice=True)
    installation = accounts.create_installation(path, user, password)

    def undo() -> None:  # nothing was there before: leave nothing half-made behind
        installation.db.close()
        for leftover in (path, path.with_suffix(".keys"), path.with_suffix(".audit-head")):
            leftover.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm", ".lock"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)

    sheet = args.recovery_sheet
    if sheet:
        township_name = (getattr(args, "county", "") or "") + (getattr(args, "township", "") or "")
        pdf = build_recovery_sheet(installation.recovery_key, township_name, str(path))
        try:
            write_atomically(Path(sheet), lambda tmp: tmp.write_bytes(pdf), data_dir)
        except Exception:
            undo()
            raise
        print(f"密钥恢复单已写入：{sheet}（请立即打印、封存，然后删除这个文件）")
    elif generate:
        print(f"恢复密钥（演示数据库）：{installation.recovery_key}")
    else:
        undo()
        raise CredentialsMissing("--recovery-sheet")
    return installation.db


def cmd_init(args, data_dir: Path) -> int:
    from desktop.errors import Problem
    from desktop.models.units import TownshipDraft
    from desktop.services import township

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
    from desktop.models import units as rules

    problems = rules.problems(rules.normalise(draft))
    if problems:  # refuse before anything, even the database, is created
        print("未设置，输入有误：\n" + messages.describe(ValidationFailed(problems)), file=sys.stderr)
        return EXIT_REFUSED
    database = _install_or_log_in(data_dir, args)
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

    database = _install_or_log_in(data_dir, args, generate=True)
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


def cmd_test_page(args, data_dir: Path) -> int:
    """No log-in: the page carries no personal data, only the fonts this PC will print with."""
    from desktop.pdf.test_page import build_test_page
    from desktop.services.files import write_atomically

    target = Path(args.file)
    page = build_test_page(None, __version__)
    write_atomically(target, lambda tmp: tmp.write_bytes(page), data_dir)
    print(f"已生成打印测试页：{target}")
    return EXIT_OK


def cmd_check(args, data_dir: Path) -> int:
    from desktop import paths
    from desktop.services import accounts
    from desktop.services.check import check_database

    path = paths.database_path(data_dir)
    if not accounts.is_installed(path) and not path.exists():
        print(f"数据库：{path}")
        print("尚未创建（首次启动程序时创建）。")
        return EXIT_OK
    database = _log_in(data_dir)
    try:
        report = check_database(database.path, database.key)
    finally:
        database.close()
    print(f"数据库：{report.path}")
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
        "user_account": "账户",
        "audit_entry": "审计记录",
    }
    if report.counts:
        print("记录数：" + "，".join(f"{labels[k]} {v}" for k, v in report.counts.items()))
    return EXIT_OK if report.ok else EXIT_REFUSED


def cmd_audit(args, data_dir: Path) -> int:
    from desktop.services import audit_log

    database = _log_in(data_dir)
    try:
        if args.audit_command == "reanchor":
            found = audit_log.reanchor(database, args.reason)
            if found.ok:
                print(messages.describe_audit(found) + " 无需重新确立链头。")
                return EXIT_OK
            print(f"已记录：{messages.describe_audit(found)}")
            print("链头已从这条记录重新确立；原因已写入审计日志。")
            return EXIT_OK
        verdict = audit_log.verify_chain(database)
    finally:
        database.close()
    if verdict.ok:
        print(messages.describe_audit(verdict))
        return EXIT_OK
    print(messages.describe_audit(verdict), file=sys.stderr)
    return EXIT_REFUSED


def cmd_people(args, data_dir: Path) -> int:
    import json

    from desktop.services import people_excel

    database = _log_in(data_dir)
    try:
        if args.people_command == "template":
            people_excel.write_template(database, Path(args.file))
            print(f"已生成模板：{args.file}")
            return EXIT_OK
        if args.people_command == "export":
            count = people_excel.export(
                database, Path(args.file), village=args.village, residence_type=args.residence_type
            )
            print(f"已导出{count}人：{args.file}（含完整身份证号码，请妥善保管）")
            return EXIT_OK
        plan = people_excel.preview(database, Path(args.file))
        refused = [
            {
                "row": r.row,
                "name": messages.short(r.name),
                "reasons": [people_excel.describe(p) for p in r.problems],
            }
            for r in plan.refused
        ]
        if args.json:
            print(
                json.dumps(
                    {"new": plan.new, "unchanged": plan.unchanged, "refused": refused},
                    ensure_ascii=False,
                    indent=1,
                )
            )
        else:
            print(
                f"共{len(plan.rows)}行：可导入{plan.new}行，与登记相同{plan.unchanged}行，不合格{len(refused)}行。"
            )
            for r in refused:
                print(
                    f"  第{r['row']}行 {messages.short(r['name'])}：{'；'.join(r['reasons'])}",
                    file=sys.stderr,
                )
        if args.dry_run:
            return EXIT_REFUSED if refused else EXIT_OK
        if refused and not args.only_valid:
            print(
                "有不合格的行，未导入任何数据。改正后重新导入，或用 --only-valid 只导入合格的行。",
                file=sys.stderr,
            )
            return EXIT_REFUSED
        result = people_excel.import_file(database, Path(args.file), only_valid=args.only_valid)
        if not args.json:
            print(f"已导入{result.added}人，{result.unchanged}人与登记相同未改动。")
            if result.error_workbook:
                print(f"不合格的{result.refused}行已另存为：{result.error_workbook}")
        return EXIT_OK
    finally:
        database.close()


def cmd_backup(args, data_dir: Path) -> int:
    from desktop.services import backups

    database = _log_in(data_dir)
    try:
        target = backups.make_backup(database, Path(args.to) if args.to else None)
    finally:
        database.close()
    print(f"已备份并校验：{target}（连同 {target.with_suffix('.keys').name}）")
    return EXIT_OK


def cmd_restore(args, data_dir: Path) -> int:
    from desktop.services import backups

    database = _log_in(data_dir)
    try:
        safety = backups.restore(database, Path(args.file))
    finally:
        database.close()
    print(f"已从 {args.file} 恢复。恢复前的数据库已备份为 {safety}")
    return EXIT_OK


def cmd_recover(args, data_dir: Path) -> int:
    from desktop import paths
    from desktop.services import accounts

    key = _ask("WUDU_RECOVERY_KEY", "恢复密钥（密钥恢复单上的40个字符）：")
    user = _user()
    password = _ask("WUDU_NEW_PASSWORD", f"为管理员 {user} 设置新密码：", twice=True)
    database = accounts.recover(paths.database_path(data_dir), key, user, password)
    database.close()
    print(f"已为管理员 {user} 重设密码，请用新密码登录。")
    return EXIT_OK


def _log_unexpected(data_dir: Path | None, error: BaseException) -> Path | None:
    """The details of an unexpected failure go to the log file, never to the terminal."""
    import logging
    import traceback

    if data_dir is None:
        return None
    try:
        log_dir = data_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        target = log_dir / "wudu.log"
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(f"{dt.datetime.now().isoformat(timespec='seconds')} ERROR cli unexpected error\n")
            fh.write("".join(traceback.format_exception(error)))
        return target
    except OSError:
        logging.getLogger("desktop.cli").debug("could not write the log", exc_info=True)
        return None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from desktop import paths, tempfiles

    data_dir = None
    try:
        data_dir = paths.data_dir(args.data_dir)
        tempfiles.start(data_dir)
        command = args.command or "gui"
        if command == "gui":
            from desktop.views.app import run

            return run(data_dir)
        handler = {
            "init": cmd_init,
            "demo": cmd_demo,
            "check": cmd_check,
            "test-page": cmd_test_page,
            "audit": cmd_audit,
            "backup": cmd_backup,
            "people": cmd_people,
            "restore": cmd_restore,
            "recover": cmd_recover,
        }[command]
        return handler(args, data_dir)
    except CredentialsMissing as exc:
        hint = {
            "WUDU_PASSWORD": "请在环境变量 WUDU_PASSWORD 中给出密码（用户名在 WUDU_USER 中，默认 admin）",
            "--recovery-sheet": "新建数据库时必须用 --recovery-sheet 指定密钥恢复单PDF的保存位置，未做任何改动",
        }
        print(hint.get(exc.variable, f"请在环境变量 {exc.variable} 中给出"), file=sys.stderr)
        return EXIT_REFUSED
    except DomainError as exc:
        print(messages.describe(exc), file=sys.stderr)
        return EXIT_REFUSED
    except OSError as exc:
        from desktop.errors import file_error

        where = Path(exc.filename) if getattr(exc, "filename", None) else (data_dir or Path.cwd())
        print(messages.describe(file_error(where, exc, writing=True)), file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("\n已中断。已保存的数据没有丢失，未完成的操作没有写入。", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:  # never a traceback on the terminal: the details go to the log
        logged = _log_unexpected(data_dir, exc)
        where = f"详细信息已记入 {logged}。" if logged else ""
        print(
            f"发生了意外错误（{type(exc).__name__}），操作没有完成，已保存的数据没有丢失。{where}"
            "请把这段话告诉技术支持人员。",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    finally:
        tempfiles.stop()
