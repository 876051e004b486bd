"""The command line's words: every command and option described in Chinese with an example, and argparse's
own words (用法, 选项, 输入有误) in Chinese too."""

from __future__ import annotations

import argparse
import datetime as dt

from desktop import __version__
from desktop.models.enums import AgreementType  # a vocabulary only: no database is loaded


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
    """A date as the clerk writes it (2026-11-29, 2026/11/29, 2026.11.29, 2026年11月29日)."""
    from desktop.services.people_excel import parse_date

    try:
        day = parse_date(text)
    except ValueError:
        day = None
    if day is None:
        raise argparse.ArgumentTypeError(f"日期应写成 2026-11-29 的形式，而不是“{text[:20]}”")
    return day


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
    init.add_argument("--township", help="乡镇（街道）名称（县禁毒办用 --county-mode 时不填）")
    init.add_argument(
        "--county-mode",
        action="store_true",
        help="本机是县禁毒办：不登记村组，导入各乡镇的数据包（同时生成县的交换密钥）",
    )
    init.add_argument(
        "--database-url",
        metavar="URL",
        default="",
        help="（县禁毒办）各乡镇的数据放在这台PostgreSQL服务器上，例如 postgresql://wudu:密码@192.168.1.10/wudu",
    )
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

    notices = _command(
        sub, "notices", "尿检通知：列出到期待开具的尿检，或一次开具", "wudu notices due --until 2026-12-31"
    )
    notices_sub = notices.add_subparsers(dest="notices_command", metavar="操作", required=True)
    due = _command(
        notices_sub,
        "due",
        "列出到某日为止应检、检测期未过、还没有开具通知书的尿检（检测期已过的不再开具，在窗口的“逾期未检”中登记）",
        "wudu notices due\nwudu notices due --until 2026-12-31 --json",
    )
    issue = _command(
        notices_sub,
        "issue",
        "为到某日为止应检的全部尿检开具通知书（编号按年连续）",
        "wudu notices issue --until 2026-12-31",
    )
    for each in (due, issue):
        each.add_argument("--until", type=_date_arg, metavar="DATE", help="截止日期（默认：本月底）")
    due.add_argument("--json", action="store_true", help="以JSON列出")
    kinds = "、".join(k.value for k in AgreementType)
    agreements = _command(
        sub, "agreements", "责任书：生成一年的责任书，查看签订率", "wudu agreements coverage"
    )
    agreements_sub = agreements.add_subparsers(dest="agreements_command", metavar="操作", required=True)
    generate = _command(
        agreements_sub,
        "generate",
        "为范围内的每个村、组、户和场所生成这一年的责任书；已有的不重复生成",
        "wudu agreements generate --year 2026 --type 家庭禁毒承诺书 --village 东山村",
    )
    generate.add_argument("--year", type=int, help="年度（默认：今年）")
    generate.add_argument(
        "--type",
        choices=[k.value for k in AgreementType],
        metavar="类别",
        help=f"类别：{kinds}（默认：全部）",
    )
    generate.add_argument("--village", help="只为这个村（社区）生成")
    coverage = _command(
        agreements_sub,
        "coverage",
        "各类责任书的签订率（已签订÷应签订）和未签订的村",
        "wudu agreements coverage --json",
    )
    coverage.add_argument("--year", type=int, help="年度（默认：今年）")
    coverage.add_argument("--json", action="store_true", help="以JSON列出，含未签订的名单")
    printing = _command(
        sub, "print", "打印：生成PDF", "wudu print notices --due-until 2026-12-31 尿检通知书.pdf"
    )
    printing_sub = printing.add_subparsers(dest="print_command", metavar="文书", required=True)
    print_notices = _command(
        printing_sub,
        "notices",
        "已开具、尚未送达的尿检通知书（每份一页，附回执和条码），按村和姓名排序",
        "wudu print notices --due-until 2026-12-31 尿检通知书.pdf",
    )
    print_notices.add_argument(
        "--due-until", type=_date_arg, required=True, metavar="DATE", help="检测期限开始不晚于这一天的"
    )
    print_notices.add_argument("file", metavar="FILE", help="要写出的PDF文件")
    print_agreements = _command(
        printing_sub,
        "agreements",
        "一年的责任书（草拟的打印后记为已打印），按村、组、户号排序，每份从新页开始",
        "wudu print agreements --year 2026 --village 东山村 东山村责任书.pdf",
    )
    print_agreements.add_argument("--year", type=int, required=True, help="年度")
    print_agreements.add_argument("--village", help="只打印这个村（社区）的")
    print_agreements.add_argument(
        "--type", choices=[k.value for k in AgreementType], metavar="类别", help=f"只打印这一类：{kinds}"
    )
    print_agreements.add_argument("file", metavar="FILE", help="要写出的PDF文件")

    from desktop.cli import exchange

    exchange.add_parsers(sub, _command)
    from desktop.cli import report

    report.add_parsers(sub, _command)

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
