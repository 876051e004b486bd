"""`wudu agreements generate|coverage` and `wudu print agreements`: the 责任书 work from the command line, with the
same services and refusals as the tab."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_REFUSED = 0, 1


def _village_id(database, name: str | None) -> int | None:
    from desktop.services.residents import village_named

    return village_named(database, name) if name else None


def cmd_agreements(args, data_dir: Path, log_in) -> int:
    from desktop.services import agreement_register, agreements

    database = log_in(data_dir)
    try:
        year = args.year or dt.date.today().year
        if args.agreements_command == "generate":
            kinds = [args.type] if args.type else list(agreements.PARTY_KIND)
            village = _village_id(database, args.village)
            for kind in kinds:
                done = agreements.generate(database, year, kind, village_id=village)
                print(f"{kind}：新生成{done.made}份，已有{done.skipped}份未重复生成。")
            return EXIT_OK
        lines = agreement_register.coverage(database, year)
        if args.json:
            print(json.dumps([{"type": c.type, "village": c.village, "group": c.group, "signed": c.rate.numerator,
                               "required": c.rate.denominator, "missing": list(c.missing)} for c in lines],
                             ensure_ascii=False, indent=1))  # fmt: skip
            return EXIT_OK
        for c in lines:
            if not c.village:
                print(f"{c.type}：{c.rate.numerator}/{c.rate.denominator}（{c.rate.text()}）")
            elif c.missing and not c.group:
                print(f"  {c.village}：未签订{len(c.missing)}份")
        return EXIT_OK
    finally:
        database.close()


def cmd_print_agreements(args, data_dir: Path, log_in) -> int:
    from desktop.services import agreement_print, files

    files.check_writable_target(Path(args.file))
    database = log_in(data_dir)
    try:
        ids = agreement_print.batch(
            database, args.year, village_id=_village_id(database, args.village), kind=args.type
        )
        if not ids:
            print(f"没有要打印的责任书：{args.year}年{args.village or ''}还没有生成。先用 wudu agreements generate 生成。",
                  file=sys.stderr)  # fmt: skip
            return EXIT_REFUSED
        data = agreement_print.print_agreements(database, ids)
        files.write_atomically(Path(args.file), lambda tmp: tmp.write_bytes(data), database.path.parent)
        print(f"已打印{len(ids)}份责任书：{args.file}")
        return EXIT_OK
    finally:
        database.close()
