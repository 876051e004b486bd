"""The township and its admin units: first-run setup, editing villages/communities and groups, a summary."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import select

from desktop.db import Database
from desktop.errors import AlreadySetUp, NotSetUp, Problem, UnitInUse, ValidationFailed
from desktop.models import DrugFile, Household, Person, Township, Village, VillageGroup
from desktop.models import units as rules
from desktop.models.units import GroupDraft, TownshipDraft, VillageDraft
from desktop.services.auth import Permission, require


@dataclass(frozen=True)
class TownshipSummary:
    county_name: str
    township_name: str
    code: str
    is_demo: bool
    villages: int
    groups: int
    households: int
    persons: int
    key_persons: int


@dataclass(frozen=True)
class UnitsChanged:
    """What `apply_units` changed, so a view refreshes only that."""

    villages_added: int = 0
    villages_updated: int = 0
    villages_removed: int = 0
    groups_added: int = 0
    groups_updated: int = 0
    groups_removed: int = 0

    @property
    def anything(self) -> bool:
        return any(vars(self).values())


def is_set_up(db: Database) -> bool:
    with db.session() as s:
        return s.exec(select(Township.id)).first() is not None


def summary(db: Database) -> TownshipSummary | None:
    require(db, Permission.READ)
    with db.session() as s:
        t = s.exec(select(Township)).first()
        if t is None:
            return None

        def count(model) -> int:
            return s.exec(select(func.count()).select_from(model)).one()

        return TownshipSummary(
            county_name=t.county_name,
            township_name=t.township_name,
            code=t.code,
            is_demo=t.is_demo,
            villages=count(Village),
            groups=count(VillageGroup),
            households=count(Household),
            persons=count(Person),
            key_persons=count(DrugFile),
        )


def initialize(db: Database, draft: TownshipDraft, *, is_demo: bool = False) -> TownshipSummary:
    """Set up the township with its villages and groups, all in one transaction, or refuse with every problem."""
    require(db, Permission.SETTINGS)
    draft = rules.normalise(draft)
    found = rules.problems(draft)
    if found:
        raise ValidationFailed(found)
    with db.session() as s:
        existing = s.exec(select(Township)).first()
        if existing is not None:
            raise AlreadySetUp(existing.township_name)
        s.add(
            Township(
                id=1,
                county_name=draft.county_name,
                township_name=draft.township_name,
                code=draft.code,
                is_demo=is_demo,
            )
        )
        for i, v in enumerate(draft.villages):
            village = Village(code=v.code, name=v.name, kind=v.kind, sort_order=i)
            s.add(village)
            s.flush()
            for j, g in enumerate(v.groups):
                s.add(VillageGroup(village_id=village.id, code=g.code, name=g.name, sort_order=j))
    result = summary(db)
    assert result is not None
    return result


def load_units(db: Database) -> TownshipDraft:
    """The township and its units as a draft (with ids) for the settings dialog."""
    require(db, Permission.READ)
    with db.session() as s:
        t = s.exec(select(Township)).first()
        if t is None:
            raise NotSetUp()
        villages = s.exec(select(Village).order_by(Village.sort_order, Village.id)).all()
        groups = s.exec(select(VillageGroup).order_by(VillageGroup.sort_order, VillageGroup.id)).all()
        by_village: dict[int, list[GroupDraft]] = {}
        for g in groups:
            by_village.setdefault(g.village_id, []).append(GroupDraft(code=g.code, name=g.name, id=g.id))
        return TownshipDraft(
            county_name=t.county_name,
            township_name=t.township_name,
            code=t.code,
            villages=[
                VillageDraft(code=v.code, name=v.name, kind=v.kind, id=v.id, groups=by_village.get(v.id, []))
                for v in villages
            ],
        )


def _households_in_groups(s, group_ids: list[int]) -> int:
    if not group_ids:
        return 0
    return s.exec(select(func.count()).select_from(Household).where(Household.group_id.in_(group_ids))).one()


def apply_units(db: Database, draft: TownshipDraft) -> UnitsChanged:
    """Make the stored units equal the draft, in one transaction. Units left out of the draft are removed,
    unless households stand on them (then nothing at all is changed)."""
    require(db, Permission.SETTINGS)
    draft = rules.normalise(draft)
    found = rules.problems(draft)
    if found:
        raise ValidationFailed(found)
    c = dict.fromkeys(UnitsChanged.__dataclass_fields__, 0)
    with db.session() as s:
        t = s.exec(select(Township)).first()
        if t is None:
            raise NotSetUp()
        t.county_name, t.township_name, t.code = draft.county_name, draft.township_name, draft.code
        stored_v = {v.id: v for v in s.exec(select(Village)).all()}
        stored_g = {g.id: g for g in s.exec(select(VillageGroup)).all()}
        before_v = {v.id: (v.code, v.name, v.kind, v.sort_order) for v in stored_v.values()}
        before_g = {g.id: (g.village_id, g.code, g.name, g.sort_order) for g in stored_g.values()}
        kept_v = {v.id for v in draft.villages if v.id in stored_v}
        kept_g = {g.id for v in draft.villages for g in v.groups if g.id in stored_g}

        gone_g = [stored_g[gid] for gid in set(stored_g) - kept_g]
        for g in gone_g:
            n = _households_in_groups(s, [g.id])
            if n:
                raise UnitInUse("group", f"{stored_v[g.village_id].name}{g.name}", n)
            s.delete(g)
        s.flush()
        # Park every stored code and name, so renames, swaps and reuse of a removed unit's code all pass
        # the unique constraints; the final values are set below.
        for v in stored_v.values():
            v.code = v.name = f"~{v.id}"
        for gid in kept_g:
            stored_g[gid].code = stored_g[gid].name = f"~{gid}"
        s.flush()
        for i, vd in enumerate(draft.villages):
            if vd.id in stored_v:
                village = stored_v[vd.id]
                village.code, village.name, village.kind, village.sort_order = vd.code, vd.name, vd.kind, i
                c["villages_updated"] += before_v[vd.id] != (vd.code, vd.name, vd.kind, i)
            else:
                village = Village(code=vd.code, name=vd.name, kind=vd.kind, sort_order=i)
                s.add(village)
                s.flush()
                c["villages_added"] += 1
            for j, gd in enumerate(vd.groups):
                if gd.id in stored_g:
                    g = stored_g[gd.id]
                    g.village_id, g.code, g.name, g.sort_order = village.id, gd.code, gd.name, j
                    c["groups_updated"] += before_g[gd.id] != (village.id, gd.code, gd.name, j)
                else:
                    s.add(VillageGroup(village_id=village.id, code=gd.code, name=gd.name, sort_order=j))
                    c["groups_added"] += 1
        s.flush()
        for vid in set(stored_v) - kept_v:
            s.delete(stored_v[vid])
        c["villages_removed"] = len(set(stored_v) - kept_v)
        c["groups_removed"] = len(gone_g)
    return UnitsChanged(**c)


def set_idle_lock_minutes(db: Database, minutes: int) -> None:
    require(db, Permission.SETTINGS)
    if not 1 <= int(minutes) <= 120:
        raise ValidationFailed([Problem("idle_lock_minutes", "out_of_range", {"min": 1, "max": 120})])
    with db.session() as s:
        t = s.exec(select(Township)).first()
        if t is None:
            raise NotSetUp()
        t.idle_lock_minutes = int(minutes)


@dataclass(frozen=True)
class AftercareRules:
    required_roles: tuple[str, ...]  # a group is 帮教落实 with these roles (and one 第一责任人)
    talk_interval_days: int  # a case with no talk for longer is flagged
    term_years: int  # the default term of a new case


def aftercare_rules(db: Database) -> AftercareRules:
    require(db, Permission.READ)
    with db.session() as s:
        t = s.exec(select(Township)).first()
        if t is None:
            raise NotSetUp()
        roles = tuple(r for r in t.aftercare_required_roles.split(",") if r)
        return AftercareRules(roles, t.talk_interval_days, t.aftercare_term_years)


def set_aftercare_rules(db: Database, rules_: AftercareRules) -> None:
    """The county's rules for the township's aftercare: which roles make a group complete, how often talks are
    due, the default term. Open cases are judged by the new rules at once; each case keeps its own term."""
    from desktop.errors import choice
    from desktop.models.enums import MemberRole

    require(db, Permission.SETTINGS)
    problems = []
    known = [r.value for r in MemberRole]
    if not rules_.required_roles:
        problems.append(Problem("required_roles", "required", {}))
    problems += [choice("required_roles", r, known) for r in rules_.required_roles if r not in known]
    if not 1 <= int(rules_.talk_interval_days) <= 365:
        problems.append(Problem("talk_interval_days", "out_of_range", {"min": 1, "max": 365}))
    if not 1 <= int(rules_.term_years) <= 10:
        problems.append(Problem("term_years", "out_of_range", {"min": 1, "max": 10}))
    if problems:
        raise ValidationFailed(problems)
    with db.session() as s:
        t = s.exec(select(Township)).first()
        if t is None:
            raise NotSetUp()
        # stored in the vocabulary's order, so the same rule reads the same however it was ticked
        t.aftercare_required_roles = ",".join(r for r in known if r in rules_.required_roles)
        t.talk_interval_days = int(rules_.talk_interval_days)
        t.aftercare_term_years = int(rules_.term_years)


def urine_place(db: Database) -> str:
    """Where the notices send people to be tested, as set ("" until set: the notices then name the township's
    police station)."""
    require(db, Permission.READ)
    with db.session() as s:
        t = s.exec(select(Township)).first()
        return t.urine_place if t else ""


def set_urine_place(db: Database, place: str) -> None:
    """The place printed on notices issued from now on; issued notices keep theirs."""
    from desktop.models.units import clean

    require(db, Permission.SETTINGS)
    place = clean(place)
    if len(place) > 40:
        raise ValidationFailed([Problem("urine_place", "too_long", {"max": 40})])
    with db.session() as s:
        t = s.exec(select(Township)).first()
        if t is None:
            raise NotSetUp()
        t.urine_place = place
