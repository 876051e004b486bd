"""The records the plans ask each township to keep (作好各种记录), each a small register of the same shape: 宣传教育
activities (with photos) and 知晓率 surveys, meetings of the 党政研究排查毒情 system, 重大毒情报告, 禁种铲毒
inspections and 人户分离 delegations — and 脱毒认定, which belongs to a key person's file.

Each register is described once (KINDS: its fields, their words and rules); adding, correcting and listing go
through the same three functions, every refusal names the field in the form's own words, and every change
is in the audit trail (the session's hooks). Nothing is deleted: a record entered in error is corrected."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import select

from desktop.db import Database
from desktop.errors import Problem, ValidationFailed
from desktop.models import (
    AwarenessSurvey,
    Delegation,
    DetoxDecision,
    DrugFile,
    DrugMeeting,
    EducationActivity,
    EducationPhoto,
    MajorReport,
    PlantCheck,
    Village,
)
from desktop.models.enums import ActivityKind, Audience, DelegationDirection, DrugStatus
from desktop.models.idnumber import IdNumberError, mask, parse
from desktop.models.units import clean
from desktop.services.auth import Permission, require


@dataclass(frozen=True)
class Column:
    name: str  # the table's column
    label: str  # the form's and the list's word; refusals name it
    kind: str = "text"  # text | long | date | int | choice | village | id_number
    choices: tuple[str, ...] = ()
    required: bool = True
    future: bool = False  # a date that may lie ahead (a delegation's end)


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    table: type
    columns: tuple[Column, ...]
    order: str  # the date column the register is listed (newest first) and a period chosen by

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _choices(enum) -> tuple[str, ...]:
    return tuple(e.value for e in enum)


KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("activity", "宣传教育活动", EducationActivity, (
        Column("held_on", "活动日期", "date"), Column("kind", "活动形式", "choice", _choices(ActivityKind)),
        Column("place", "地点"), Column("village_id", "村（社区）", "village", required=False),
        Column("audience", "对象", "choice", _choices(Audience)), Column("head_count", "参加人数", "int"),
        Column("notes", "备注", "long", required=False)), "held_on"),
    Kind("survey", "知晓率调查", AwarenessSurvey, (
        Column("held_on", "调查日期", "date"), Column("audience", "调查对象", "choice", _choices(Audience)),
        Column("village_id", "村（社区）", "village", required=False), Column("sample_size", "调查人数", "int"),
        Column("aware", "答对人数", "int"), Column("notes", "备注", "long", required=False)), "held_on"),
    Kind("meeting", "党政研究排查毒情会议", DrugMeeting, (
        Column("held_on", "会议日期", "date"), Column("chaired_by", "主持人"), Column("attendees", "参加人员", "long"),
        Column("decisions", "研究决定事项", "long")), "held_on"),
    Kind("major", "重大毒情报告", MajorReport, (
        Column("found_on", "发现日期", "date"), Column("what", "毒情内容", "long"),
        Column("village_id", "村（社区）", "village", required=False), Column("reported_to", "报告对象"),
        Column("reported_on", "报告日期", "date")), "found_on"),
    Kind("plants", "禁种铲毒检查", PlantCheck, (
        Column("checked_on", "检查日期", "date"), Column("village_id", "村（社区）", "village", required=False),
        Column("area", "检查范围"), Column("findings", "检查情况", "long"),
        Column("plants_destroyed", "铲除株数", "int", required=False)), "checked_on"),
    Kind("delegation", "人户分离委托管理", Delegation, (
        Column("direction", "类别", "choice", _choices(DelegationDirection)), Column("person_name", "姓名"),
        Column("id_number", "身份证号码", "id_number"), Column("other_township", "对方乡镇（街道）"),
        Column("letter", "委托函文号"), Column("from_on", "委托开始日期", "date"),
        Column("until_on", "委托结束日期", "date", required=False, future=True)), "from_on"),
)}  # fmt: skip


@dataclass(frozen=True)
class Record:
    id: int
    values: dict  # column → stored value
    shown: tuple[str, ...]  # the list's cells, in the kind's column order (ID numbers masked)
    photos: int = 0


def _checked(s, kind: Kind, values: dict, today: dt.date) -> dict:
    problems, out = [], {}
    for col in kind.columns:
        raw = values.get(col.name)
        if isinstance(raw, str):  # a sentence keeps the office's punctuation (，。：), which clean() folds
            raw = raw.strip() if col.kind == "long" else clean(raw)
        if raw in (None, ""):
            if col.required:
                problems.append(Problem(col.label, "required", {}))
            out[col.name] = None if col.kind in ("date", "village") else 0 if col.kind == "int" else ""
            continue
        if col.kind == "date":
            if not isinstance(raw, dt.date):
                problems.append(Problem(col.label, "date_format", {"value": str(raw)}))
            elif raw > today and not col.future:
                problems.append(Problem(col.label, "date_in_future", {"value": raw.isoformat()}))
        elif col.kind == "int":
            try:
                raw = int(raw)
            except (TypeError, ValueError):
                problems.append(Problem(col.label, "not_negative", {"value": str(raw)}))
            else:
                if raw < 0:
                    problems.append(Problem(col.label, "not_negative", {"value": str(raw)}))
        elif col.kind == "choice" and raw not in col.choices:
            problems.append(Problem(col.label, "choice", {"value": raw, "choices": "、".join(col.choices)}))
        elif col.kind == "village" and s.get(Village, raw) is None:
            problems.append(Problem(col.label, "unknown_village", {"value": str(raw)}))
        elif col.kind == "id_number":
            try:
                raw = parse(raw, today=today).value
            except IdNumberError as exc:
                problems.append(Problem(col.label, f"id:{exc.reason.value}", {}))
        out[col.name] = raw
    problems += _rules(kind, out)
    if problems:
        raise ValidationFailed(problems)
    return out


def _rules(kind: Kind, v: dict) -> list[Problem]:
    """What one field says of another: answers within those asked, a report not before the finding."""
    aware, asked = v.get("aware"), v.get("sample_size")
    if kind.key == "survey" and isinstance(aware, int) and isinstance(asked, int) and aware > asked:
        return [Problem("答对人数", "more_than_asked", {"value": v["aware"], "max": v["sample_size"]})]
    if kind.key == "major" and _dates(v, "found_on", "reported_on") and v["reported_on"] < v["found_on"]:
        return [Problem("报告日期", "before_date", {"value": v["reported_on"].isoformat(), "other": "发现日期",
                                                 "other_value": v["found_on"].isoformat()})]  # fmt: skip
    if kind.key == "delegation" and _dates(v, "from_on", "until_on") and v["until_on"] < v["from_on"]:
        return [Problem("委托结束日期", "end_before_start", {})]
    return []


def _dates(v: dict, *names: str) -> bool:
    return all(isinstance(v.get(n), dt.date) for n in names)


def add(db: Database, key: str, values: dict, *, today: dt.date | None = None) -> int:
    require(db, Permission.WRITE)
    kind = KINDS[key]
    with db.session() as s:
        row = kind.table(**_checked(s, kind, values, today or dt.date.today()))
        s.add(row)
        s.flush()
        return row.id


def correct(db: Database, key: str, record_id: int, values: dict, *, today: dt.date | None = None) -> None:
    """A record entered in error is corrected (the audit trail keeps what it said), never deleted."""
    require(db, Permission.WRITE)
    kind = KINDS[key]
    with db.session() as s:
        row = s.get(kind.table, record_id)
        checked = _checked(s, kind, values, today or dt.date.today())
        for name, value in checked.items():
            if getattr(row, name) != value:
                setattr(row, name, value)


def records(db: Database, key: str, period=None) -> list[Record]:
    """The register, newest first; with a period, only what happened in it."""
    require(db, Permission.READ)
    kind = KINDS[key]
    date = getattr(kind.table, kind.order)
    with db.session() as s:
        query = select(kind.table).order_by(date.desc(), kind.table.id.desc())
        if period is not None:
            query = query.where(date >= period.start, date <= period.end)
        rows = s.exec(query).all()
        names = dict(s.exec(select(Village.id, Village.name)).all())
        photos = {}
        if key == "activity":
            for activity_id in s.exec(select(EducationPhoto.activity_id)).all():
                photos[activity_id] = photos.get(activity_id, 0) + 1
    return [Record(r.id, {c.name: getattr(r, c.name) for c in kind.columns},
                   tuple(_cell(c, getattr(r, c.name), names) for c in kind.columns), photos.get(r.id, 0))
            for r in rows]  # fmt: skip


def _cell(col: Column, value, names: dict) -> str:
    if value is None or value == "":
        return "全乡镇" if col.kind == "village" else ""
    if col.kind == "village":
        return names.get(value, "")
    if col.kind == "id_number":
        return mask(value)
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def activities(db: Database, period) -> list[EducationActivity]:
    return _in(db, EducationActivity, EducationActivity.held_on, period)


def surveys(db: Database, period) -> list[AwarenessSurvey]:
    return _in(db, AwarenessSurvey, AwarenessSurvey.held_on, period)


def _in(db: Database, table, column, period) -> list:
    require(db, Permission.READ)
    with db.session() as s:
        return list(s.exec(select(table).where(column >= period.start, column <= period.end)).all())


def add_photo(db: Database, activity_id: int, path) -> int:
    """A photo of an activity, stored inside the encrypted database (the audit trail records its size)."""
    from desktop.services.key_persons import read_scan

    require(db, Permission.WRITE)
    name, mime, data = read_scan(path)
    with db.session() as s:
        if s.get(EducationActivity, activity_id) is None:
            raise ValidationFailed([Problem("活动", "required", {})])
        photo = EducationPhoto(activity_id=activity_id, name=name, mime=mime, size=len(data), data=data)
        s.add(photo)
        s.flush()
        return photo.id


def photos(db: Database, activity_id: int) -> list[tuple[str, bytes]]:
    """An activity's photos (name, bytes), to show in the window; nothing is written to disk."""
    require(db, Permission.READ)
    with db.session() as s:
        rows = s.exec(
            select(EducationPhoto)
            .where(EducationPhoto.activity_id == activity_id)
            .order_by(EducationPhoto.id)
        ).all()
        return [(p.name, bytes(p.data)) for p in rows]


