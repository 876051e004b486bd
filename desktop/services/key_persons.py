"""The key-population file (重点人员档案, 一人一档): category, decision paper, status history, attachments.

The current status is always the latest history entry, never a typed field. History rules:
- an entry's date is not in the future, not before the person was first found, and not before the entry before it;
- a new entry changes the status (the same status twice is not a change);
- 失联, 死亡 and 迁出 need a reason;
- after 死亡 nothing follows.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import select

from desktop.db import Database
from desktop.errors import Problem, ValidationFailed, choice
from desktop.models import Attachment, DrugFile, DrugStatusEntry, Person
from desktop.models.enums import DrugCategory, DrugStatus
from desktop.services.auth import Permission, require

# a key-person status that takes the person off the township's books (PersonState has the same words)
OFF_THE_BOOKS = {DrugStatus.DECEASED.value, DrugStatus.MOVED_OUT.value}
REASON_NEEDED = {DrugStatus.LOST_CONTACT.value, DrugStatus.DECEASED.value, DrugStatus.MOVED_OUT.value}
MAX_ATTACHMENT = 20 * 2**20


@dataclass(frozen=True)
class StatusEntry:
    status: str
    since: dt.date
    reason: str


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    name: str
    mime: str
    size: int
    added_at: dt.datetime


@dataclass(frozen=True)
class KeyFile:
    id: int
    person_id: int
    category: str
    first_found_on: dt.date
    decision_kind: str
    decision_number: str
    decision_date: dt.date | None
    decision_station: str
    history: tuple[StatusEntry, ...]
    attachments: tuple[AttachmentInfo, ...]

    @property
    def current(self) -> StatusEntry:
        return self.history[-1]

    @property
    def decision_text(self) -> str:
        """The decision paper in one line, as the file and its printed summary show it."""
        date = self.decision_date.isoformat() if self.decision_date else ""
        return "，".join(
            x for x in (self.decision_kind, self.decision_number, date, self.decision_station) if x
        )


def _history_problems(
    history: list[StatusEntry],
    status: str,
    since: dt.date,
    reason: str,
    first_found_on: dt.date,
    today: dt.date,
) -> list[Problem]:
    out = []
    if status not in {s.value for s in DrugStatus}:
        out.append(choice("status", status, DrugStatus))
    if since > today:
        out.append(Problem("since", "date_in_future", {"value": since.isoformat()}))
    if since < first_found_on:
        out.append(
            Problem(
                "since", "before_found", {"value": since.isoformat(), "found": first_found_on.isoformat()}
            )
        )
    if history:
        last = history[-1]
        if since < last.since:
            out.append(
                Problem("since", "before_last", {"value": since.isoformat(), "last": last.since.isoformat()})
            )
        if status == last.status:
            out.append(Problem("status", "same_status", {"value": status}))
        if last.status == DrugStatus.DECEASED.value:
            out.append(Problem("status", "after_death", {}))
    if status in REASON_NEEDED and not reason.strip():
        out.append(Problem("reason", "reason_needed", {"status": status}))
    return out


def _load(s, file: DrugFile) -> KeyFile:
    entries = s.exec(
        select(DrugStatusEntry)
        .where(DrugStatusEntry.file_id == file.id)
        .order_by(DrugStatusEntry.since, DrugStatusEntry.id)
    ).all()
    attachments = s.exec(
        select(Attachment.id, Attachment.name, Attachment.mime, Attachment.size, Attachment.added_at).where(
            Attachment.file_id == file.id
        )
    ).all()
    return KeyFile(
        file.id,
        file.person_id,
        file.category,
        file.first_found_on,
        file.decision_kind,
        file.decision_number,
        file.decision_date,
        file.decision_station,
        tuple(StatusEntry(e.status, e.since, e.reason) for e in entries),
        tuple(AttachmentInfo(*a) for a in attachments),
    )


def file_of(db: Database, person_id: int) -> KeyFile | None:
    require(db, Permission.READ)
    with db.session() as s:
        file = s.exec(select(DrugFile).where(DrugFile.person_id == person_id)).first()
        return _load(s, file) if file else None


def open_file(
    db: Database,
    person_id: int,
    *,
    category: str,
    first_found_on: dt.date,
    status: str,
    reason: str = "",
    decision_kind: str = "",
    decision_number: str = "",
    decision_date: dt.date | None = None,
    decision_station: str = "",
    today: dt.date | None = None,
) -> KeyFile:
    """Open the file of a person found drug-involved, with the first status of their history."""
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    problems = []
    if category not in {c.value for c in DrugCategory}:
        problems.append(choice("category", category, DrugCategory))
    if first_found_on > today:
        problems.append(Problem("first_found_on", "date_in_future", {"value": first_found_on.isoformat()}))
    if decision_date and decision_date > today:
        problems.append(Problem("decision_date", "date_in_future", {"value": decision_date.isoformat()}))
    problems += _history_problems([], status, first_found_on, reason, first_found_on, today)
    with db.session() as s:
        if s.get(Person, person_id) is None:
            raise ValidationFailed([Problem("person", "unknown_person", {"value": person_id})])
        if s.exec(select(DrugFile.id).where(DrugFile.person_id == person_id)).first() is not None:
            problems.append(Problem("person", "file_exists", {}))
        if problems:
            raise ValidationFailed(problems)
        file = DrugFile(
            person_id=person_id,
            category=category,
            first_found_on=first_found_on,
            decision_kind=decision_kind.strip(),
            decision_number=decision_number.strip(),
            decision_date=decision_date,
            decision_station=decision_station.strip(),
        )
        s.add(file)
        s.flush()
        s.add(DrugStatusEntry(file_id=file.id, status=status, since=first_found_on, reason=reason.strip()))
        s.flush()
        return _load(s, file)


def add_status(
    db: Database, person_id: int, status: str, since: dt.date, reason: str = "", today: dt.date | None = None
) -> KeyFile:
    require(db, Permission.WRITE)
    with db.session() as s:
        return add_status_in(s, person_id, status, since, reason, today or dt.date.today())


def add_status_in(s, person_id: int, status: str, since: dt.date, reason: str, today: dt.date) -> KeyFile:
    """`add_status` inside a session the caller holds (a 脱毒认定 writes its decision and the status at once)."""
    file = s.exec(select(DrugFile).where(DrugFile.person_id == person_id)).one()
    current = _load(s, file)
    problems = _history_problems(list(current.history), status, since, reason, file.first_found_on, today)
    if problems:
        raise ValidationFailed(problems)
    s.add(DrugStatusEntry(file_id=file.id, status=status, since=since, reason=reason.strip()))
    if status in OFF_THE_BOOKS:
        # died or moved away: the register says so too, in the same transaction (the two never disagree)
        person = s.get(Person, person_id)
        if person.state != status:
            note = f"{since.isoformat()} {person.state}→{status}：{reason.strip()}（重点人员档案）"
            person.notes = f"{person.notes}\n{note}".strip()
            person.state = status
            person.updated_at = dt.datetime.now().replace(microsecond=0)
    s.flush()
    return _load(s, file)


def read_scan(path: Path) -> tuple[str, str, bytes]:
    """A scan or photo the clerk chose: its name, its type and its bytes; refused when too large."""
    from desktop.services import files

    files.check_readable(path, suffix="")
    try:
        data = path.read_bytes()
    except OSError as exc:
        from desktop.errors import file_error

        raise file_error(path, exc) from exc
    if len(data) > MAX_ATTACHMENT:
        raise ValidationFailed([Problem("attachment", "too_large", {"max": MAX_ATTACHMENT // 2**20})])
    return path.name, mimetypes.guess_type(path.name)[0] or "application/octet-stream", data


def attach(db: Database, person_id: int, path: Path) -> AttachmentInfo:
    """Store a scan inside the database (encrypted with it); the original file is not needed afterwards."""
    require(db, Permission.WRITE)
    name, mime, data = read_scan(Path(path))
    with db.session() as s:
        file = s.exec(select(DrugFile).where(DrugFile.person_id == person_id)).one()
        item = Attachment(file_id=file.id, name=name, mime=mime, size=len(data), data=data)
        s.add(item)
        s.flush()
        return AttachmentInfo(item.id, item.name, item.mime, item.size, item.added_at)


def attachment_bytes(db: Database, attachment_id: int) -> tuple[str, bytes]:
    """A stored scan, for the clerk to look at; reading it is recorded like viewing a full ID number."""
    from desktop import audit

    require(db, Permission.VIEW_FULL_ID)
    with db.session() as s:
        item = s.get(Attachment, attachment_id)
        audit.record(s, [audit.Change("view_attachment", "attachment", attachment_id, detail=item.name)])
        return item.name, item.data
