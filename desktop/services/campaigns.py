"""Screening campaigns (毒情大排查, 村不漏户、户不漏人): scope, one result per household and key place, and the
completeness grid that shows, per village and group, how many households were visited and which were not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import select

from desktop.db import Database
from desktop.errors import Problem, ValidationFailed, choice
from desktop.models import Campaign, CampaignVillage, KeyPlace, Screening, Village, VillageGroup
from desktop.models.enums import PlaceKind, ScreeningResult
from desktop.models.units import clean
from desktop.services.auth import Permission, require


@dataclass(frozen=True)
class CampaignInfo:
    id: int
    name: str
    start_on: dt.date
    end_on: dt.date
    village_ids: tuple[int, ...]


@dataclass(frozen=True)
class GroupProgress:
    village: str
    group: str
    screened: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.screened / self.total if self.total else 100.0


@dataclass(frozen=True)
class Unvisited:
    household_id: int
    village: str
    group: str
    number: str
    address: str
    head: str


def create_campaign(
    db: Database, name: str, start_on: dt.date, end_on: dt.date, village_ids: list[int]
) -> int:
    require(db, Permission.WRITE)
    name = clean(name)
    problems = []
    if not name:
        problems.append(Problem("campaign_name", "required", {}))
    if end_on < start_on:
        problems.append(Problem("end_on", "end_before_start", {}))
    if not village_ids:
        problems.append(Problem("villages", "no_villages", {}))
    with db.session() as s:
        if name and s.exec(select(Campaign.id).where(Campaign.name == name)).first():
            problems.append(Problem("campaign_name", "duplicate", {"value": name}))
        if problems:
            raise ValidationFailed(problems)
        campaign = Campaign(name=name, start_on=start_on, end_on=end_on)
        s.add(campaign)
        s.flush()
        for vid in sorted(set(village_ids)):
            s.add(CampaignVillage(campaign_id=campaign.id, village_id=vid))
        return campaign.id


def campaigns(db: Database) -> list[CampaignInfo]:
    require(db, Permission.READ)
    with db.session() as s:
        rows = s.exec(select(Campaign).order_by(Campaign.start_on.desc(), Campaign.id.desc())).all()
        scope = s.exec(select(CampaignVillage)).all()
    villages: dict[int, list[int]] = {}
    for cv in scope:
        villages.setdefault(cv.campaign_id, []).append(cv.village_id)
    return [CampaignInfo(c.id, c.name, c.start_on, c.end_on, tuple(villages.get(c.id, ()))) for c in rows]


def add_place(
    db: Database, village_id: int, name: str, kind: str, address: str = "", owner: str = "", phone: str = ""
) -> int:
    from desktop.models.phone import PhoneError, normalise_phone

    require(db, Permission.WRITE)
    problems = []
    if not clean(name):
        problems.append(Problem("place_name", "required", {}))
    if kind not in {k.value for k in PlaceKind}:
        problems.append(choice("kind", kind, PlaceKind))
    try:
        phone = normalise_phone(phone)
    except PhoneError:
        problems.append(Problem("phone", "phone_format", {"value": phone}))
    if problems:
        raise ValidationFailed(problems)
    with db.session() as s:
        place = KeyPlace(
            village_id=village_id,
            name=clean(name),
            kind=kind,
            address=clean(address),
            owner=clean(owner),
            phone=phone,
        )
        s.add(place)
        s.flush()
        return place.id


def _date_problems(campaign: Campaign, screened_on: dt.date, today: dt.date) -> list[Problem]:
    """A visit is dated within its campaign and not in the future."""
    if screened_on > today:
        return [Problem("screened_on", "date_in_future", {"value": screened_on.isoformat()})]
    if not campaign.start_on <= screened_on <= campaign.end_on:
        return [
            Problem(
                "screened_on",
                "outside_campaign",
                {
                    "value": screened_on.isoformat(),
                    "start": campaign.start_on.isoformat(),
                    "end": campaign.end_on.isoformat(),
                },
            )
        ]
    return []


def _scope_problems(s, campaign_id: int, village_id: int) -> list[Problem]:
    """A visit is in one of the campaign's villages."""
    in_scope = s.exec(
        select(CampaignVillage).where(
            CampaignVillage.campaign_id == campaign_id, CampaignVillage.village_id == village_id
        )
    ).first()
    return [] if in_scope is not None else [Problem("village", "not_in_campaign", {})]