DETOX_STATUS = DrugStatus.ABSTINENT_3Y.value


def record_detox(
    db: Database,
    person_id: int,
    *,
    decided_on: dt.date,
    basis: str,
    decided_by: str,
    notes: str = "",
    set_status: bool = True,
    today: dt.date | None = None,
) -> int:
    """脱毒认定 for a key person; with `set_status`, their status becomes 戒断三年未复吸 from that day, in the same
    transaction (refused together if the history does not allow it)."""
    from desktop.services.key_persons import add_status_in

    require(db, Permission.WRITE)
    today = today or dt.date.today()
    problems = [Problem(label, "required", {}) for label, v in (("认定依据", basis), ("认定单位", decided_by))
                if not clean(v)]  # fmt: skip
    if decided_on > today:
        problems.append(Problem("认定日期", "date_in_future", {"value": decided_on.isoformat()}))
    with db.session() as s:
        file = s.exec(select(DrugFile).where(DrugFile.person_id == person_id)).first()
        if file is None:
            problems.append(Problem("person", "unknown_person", {}))
        if problems:
            raise ValidationFailed(problems)
        row = DetoxDecision(file_id=file.id, decided_on=decided_on, basis=(basis or "").strip(),
                            decided_by=clean(decided_by), notes=(notes or "").strip())  # fmt: skip
        s.add(row)
        if set_status:
            add_status_in(s, person_id, DETOX_STATUS, decided_on, f"脱毒认定（{clean(decided_by)}）", today)
        s.flush()
        return row.id


def detox_of(db: Database, person_id: int) -> list[DetoxDecision]:
    require(db, Permission.READ)
    with db.session() as s:
        return list(
            s.exec(
                select(DetoxDecision)
                .join(DrugFile, DrugFile.id == DetoxDecision.file_id)
                .where(DrugFile.person_id == person_id)
                .order_by(DetoxDecision.decided_on)
            ).all()
        )
