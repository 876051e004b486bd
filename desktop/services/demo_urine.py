"""The `township` demo's year of urine-test notices: every scheduled test of the last twelve months issued,
most delivered and tested 阴性, some overdue, a few 阳性 / 拒检 / 未到, one person with three evasions (a serious
breach), a voided notice or two, and this month's notices still on their way. Its own random draws, so the
demo's people and files stay as the seed made them."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import insert

from desktop.models import UrineNotice
from desktop.services import urine, urine_rules

DEMO = "演示数据（合成，不对应任何真人）"
RESULTS = (("阴性", 92), ("阳性", 3), ("拒检", 2), ("未到", 3))


def build(s, rng: random.Random, as_of: dt.date) -> int:
    schedules = urine.case_schedules(s)
    where = urine.place(s)
    since = as_of - dt.timedelta(days=365)
    slots = sorted(
        (slot.due_on, case_id, slot)
        for case_id, plan in schedules.items()
        for slot in plan.slots(urine_rules.DEFAULT_RULES)
        if since <= slot.due_on <= as_of
    )
    rows, seq = [], {}
    for due_on, case_id, slot in slots:
        issued = max(due_on - dt.timedelta(days=rng.randint(3, 10)), schedules[case_id].start_on)
        issued = min(issued, as_of)
        seq[issued.year] = seq.get(issued.year, 0) + 1
        row = {"year": issued.year, "seq": seq[issued.year], "case_id": case_id, "due_on": due_on,
               "window_from": slot.window_from, "window_to": slot.window_to, "interval_months": slot.interval_months,
               "place": where, "state": "已开具", "issued_on": issued, "delivered_on": None, "delivered_how": "",
               "delivered_by": "", "tested_on": None, "tester": "", "test_unit": "", "result": "", "voided_on": None,
               "void_reason": "", "prints": 1}  # fmt: skip
        _life(rng, row, as_of)
        rows.append(row)
    _three_evasions(rows)
    if rows:
        s.execute(insert(UrineNotice).execution_options(audit_summary=DEMO), rows)
    return len(rows)


def _life(rng: random.Random, row: dict, as_of: dt.date) -> None:
    """What became of one notice by `as_of`."""
    current = row["window_to"] >= as_of
    recent = (as_of - row["window_to"]).days < 45
    roll = rng.random()
    if roll < 0.01 and not current:
        row.update(
            state="作废", voided_on=row["issued_on"] + dt.timedelta(days=2), void_reason="本人住院，另行安排"
        )
        return
    if current and roll > 0.6:
        return  # still to be delivered
    delivered = min(row["issued_on"] + dt.timedelta(days=rng.randint(0, 4)), as_of)
    row.update(state="已送达", delivered_on=delivered, delivered_how=rng.choice(("当面", "当面", "当面", "家属代收", "电话")),
               delivered_by=rng.choice(("李主任", "王警官", "张社工")))  # fmt: skip
    if (current and roll > 0.3) or (recent and not current and roll > 0.93):
        return  # the test is still to come, or it is overdue
    last = min(row["window_to"], as_of)
    span = max(0, (last - max(delivered, row["window_from"])).days)
    tested = max(delivered, row["window_from"]) + dt.timedelta(days=rng.randint(0, span))
    result = rng.choices([r for r, _ in RESULTS], weights=[w for _, w in RESULTS])[0]
    row.update(state="已检测", tested_on=tested, result=result, tester="" if result == "未到" else "赵警官",
               test_unit=row["place"])  # fmt: skip


def _three_evasions(rows: list[dict]) -> None:
    """The first case with six tested notices gets three refusals or no-shows: the serious breach to show."""
    by_case: dict[int, list[dict]] = {}
    for row in rows:
        if row["state"] == "已检测":
            by_case.setdefault(row["case_id"], []).append(row)
    for tested in by_case.values():
        if len(tested) >= 6:
            for row, result in zip(tested[-5:-2], ("未到", "拒检", "未到"), strict=True):
                row.update(result=result, tester="" if result == "未到" else "赵警官")
            return
