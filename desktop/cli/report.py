"""`wudu report --year Y [--period Q3] [--json] [--pdf FILE]`: the 考核 figures from the command line — the same
`assessment.assess` the 考核 tab and the year-end report read."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

EXIT_OK = 0


def add_parsers(sub, command) -> None:
    report = command(
        sub,
        "report",
        "考核：本乡镇一年（季度、月）的各项考核指标、目标和完成情况，可写出年度工作总结统计表PDF",
        "wudu report --year 2026\nwudu report --year 2026 --period Q3 --json\nwudu report --year 2026 --pdf 年度总结.pdf",
        more="期间：不写为全年；Q1–Q4 为季度；1–12 为月份。未结束的期间按今天计算。",
    )
    report.add_argument("--year", type=int, default=None, help="年度（默认：今年）")
    report.add_argument("--period", default="", metavar="期间", help="Q1–Q4 或 1–12（默认：全年）")
    report.add_argument("--json", action="store_true", help="以JSON列出每项指标的分子、分母、目标和完成情况")
    report.add_argument("--pdf", metavar="FILE", help="同时写出年度工作总结统计表和自查评分表（PDF）")


def cmd_report(args, data_dir: Path, log_in) -> int:
    from desktop.services import assessment, assessment_report, files

    year = args.year or dt.date.today().year
    period = assessment.parse_period(year, args.period)  # a wrong period is refused before logging in
    if args.pdf:
        files.check_writable_target(Path(args.pdf))
    database = log_in(data_dir)
    try:
        a = assessment.assess(database, period)
        if args.json:
            print(json.dumps(assessment_report.as_json(a), ensure_ascii=False, indent=1))
        else:
            print(f"{a.period.label}考核指标（截至{a.day.isoformat()}，基准年{a.plan.baseline_year}年）")
            for f in a.figures:
                fraction = f"（{f.fraction}）" if f.rate is not None else ""
                lost = f"，预计扣{f.points:g}分" if f.points else ""
                print(f"{f.name}：{f.value_text}{fraction}　目标{f.target_text or '—'}　{f.verdict}{lost}")
            failed = sum(1 for f in a.figures if f.passed is False)
            print(f"未达标{failed}项，预计得分{a.score:g}（按默认评分规则）。")
        if args.pdf:
            data = assessment_report.year_report(database, year, args.period)
            target = Path(args.pdf)
            files.write_atomically(target, lambda tmp: tmp.write_bytes(data), database.path.parent)
            print(f"已写出：{target}")
        return EXIT_OK
    finally:
        database.close()
