"""The `township` demo's agreements for its year: a few key places (KTV, internet café, beauty salon…) and the
units of each village's area (a school, a clinic, a brickworks…) in the register, every type generated, all villages and groups signed and filed, most households signed with some still
unsigned in two villages, a few places missing, and one agreement voided and made again. Its own random draws,
so the demo's people and files stay as the seed made them."""

from __future__ import annotations

import datetime as dt
import json
import random

from sqlalchemy import insert, text

from desktop.models import Agreement, JurisdictionUnit, KeyPlace
from desktop.models.agreement_texts import TARGETS
from desktop.services import agreements

DEMO = "演示数据（合成，不对应任何真人）"
UNITS = (
    (("小学", "学校"), ("卫生室", "医疗机构")),
    (("砖厂", "企业"),),
    (("中学", "学校"), ("供销社", "企业")),
)
PLACES = (("星光KTV", "KTV"), ("金色年华娱乐城", "娱乐场所"), ("老街大排档", "餐饮场所"), ("丽人美发", "美容美发"),
          ("极速网吧", "网吧"), ("好运来宾馆", "其他"), ("欢乐迪KTV", "KTV"), ("云端网咖", "网吧"))  # fmt: skip


def build(s, rng: random.Random, as_of: dt.date) -> int:
    villages = [vid for (vid,) in s.execute(text("SELECT id FROM village ORDER BY sort_order, id"))]
    s.execute(
        insert(KeyPlace).execution_options(audit_summary=DEMO),
        [{"village_id": villages[i % len(villages)], "name": name, "kind": kind, "address": f"{i + 1}号",
          "owner": rng.choice(("王", "李", "张", "刘")) + rng.choice(("老板", "经理")), "phone": "", "active": True}
         for i, (name, kind) in enumerate(PLACES)],
    )  # fmt: skip
    names = dict(s.execute(text("SELECT id, name FROM village")).all())
    s.execute(
        insert(JurisdictionUnit).execution_options(audit_summary=DEMO),
        [{"village_id": vid, "name": f"{names[vid][:2]}{unit}", "kind": kind, "contact": "", "phone": "", "active": True}
         for i, vid in enumerate(villages) for unit, kind in UNITS[i % 3]],
    )  # fmt: skip
    year, seq, rows = as_of.year, 0, []
    unsigned_villages = set(villages[-2:])  # two villages still collecting household pledges
    start = dt.date(year, 1, 1)
    for kind in agreements.PARTY_KIND:
        template = agreements.current_template(s, kind)
        t = s.execute(text("SELECT county_name, township_name FROM township")).first()
        common = {"年度": str(year), "县": t[0], "乡镇": t[1], "份数": str(template.copies)} | TARGETS
        for p in agreements.parties(s, kind):
            seq += 1
            printed = start + dt.timedelta(days=rng.randint(20, 60))
            signed = printed + dt.timedelta(days=rng.randint(3, 30))
            row = {"year": year, "seq": seq, "type": kind, "template_id": template.id, "party_kind": p.kind,
                   "party_id": p.id, "village_id": p.village_id, "group_id": p.group_id, "first_party": p.first,
                   "second_party": p.second, "details": json.dumps(common | p.values, ensure_ascii=False),
                   "state": "已归档", "generated_on": start + dt.timedelta(days=15), "prints": 1,
                   "printed_on": printed, "signed_on": signed, "signed_by": p.second, "witness": "李主任",
                   "filed_on": signed + dt.timedelta(days=2), "filed_where": f"禁毒办档案柜{kind[:2]}盒",
                   "voided_on": None, "void_reason": ""}  # fmt: skip
            missing = (
                p.kind == "household" and p.village_id in unsigned_villages and rng.random() < 0.35
            ) or (p.kind == "place" and rng.random() < 0.4)
            if missing:  # printed and handed out, not back yet
                row.update(
                    state="已打印", signed_on=None, signed_by="", witness="", filed_on=None, filed_where=""
                )
            elif p.kind == "household" and rng.random() < 0.3:
                row.update(state="已签订", filed_on=None, filed_where="")  # signed, not yet in the cabinet
            rows.append(row)
    voided = next(r for r in rows if r["party_kind"] == "household" and r["state"] == "已归档")
    seq += 1
    rows.append(voided | {"seq": seq, "generated_on": voided["signed_on"]})  # made again after the voiding
    voided.update(state="作废", voided_on=voided["signed_on"], void_reason="户主姓名写错，重新生成",
                  signed_on=None, signed_by="", witness="", filed_on=None, filed_where="")  # fmt: skip
    s.execute(insert(Agreement).execution_options(audit_summary=DEMO), rows)
    return len(rows)
