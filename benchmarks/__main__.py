"""Run every benchmark and print one table: figure, median time, ratio to its same-run baseline, peak memory."""

from __future__ import annotations

import argparse
import platform

from benchmarks import agreements, assessment, excel_import, exchange, notices, register, startup


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--only",
        choices=("startup", "import", "register", "notices", "agreements", "exchange", "assessment"),
        help="run one group of figures",
    )
    args = parser.parse_args()
    rows = []
    if args.only in (None, "startup"):
        rows += startup.run(args.repeats)
    if args.only in (None, "import"):
        rows += excel_import.run()
    if args.only in (None, "register"):
        rows += register.run(args.repeats)
    if args.only in (None, "notices"):
        rows += notices.run()
    if args.only in (None, "agreements"):
        rows += agreements.run()
    if args.only in (None, "exchange"):
        rows += exchange.run()
    if args.only in (None, "assessment"):
        rows += assessment.run()
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"repeats: {args.repeats} (median)"
    )
    header = ("figure", "value", "ratio", "goal", "peak memory", "met")
    table = [header] + [
        (
            r["figure"],
            r["value"],
            r["ratio"],
            r["goal"],
            r["peak"],
            {True: "yes", False: "NO"}.get(r.get("ok"), ""),
        )
        for r in rows
    ]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for i, row in enumerate(table):
        print("  ".join(str(cell).ljust(widths[j]) for j, cell in enumerate(row)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