def _save_visit(s, visit, campaign_id, household_id, place_id, screened_on, screener, result, notes) -> None:
    """A new visit, or the correction of the campaign's earlier one (a household is visited once a campaign)."""
    if visit is None:
        s.add(
            Screening(
                campaign_id=campaign_id,
                household_id=household_id,
                place_id=place_id,
                screened_on=screened_on,
                screener=clean(screener),
                result=result,
                notes=(notes or "").strip(),  # prose: its own punctuation
            )
        )
        return
    visit.screened_on, visit.screener, visit.result, visit.notes = (
        screened_on,
        clean(screener),
        result,
        (notes or "").strip(),
    )


def record(
    db: Database,
    campaign_id: int,
    *,
    household_id: int | None = None,
    place_id: int | None = None,
    screened_on: dt.date,
    screener: str,
    result: str,
    notes: str = "",
    today: dt.date | None = None,
) -> None:
    """One visit's result; visiting again in the same campaign corrects the earlier result."""
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    problems = []
    if (household_id is None) == (place_id is None):
        raise ValueError("a screening is of a household or of a key place")
    if result not in {r.value for r in ScreeningResult}:
        problems.append(choice("result", result, ScreeningResult))
    if not clean(screener):
        problems.append(Problem("screener", "required", {}))
    with db.session() as s:
        problems += _date_problems(s.get(Campaign, campaign_id), screened_on, today)
        if household_id is not None:
            village_id = s.execute(
                text(
                    "SELECT g.village_id FROM household h JOIN village_group g ON g.id = h.group_id WHERE h.id = :h"
                ),
                {"h": household_id},
            ).scalar_one()
        else:
            village_id = s.get(KeyPlace, place_id).village_id
        problems += _scope_problems(s, campaign_id, village_id)
        if problems:
            raise ValidationFailed(problems)
        where = (
            (Screening.household_id == household_id)
            if household_id is not None
            else (Screening.place_id == place_id)
        )
        visit = s.exec(select(Screening).where(Screening.campaign_id == campaign_id, where)).first()
        _save_visit(s, visit, campaign_id, household_id, place_id, screened_on, screener, result, notes)


def completeness(db: Database, campaign_id: int) -> list[GroupProgress]:
    """Per village and group in scope: households screened / households registered (with someone 在册)."""
    require(db, Permission.READ)
    with db.read() as conn:
        rows = conn.execute(
            text("""
            SELECT v.name, g.name,
                   count(DISTINCT s.household_id) AS screened,
                   count(DISTINCT h.id) AS total
            FROM campaign_village cv
            JOIN village v ON v.id = cv.village_id
            JOIN village_group g ON g.village_id = v.id
            JOIN household h ON h.group_id = g.id
                 AND EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND p.state = '在册')
            LEFT JOIN screening s ON s.household_id = h.id AND s.campaign_id = cv.campaign_id
            WHERE cv.campaign_id = :c
            GROUP BY v.id, g.id ORDER BY v.sort_order, v.id, g.sort_order, g.id
        """),
            {"c": campaign_id},
        ).all()
    return [GroupProgress(*r) for r in rows]


@dataclass(frozen=True)
class GroupHousehold:
    """A household of a group as the group's sheet lists it, with this campaign's result so far."""

    household_id: int
    number: str
    address: str
    head: str
    result: str  # "" until screened in this campaign
    notes: str


def group_sheet(db: Database, campaign_id: int, group_id: int) -> list[GroupHousehold]:
    """The group's registered households in 户号 order, each with its result in this campaign (a cadre's sheet)."""
    require(db, Permission.READ)
    with db.read() as conn:
        rows = conn.execute(
            text("""
            SELECT h.id, h.number, coalesce(h.address, ''),
                   coalesce((SELECT p.name FROM person p WHERE p.household_id = h.id AND p.state = '在册'
                             ORDER BY p.relation != '户主', p.id LIMIT 1), ''),
                   coalesce(s.result, ''), coalesce(s.notes, '')
            FROM household h
            LEFT JOIN screening s ON s.household_id = h.id AND s.campaign_id = :c
            WHERE h.group_id = :g
              AND EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND p.state = '在册')
            ORDER BY h.number, h.id
        """),
            {"c": campaign_id, "g": group_id},
        ).all()
    return [GroupHousehold(*r) for r in rows]


