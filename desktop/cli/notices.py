"""`wudu notices due|issue` and `wudu print notices`: the 尿检通知 work from the command line, with the same
services and refusals as the tab."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_REFUSED = 0, 1


def _until(args) -> dt.date:
    from desktop.services.urine_rules import month_end

    return args.until or month_end(dt.date.today())


def cmd_notices(args, data_dir: Path, log_in) -> int:
    from desktop.services import urine, urine_register

    database = log_in(data_dir)
    try:
        until = _until(args)
        due = urine_register.due(database, until=until)
        if args.notices_command == "due":
            if args.json:
                print(json.dumps([{"case_id": d.case_id, "name": d.name, "id_number": d.id_masked,
                                   "village": d.village, "due_on": d.due_on.isoformat(),
                                   "window_to": d.window_to.isoformat(), "overdue": d.overdue} for d in due],
                                 ensure_ascii=False, indent=1))  # fmt: skip
                return EXIT_OK
            for d in due:
                print(f"{d.due_on} 至 {d.window_to}  {d.village} {d.name} {d.id_masked}")
            late = [d for d in urine_register.missed(database) if not d.missed_action]
            print(f"截至{until}：待开具{len(due)}次。")
            if late:
                print(
                    f"另有{len(late)}次尿检检测期已过而没有开具通知书，不再开具：请在“尿检通知 → 逾期未检”中登记。"
                )
            return EXIT_OK
        if not due:
            print(f"截至{until}没有待开具的尿检。")
            return EXIT_OK
        ids = urine.issue_many(database, [(d.case_id, d.due_on) for d in due])
        rows = {r.notice_id: r for r in urine_register.notice_rows(database)}
        print(f"已开具{len(ids)}份通知书：{rows[ids[0]].number} 至 {rows[ids[-1]].number}。")
        print(f"打印：wudu print notices --due-until {until} 文件.pdf")
        return EXIT_OK
    finally:
        database.close()


def cmd_print(args, data_dir: Path, log_in) -> int:
    from desktop.models.enums import NoticeState
    from desktop.services import files, urine_print, urine_register

    files.check_writable_target(Path(args.file))
    database = log_in(data_dir)
    try:
        rows = [
            r
            for r in urine_register.notice_rows(database, include_closed=False)
            if r.state == NoticeState.ISSUED.value and r.window_from <= args.due_until
        ]
        if not rows:
            print(f"没有要打印的通知书：截至{args.due_until}应检、已开具而未送达的通知书一份也没有。"
                  "先用 wudu notices issue 开具。", file=sys.stderr)  # fmt: skip
            return EXIT_REFUSED
        data = urine_print.notices_pdf(database, [r.notice_id for r in rows])
        files.write_atomically(Path(args.file), lambda tmp: tmp.write_bytes(data), database.path.parent)
        print(f"已打印{len(rows)}份通知书：{args.file}")
        return EXIT_OK
    finally:
        database.close()
