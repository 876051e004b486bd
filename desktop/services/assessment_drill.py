"""The records behind each 考核 figure (the tab's drill-down): every record the figure counted, in its
denominator, each marked counted in the numerator or not, with the reason. Built from the same functions the
figures are computed with (assessment.py), so the list and the number cannot disagree (tests hold them equal)."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.db import Database
from desktop.models.idnumber import mask
from desktop.services import assessment_people
from desktop.services.assessment import KEY_GROUPS, Assessment, Figure
from desktop.services.auth import Permission, require


@dataclass(frozen=True)
class Drill:
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
    counted: list[bool]  # each row in the numerator (a count's rows are all counted)
    yes: str = "计入"  # the words of the marker column, for counted and not
    no: str = "未计入"

    @property
    def numerator(self) -> int:
        return sum(self.counted)


def _person(f: assessment_people.KeyPerson) -> tuple[str, str, str]:
    return f.name, mask(f.id_number), f.village


PERSON = ("姓名", "身份证号码", "村（社区）")


def drill(db: Database, a: Assessment, key: str) -> Drill:
    """The records behind figure `key` of assessment `a`."""
    require(db, Permission.READ)
    f = a.figure(key)
    period, day = a.period, a.day
    books = assessment_people.load(db)
    title = f"{f.name} · {period.label}"
    if key == "new_users":
        rows = [(*_person(p), p.first_found_on.isoformat()) for p in books.new_users(period)]
        return Drill(title, (*PERSON, "首次发现"), rows, [True] * len(rows))
    if key == "aftercare_rate":
        return _aftercare(db, title, day)
    if key == "urine_rate":
        return _urine(db, title, a)
    if key in ("relapsed", "relapse_rate"):
        relapsed = books.relapsed(db, period)
        by_person = {p.person_id: p for p in books.files}
        if key == "relapsed":
            rows = [_person(by_person[i]) for i in sorted(relapsed) if i in by_person]
            return Drill(title, PERSON, rows, [True] * len(rows))
        under = sorted(books.under_aftercare(db, period))
        rows = [_person(by_person[i]) for i in under if i in by_person]
        return Drill(title, PERSON, rows, [i in relapsed for i in under if i in by_person], "复吸", "未复吸")
    if key == "detox":
        by_file = {p.file_id: p for p in books.files}
        rows = [(*_person(by_file[d[0]]), d[1].isoformat(), d[2], d[3]) for d in books.detox(period)]
        return Drill(title, (*PERSON, "认定日期", "认定依据", "认定单位"), rows, [True] * len(rows))
    if key in ("abstinence_rate", "township_class"):
        users = books.registered_users(day)
        rows = [(*_person(p), p.category, books.status_on(p, day) or "") for p in users]
        counted = [books.status_on(p, day) == assessment_people.ABSTINENT for p in users]
        if key == "township_class":
            counted = [True] * len(users)
        return Drill(title, (*PERSON, "类别", f"{day.isoformat()}状态"), rows, counted, "戒断三年未复吸", "")
    if key == "files_complete":
        on_books = books.key_persons(day)
        rows = [(*_person(p), "、".join(books.missing_parts(p)) or "完整") for p in on_books]
        return Drill(
            title, (*PERSON, "缺少"), rows, [not books.missing_parts(p) for p in on_books], "完整", "不完整"
        )
    if key == "campaign_coverage":
        screened = books.campaign_villages(db, period)
        return _villages(title, books.villages, lambda v: v in screened, "已排查", "未排查")
    if key in ("education_coverage", "key_groups_coverage") or key.startswith("awareness:"):
        return _education(db, a, f, title, books.villages)
    if key.startswith("agreement:"):
        return _agreements(db, title, period.year, key.split(":", 1)[1])
    raise KeyError(key)


def _villages(title, villages: dict, counted, yes: str, no: str, extra=None) -> Drill:
    rows = [(name, *(extra(vid) if extra else ())) for vid, name in villages.items()]
    return Drill(title, ("村（社区）", *(("活动次数",) if extra else ())), rows,
                 [counted(vid) for vid in villages], yes, no)  # fmt: skip


def _aftercare(db: Database, title: str, day) -> Drill:
    from desktop.services import aftercare_register as ar

    cases = ar.counted_on(ar.case_rows(db, today=day), day, ar.managed_elsewhere(db, day))
    rows = [(c.name, c.id_number_masked, c.start_on.isoformat(), c.members, c.warnings or "") for c in cases]
    return Drill(title, ("姓名", "身份证号码", "帮教起始", "帮教小组", "未落实的原因/提醒"), rows,
                 [c.implemented for c in cases], "落实", "未落实")  # fmt: skip


def _urine(db: Database, title: str, a: Assessment) -> Drill:
    from desktop.services import urine, urine_register
    from desktop.services.urine_register import people_of

    tests = urine_register.counted_tests(db, a.period.start, a.period.end, today=a.today)
    with db.session() as s:
        who = people_of(s, {t.case_id for t in tests})
    rows = [(urine.number(t.notice) if t.notice else "（未开具）", who[t.case_id].name, who[t.case_id].id_masked,
             f"{t.window_from.isoformat()}至{t.window_to.isoformat()}", t.outcome) for t in tests]  # fmt: skip
    return Drill(title, ("通知书编号", "姓名", "身份证号码", "检测期", "结果"), rows,
                 [t.done for t in tests], "已检测", "未检测")  # fmt: skip


def _education(db: Database, a: Assessment, f: Figure, title: str, villages: dict) -> Drill:
    from desktop.services import assessment_records as records

    acts = records.activities(db, a.period)
    if f.key == "education_coverage":
        count = {}
        for act in acts:
            count[act.village_id] = count.get(act.village_id, 0) + 1
        return _villages(
            title, villages, lambda v: v in count, "已覆盖", "未覆盖", lambda v: (str(count.get(v, 0)),)
        )
    if f.key == "key_groups_coverage":
        rows, counted = [], []
        for g in KEY_GROUPS:
            mine = [x for x in acts if x.audience == g.value]
            rows.append((g.value, str(len(mine)), str(sum(x.head_count for x in mine))))
            counted.append(bool(mine))
        return Drill(title, ("对象", "活动次数", "参加人数"), rows, counted, "已覆盖", "未覆盖")
    audience = f.key.split(":", 1)[1]
    asked = [s for s in records.surveys(db, a.period) if s.audience == audience]
    rows = [(s.held_on.isoformat(), villages.get(s.village_id, "全乡镇"), str(s.sample_size), str(s.aware))
            for s in asked]  # fmt: skip
    return Drill(title, ("调查日期", "村（社区）", "调查人数", "答对人数"), rows, [True] * len(rows), "", "")


def _agreements(db: Database, title: str, year: int, kind: str) -> Drill:
    from desktop.services import agreement_register

    rows, counted = agreement_register.parties_signed(db, year, kind)
    return Drill(title, ("村（社区）", "小组", "签订方"), rows, counted, "已签订", "未签订")
