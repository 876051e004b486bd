"""`wudu keys …`, `wudu export`, `wudu receipt import`, `wudu county import|status|review`: the county exchange from
the command line, with the same services and refusals as the menus."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_REFUSED = 0, 1


def _bundle_number(text: str) -> int:
    """The county's last bundle number, as its refusal names it: 0 or more."""
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"编号应是0或正整数（县里提示的“第N号”中的N），而不是“{text[:20]}”")
    return int(text)


def add_parsers(sub, command) -> None:
    keys = command(
        sub,
        "keys",
        "与县禁毒办交换数据的密钥：生成、导出公钥、登记乡镇、查看指纹",
        "wudu keys township-init --county-key 新邵县禁毒办.wudu-key\nwudu keys export-public 严塘镇.wudu-key",
        more="密钥只生成一次。两边都要把屏幕上的指纹在电话里念给对方核对，一致后再使用对方的公钥文件。",
    )
    keys_sub = keys.add_subparsers(dest="keys_command", metavar="操作", required=True)
    command(
        keys_sub,
        "county-init",
        "县禁毒办：生成本县的密钥（解密各乡镇数据包、给回执签名）",
        "wudu keys county-init",
    )
    township_init = command(
        keys_sub,
        "township-init",
        "乡镇：生成本乡镇的签名密钥，并保存县禁毒办的公钥（再次运行可更换县的公钥）",
        "wudu keys township-init --county-key 新邵县禁毒办.wudu-key",
    )
    township_init.add_argument("--county-key", required=True, metavar="FILE", help="县禁毒办给的公钥文件")
    export_public = command(
        keys_sub,
        "export-public",
        "把本机的公钥写成文件，交给对方（不含任何私钥）",
        "wudu keys export-public 严塘镇.wudu-key",
    )
    export_public.add_argument("file", metavar="FILE", help="要写出的公钥文件")
    register = command(
        keys_sub,
        "register-township",
        "县禁毒办：登记一个乡镇的公钥",
        "wudu keys register-township 严塘镇.wudu-key",
    )
    register.add_argument("file", metavar="FILE", help="乡镇给的公钥文件")
    command(keys_sub, "show", "显示本机的角色和密钥指纹（县：已登记的乡镇）", "wudu keys show")

    export = command(
        sub,
        "export",
        "乡镇：把上次县里确认收到之后新增和修改的记录写成一个加密、签名的数据包（报县）",
        "wudu export --to E:\\",
        more="数据包只有县禁毒办能解开；本机也读不回来。县里导入后会在U盘上写回执，用 wudu receipt import 导入。",
    )
    export.add_argument("--to", required=True, metavar="DIR", help="写到这个文件夹，例如U盘")
    export.add_argument("--full", action="store_true", help="不管县里收到过什么，导出全部记录")
    export.add_argument(
        "--after",
        type=_bundle_number,
        default=0,
        metavar="N",
        help="编号接在县里已收到的第N号之后（本机从备份恢复过、县里说“已导入到第N号”时，与 --full 一起用）",
    )

    receipt = command(
        sub, "receipt", "乡镇：导入县禁毒办的回执", "wudu receipt import E:\\严塘镇-县回执-0003.wudu-receipt"
    )
    receipt_sub = receipt.add_subparsers(dest="receipt_command", metavar="操作", required=True)
    receipt_import = command(
        receipt_sub,
        "import",
        "导入回执：此后导出只带回执之后的变动",
        "wudu receipt import 严塘镇-县回执-0003.wudu-receipt",
    )
    receipt_import.add_argument("file", metavar="FILE", help="回执文件 ….wudu-receipt")

    county = command(
        sub, "county", "县禁毒办：导入各乡镇的数据包，查看报送情况", "wudu county import E:\\*.wudu-bundle"
    )
    county_sub = county.add_subparsers(dest="county_command", metavar="操作", required=True)
    county_import = command(
        county_sub,
        "import",
        "导入一个或多个乡镇数据包（先全部校验，再一次写入；回执写在数据包旁边）",
        "wudu county import E:\\严塘镇-报县数据-0003.wudu-bundle",
    )
    county_import.add_argument("files", nargs="+", metavar="BUNDLE", help="数据包文件 ….wudu-bundle")
    county_status = command(
        county_sub, "status", "各乡镇最近一次报送的时间、内容和审计链情况", "wudu county status --json"
    )
    county_status.add_argument("--json", action="store_true", help="以JSON列出")
    county_review = command(
        county_sub,
        "review",
        "记录县里对某乡镇审计日志接不上的核查结果（保留，不能修改；警示仍然显示）",
        'wudu county review 严塘镇 --finding "电话核实：送修后恢复过备份"',
    )
    county_review.add_argument("township", metavar="乡镇", help="已登记的乡镇名称")
    county_review.add_argument("--finding", required=True, metavar="结果", help="核查经过和结论")


