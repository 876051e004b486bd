"""The key persons as the 考核 figures read them: every file with its status history and the person's village,
loaded once in plain rows (a county's tens of thousands of files), and the questions the figures ask of them —
on the books on a day, new in a period, relapsed, de-addicted, their file complete."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import text

from desktop.db import Database
from desktop.models.enums import DrugCategory, DrugStatus, UrineResult

ABSTINENT = DrugStatus.ABSTINENT_3Y.value
OFF_THE_BOOKS = {DrugStatus.DECEASED.value, DrugStatus.MOVED_OUT.value}
USERS = {DrugCategory.USER.value, DrugCategory.RELAPSE.value}


def _day(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class KeyPerson:
    file_id: int
    person_id: int
    name: str
    id_number: str
    village_id: int | None
    village: str
    category: str
    first_found_on: dt.date
    decision: tuple[str, str, dt.date | None, str]  # kind, number, date, police station
    household_id: int | None
    history: tuple[tuple[dt.date, str], ...]  # (since, status), oldest first


@dataclass
class Books:
    files: list[KeyPerson]
    villages: dict[int, str]  # every village, in the township's order
    detox_rows: list[tuple[int, dt.date, str, str]] = field(default_factory=list)  # file, day, basis, by whom

    def status_on(self, f: KeyPerson, day: dt.date) -> str | None:
        """The file's status on `day`: its latest entry dated on or before it."""
        status = None
        for since, s in f.history:
            if since > day:
                break
            status = s
        return status

    def key_persons(self, day: dt.date) -> list[KeyPerson]:
        """On the books on `day`: found by then, and not dead or moved away by then."""
        return [
            f for f in self.files if f.first_found_on <= day and self.status_on(f, day) not in OFF_THE_BOOKS
        ]

    def registered_users(self, day: dt.date) -> list[KeyPerson]:
        """在册吸毒人员 on `day`: key persons of category 吸毒 or 复吸."""
        return [f for f in self.key_persons(day) if f.category in USERS]

    def new_users(self, period) -> list[KeyPerson]:
        return [f for f in self.files if f.category == DrugCategory.USER.value and
                period.start <= f.first_found_on <= period.end]  # fmt: skip

    def detox(self, period) -> list[tuple[int, dt.date, str, str]]:
        return [d for d in self.detox_rows if period.start <= d[1] <= period.end]

    @staticmethod
    def missing_parts(f: KeyPerson) -> list[str]:
        """What a complete file (底数清、情况明) still lacks, in the office's words; [] when complete."""
        kind, number, date, station = f.decision
        missing = []
        if not (kind and number and date and station):
            missing.append("决定书（种类、文号、日期、派出所）")
        if not f.history:
            missing.append("管控状态")
        if f.household_id is None:
            missing.append("住户（村、组、户号）")
        return missing

    def relapsed(self, db: Database, period) -> set[int]:
        """Persons (ids) with a positive urine test in the period, or a 复吸 file first found in it."""
        positives = _ids(
            db,
            "SELECT DISTINCT c.person_id FROM urine_notice n JOIN aftercare_case c ON c.id = n.case_id "
            "WHERE n.result = :positive AND n.tested_on BETWEEN :start AND :end AND n.state != '作废'",
            period,
            positive=UrineResult.POSITIVE.value,
        )
        found = {f.person_id for f in self.files if f.category == DrugCategory.RELAPSE.value and
                 period.start <= f.first_found_on <= period.end}  # fmt: skip
        return positives | found

    @staticmethod
    def under_aftercare(db: Database, period) -> set[int]:
        """Persons (ids) with an aftercare case open on any day of the period."""
        return _ids(
            db,
            "SELECT DISTINCT person_id FROM aftercare_case WHERE start_on <= :end "
            "AND (ended_on IS NULL OR ended_on > :start)",
            period,
        )

    @staticmethod
    def campaign_villages(db: Database, period) -> set[int]:
        """Villages taken into a screening campaign whose dates meet the period."""
        return _ids(
            db,
            "SELECT DISTINCT cv.village_id FROM campaign_village cv JOIN campaign c ON c.id = cv.campaign_id "
            "WHERE c.start_on <= :end AND c.end_on >= :start",
            period,
        )


def _ids(db: Database, sql: str, period, **params) -> set[int]:
    """The ids an SQL query with :start and :end (the period's days) gives."""
    with db.read() as conn:
        return {r[0] for r in conn.execute(text(sql), {"start": period.start, "end": period.end, **params})}


def load(db: Database) -> Books:
    """Every key person's file, its history and village, and the 脱毒认定, in one read transaction."""
    with db.read() as conn:
        villages = dict(conn.execute(text("SELECT id, name FROM village ORDER BY sort_order, id")).all())
        rows = conn.execute(
            text(
                "SELECT f.id, f.person_id, p.name, p.id_number, g.village_id, f.category, f.first_found_on, "
                "f.decision_kind, f.decision_number, f.decision_date, f.decision_station, p.household_id "
                "FROM drug_file f JOIN person p ON p.id = f.person_id "
                "LEFT JOIN household h ON h.id = p.household_id LEFT JOIN village_group g ON g.id = h.group_id "
                "ORDER BY f.id"
            )
        ).all()
        history = defaultdict(list)
        for file_id, since, status in conn.execute(
            text("SELECT file_id, since, status FROM drug_status_entry ORDER BY file_id, since, id")
        ):
            history[file_id].append((_day(since), status))
        detox = [
            (r[0], _day(r[1]), r[2], r[3])
            for r in conn.execute(text("SELECT file_id, decided_on, basis, decided_by FROM detox_decision"))
        ]
    files = [
        KeyPerson(r[0], r[1], r[2], r[3], r[4], villages.get(r[4], ""), r[5], _day(r[6]),
                  (r[7] or "", r[8] or "", _day(r[9]), r[10] or ""), r[11], tuple(history.get(r[0], ())))
        for r in rows
    ]  # fmt: skip
    return Books(files, villages, detox)