def record_group(
    db: Database,
    campaign_id: int,
    group_id: int,
    *,
    screened_on: dt.date,
    screener: str,
    results: dict[int, tuple[str, str]],
    today: dt.date | None = None,
) -> int:
    """A group's sheet handed in after a field day, in one transaction: `results` maps each household to its
    (result, notes); a household of the group left out keeps what it had, or is recorded 正常 if it had
    nothing. The same checks as one visit (`record`), made once for the sheet. Returns how many were written."""
    require(db, Permission.WRITE)
    today = today or dt.date.today()
    problems = []
    values = {r.value for r in ScreeningResult}
    for household_id, (result, _notes) in results.items():
        if result not in values:
            problems.append(choice(f"results[{household_id}]", result, ScreeningResult))
    if not clean(screener):
        problems.append(Problem("screener", "required", {}))
    sheet = {h.household_id: h for h in group_sheet(db, campaign_id, group_id)}
    with db.session() as s:
        problems += _date_problems(s.get(Campaign, campaign_id), screened_on, today)
        problems += _scope_problems(s, campaign_id, s.get(VillageGroup, group_id).village_id)
        if problems:
            raise ValidationFailed(problems)
        existing = {
            v.household_id: v
            for v in s.exec(
                select(Screening).where(
                    Screening.campaign_id == campaign_id, Screening.household_id.in_(list(sheet))
                )
            ).all()
        }
        written = 0
        for household_id in sheet:
            if household_id in results:
                result, notes = results[household_id]
            elif household_id in existing:
                continue  # visited before: the sheet does not overwrite it
            else:
                result, notes = ScreeningResult.NORMAL.value, ""
            visit = existing.get(household_id)
            _save_visit(s, visit, campaign_id, household_id, None, screened_on, screener, result, notes)
            written += 1
    return written


def unvisited(
    db: Database, campaign_id: int, village_id: int | None = None, limit: int = 5000
) -> list[Unvisited]:
    require(db, Permission.READ)
    with db.read() as conn:
        rows = conn.execute(
            text("""
            SELECT h.id, v.name, g.name, h.number, h.address,
                   coalesce((SELECT p.name FROM person p WHERE p.household_id = h.id AND p.state = '在册'
                             ORDER BY p.relation != '户主', p.id LIMIT 1), '')
            FROM campaign_village cv
            JOIN village v ON v.id = cv.village_id
            JOIN village_group g ON g.village_id = v.id
            JOIN household h ON h.group_id = g.id
            WHERE cv.campaign_id = :c AND (:v IS NULL OR v.id = :v)
              AND EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND p.state = '在册')
              AND NOT EXISTS (SELECT 1 FROM screening s WHERE s.campaign_id = :c AND s.household_id = h.id)
            ORDER BY v.sort_order, v.id, g.sort_order, g.id, h.number LIMIT :limit
        """),
            {"c": campaign_id, "v": village_id, "limit": limit},
        ).all()
    return [Unvisited(*r) for r in rows]


def places_progress(db: Database, campaign_id: int) -> tuple[int, int]:
    """(key places screened, active key places) in the campaign's villages."""
    require(db, Permission.READ)
    with db.read() as conn:
        return tuple(
            conn.execute(
                text("""
            SELECT count(s.id), count(kp.id) FROM key_place kp
            JOIN campaign_village cv ON cv.village_id = kp.village_id AND cv.campaign_id = :c
            LEFT JOIN screening s ON s.place_id = kp.id AND s.campaign_id = :c
            WHERE kp.active
        """),
                {"c": campaign_id},
            ).one()
        )


def village_names(db: Database) -> dict[int, str]:
    require(db, Permission.READ)
    with db.session() as s:
        return {v.id: v.name for v in s.exec(select(Village)).all()}


@dataclass(frozen=True)
class PlaceState:
    place_id: int
    village: str
    name: str
    kind: str
    address: str
    result: str  # "" until screened in this campaign


def places(db: Database, campaign_id: int) -> list[PlaceState]:
    """The active key places in the campaign's villages, with this campaign's result for each."""
    require(db, Permission.READ)
    with db.read() as conn:
        rows = conn.execute(
            text("""
            SELECT kp.id, v.name, kp.name, kp.kind, kp.address, coalesce(s.result, '')
            FROM key_place kp
            JOIN village v ON v.id = kp.village_id
            JOIN campaign_village cv ON cv.village_id = kp.village_id AND cv.campaign_id = :c
            LEFT JOIN screening s ON s.place_id = kp.id AND s.campaign_id = :c
            WHERE kp.active ORDER BY v.sort_order, v.id, kp.name
        """),
            {"c": campaign_id},
        ).all()
    return [PlaceState(*r) for r in rows]