def _keys(args, database) -> int:
    from desktop.exchange import keys

    match args.keys_command:
        case "county-init":
            made = keys.county_init(database)
            print(f"已生成县禁毒办的密钥。指纹：{made.fingerprint}")
            print("下一步：wudu keys export-public 文件名.wudu-key，把公钥文件交给各乡镇，并电话核对指纹。")
        case "township-init":
            made, replaced = keys.township_init(database, Path(args.county_key))
            print(
                ("已更换县禁毒办的公钥。" if replaced else "已生成本乡镇的签名密钥。")
                + f"本乡镇指纹：{made.fingerprint}"
            )
            print(f"县禁毒办公钥的指纹：{made.county_fingerprint}（请与县禁毒办电话核对）")
        case "export-public":
            key = keys.export_public(database, Path(args.file))
            print(f"已写出公钥：{args.file}，指纹：{key.fingerprint}")
        case "register-township":
            town = keys.register_township(database, Path(args.file))
            print(
                f"已登记：{town.county_name}{town.township_name}，指纹：{town.fingerprint}（请与乡镇电话核对）"
            )
        case _:
            found = keys.identity(database)
            if found is None:
                print("本机还没有交换密钥。县禁毒办：wudu keys county-init；乡镇：wudu keys township-init。")
                return EXIT_OK
            if found.role == "county":
                print(f"角色：县禁毒办（{found.county_name}），指纹：{found.fingerprint}")
                for town in keys.registered(database):
                    print(f"  已登记乡镇：{town.township_name}，指纹：{town.fingerprint}")
            else:
                print(f"角色：乡镇（{found.county_name}{found.township_name}），指纹：{found.fingerprint}")
                print(f"县禁毒办公钥指纹：{found.county_fingerprint}")
    return EXIT_OK


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{done}/{total} …", end="", file=sys.stderr, flush=True)
        if done == total:
            print(file=sys.stderr)


def _county(args, database) -> int:
    from desktop import messages
    from desktop.exchange import county, county_status

    if args.county_command == "review":
        from desktop.errors import ExchangeRefused
        from desktop.exchange.keys import is_county, registered

        if not is_county(database):
            raise ExchangeRefused("not_county")
        town = next((t for t in registered(database) if t.township_name == args.township.strip()), None)
        if town is None:
            raise ExchangeRefused("no_such_township", name=args.township)
        county_status.review_flag(database, town.id, args.finding)
        (found,) = [s for s in county_status.status(database) if s.id == town.id]
        print(messages.describe_report(found))
        return EXIT_OK
    if args.county_command == "status":
        found = county_status.status(database)
        if args.json:
            print(json.dumps([s.__dict__ for s in found], ensure_ascii=False, indent=1))
            return EXIT_OK
        for s in found:
            print(messages.describe_report(s))
        if not found:
            print("还没有登记任何乡镇：wudu keys register-township 乡镇公钥文件")
        return EXIT_OK
    results = county.import_many(database, [Path(f) for f in args.files], progress=_progress)
    refused = 0
    for r in results:
        if isinstance(r, county.Imported):
            print(messages.describe_import(r))
        else:
            refused += 1
            print(messages.describe(r), file=sys.stderr)
    print(f"共{len(results)}个数据包：导入{len(results) - refused}个，拒绝{refused}个。")
    return EXIT_REFUSED if refused else EXIT_OK


def cmd_exchange(args, data_dir: Path, log_in) -> int:
    from desktop import messages
    from desktop.exchange import export

    if args.command == "export":
        target = Path(args.to)
        if not target.is_dir():
            from desktop.errors import FileProblem

            raise FileProblem(target, "not_a_folder" if target.exists() else "no_folder")
    database = log_in(data_dir)
    try:
        match args.command:
            case "keys":
                return _keys(args, database)
            case "export":
                done = export.export(
                    database, Path(args.to), full=args.full, after=args.after, progress=_progress
                )
                print(messages.describe_export(done))
                return EXIT_OK
            case "receipt":
                taken = export.import_receipt(database, Path(args.file))
                print(messages.describe_receipt(taken))
                return EXIT_OK
            case _:
                return _county(args, database)
    finally:
        database.close()
