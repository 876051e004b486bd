"""The command line, `wudu` and `python -m desktop`: the window by default, and headless subcommands for
administrators, scripts and the county's batch work.

Exit codes: 0 done; 1 refused input (the reasons are printed, nothing is written); 2 usage error.

Every command that reads or writes personal data logs in: the user from WUDU_USER (default `admin`), the
password from WUDU_PASSWORD, or asked for at the terminal. `init` and `demo` create the first administrator
the same way when there is no database yet (`demo` generates and prints a password if none is given).
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import secrets
import sys
from pathlib import Path

from desktop import __version__, messages
from desktop.cli import agreements, exchange, notices, report
from desktop.cli.parser import build_parser
from desktop.errors import CredentialsMissing, DomainError, ValidationFailed

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


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


def cmd_init_county(args, data_dir: Path) -> int:
    from desktop.exchange import keys

    if args.database_url and not args.database_url.startswith(("postgresql://", "postgres://")):
        print(
            f"--database-url 应写成 postgresql://用户名:密码@服务器/数据库名，而不是“{args.database_url[:40]}”",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.township is not None or args.village or args.group:
        print(
            "县禁毒办（--county-mode）不登记乡镇和村组：请去掉 --township、--village、--group",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.database_url:  # before anything is created: an unreachable server leaves nothing behind
        from desktop.exchange.server_mirrors import ServerMirrors

        ServerMirrors(args.database_url).check()
    database = _install_or_log_in(data_dir, args)
    try:
        made = keys.set_up_county(database, args.county, args.code, records_url=args.database_url)
    finally:
        database.close()
    print(
        f"已设置为{made.county_name}{made.township_name}（县级汇总），并生成了县的交换密钥。指纹：{made.fingerprint}"
    )
    print("下一步：wudu keys export-public 文件名.wudu-key，把公钥文件交给各乡镇。")
    print(f"数据库：{database.path}")
    return EXIT_OK


def cmd_init(args, data_dir: Path) -> int:
    from desktop.errors import Problem
    from desktop.models.units import TownshipDraft
    from desktop.services import township

    if args.county_mode:
        return cmd_init_county(args, data_dir)
    if args.township is None:  # an empty one given is refused below with the other problems
        print("缺少必需的参数：--township（县禁毒办请用 --county-mode）", file=sys.stderr)
        return EXIT_USAGE
    if args.database_url:
        print("--database-url 只用于县禁毒办（--county-mode）：乡镇的数据总在本机", file=sys.stderr)
        return EXIT_USAGE

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

    from desktop.services import people_excel, people_template

    database = _log_in(data_dir)
    try:
        if args.people_command == "template":
            people_template.write_template(database, Path(args.file))
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


def _log_unexpected(data_dir: Path | None, error: BaseException, code: str) -> Path | None:
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
            fh.write(f"{dt.datetime.now().isoformat(timespec='seconds')} ERROR cli unexpected error {code}\n")
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
            "notices": lambda a, d: notices.cmd_notices(a, d, _log_in),
            "agreements": lambda a, d: agreements.cmd_agreements(a, d, _log_in),
            "print": lambda a, d: (
                agreements.cmd_print_agreements(a, d, _log_in)
                if a.print_command == "agreements"
                else notices.cmd_print(a, d, _log_in)
            ),
            "keys": lambda a, d: exchange.cmd_exchange(a, d, _log_in),
            "export": lambda a, d: exchange.cmd_exchange(a, d, _log_in),
            "receipt": lambda a, d: exchange.cmd_exchange(a, d, _log_in),
            "county": lambda a, d: exchange.cmd_exchange(a, d, _log_in),
            "report": lambda a, d: report.cmd_report(a, d, _log_in),
            "restore": cmd_restore,
            "recover": cmd_recover,
        }[command]
        return handler(args, data_dir)
    except DomainError as exc:
        print(messages.describe(exc), file=sys.stderr)
        return EXIT_REFUSED
    except BrokenPipeError:
        # the reader of our output went away (`wudu report | head`): not a disk that cannot be written
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        from desktop.errors import file_error

        where = Path(exc.filename) if getattr(exc, "filename", None) else (data_dir or Path.cwd())
        print(messages.describe(file_error(where, exc, writing=True)), file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("\n已中断。已保存的数据没有丢失，未完成的操作没有写入。", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:  # never a traceback on the terminal: the details go to the log
        code = messages.incident_code()
        logged = _log_unexpected(data_dir, exc, code)
        where = f"详细信息已记入 {logged}。" if logged else ""
        print(
            f"{messages.UNEXPECTED}{where}请把错误编号 {code} 告诉技术支持人员。",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    finally:
        tempfiles.stop()
