"""The township's admin units as plain drafts, and the rules they must satisfy.

Drafts are what a form edits and what `wudu init` builds; `problems()` lists every rule a draft breaks
(as data: field path, reason key, params), so the form can mark each field and the CLI can print them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop.errors import Problem
from desktop.models.enums import VillageKind

NAME_MAX = 30
TOWNSHIP_CODE = re.compile(r"^(\d{9}|\d{12})$")
VILLAGE_CODE = re.compile(r"^\d{1,12}$")
GROUP_CODE = re.compile(r"^\d{1,4}$")


@dataclass
class GroupDraft:
    code: str
    name: str
    id: int | None = None


@dataclass
class VillageDraft:
    code: str
    name: str
    kind: str = VillageKind.VILLAGE.value
    groups: list[GroupDraft] = field(default_factory=list)
    id: int | None = None


@dataclass
class TownshipDraft:
    county_name: str
    township_name: str
    code: str = ""
    villages: list[VillageDraft] = field(default_factory=list)


def clean(text: str) -> str:
    """Trim, and fold full-width digits and spaces (clerks type with a Chinese input method)."""
    import unicodedata

    return unicodedata.normalize("NFKC", text or "").strip()


def _name_problems(path: str, value: str, params: dict) -> list[Problem]:
    if not value:
        return [Problem(path, "required", params)]
    if len(value) > NAME_MAX:
        return [Problem(path, "too_long", {**params, "max": NAME_MAX})]
    return []


def _code_problems(path: str, value: str, pattern: re.Pattern, fmt: str, params: dict) -> list[Problem]:
    if not value:
        return [Problem(path, "required", params)]
    if not pattern.match(value):
        return [Problem(path, "code_format", {**params, "format": fmt, "value": value})]
    return []


def normalise(draft: TownshipDraft) -> TownshipDraft:
    return TownshipDraft(
        county_name=clean(draft.county_name),
        township_name=clean(draft.township_name),
        code=clean(draft.code),
        villages=[
            VillageDraft(
                code=clean(v.code),
                name=clean(v.name),
                kind=clean(v.kind),
                id=v.id,
                groups=[GroupDraft(code=clean(g.code), name=clean(g.name), id=g.id) for g in v.groups],
            )
            for v in draft.villages
        ],
    )


def problems(draft: TownshipDraft, *, need_villages: bool = True) -> list[Problem]:
    """Every rule the (normalised) draft breaks, in form order."""
    out: list[Problem] = []
    out += _name_problems("county_name", draft.county_name, {})
    out += _name_problems("township_name", draft.township_name, {})
    if draft.code and not TOWNSHIP_CODE.match(draft.code):
        out.append(Problem("code", "code_format", {"format": "9位或12位数字", "value": draft.code}))
    if need_villages and not draft.villages:
        out.append(Problem("villages", "no_villages", {}))
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for i, v in enumerate(draft.villages):
        vp = f"villages[{i}]"
        ctx = {"village": v.name or f"第{i + 1}个村（社区）"}
        if v.kind not in {k.value for k in VillageKind}:
            out.append(Problem(f"{vp}.kind", "kind_unknown", {**ctx, "value": v.kind}))
        out += _code_problems(f"{vp}.code", v.code, VILLAGE_CODE, "1至12位数字", ctx)
        out += _name_problems(f"{vp}.name", v.name, ctx)
        if v.code and v.code in seen_codes:
            out.append(Problem(f"{vp}.code", "duplicate", {**ctx, "value": v.code}))
        if v.name and v.name in seen_names:
            out.append(Problem(f"{vp}.name", "duplicate", {**ctx, "value": v.name}))
        seen_codes.setdefault(v.code, i)
        seen_names.setdefault(v.name, i)
        g_codes: set[str] = set()
        g_names: set[str] = set()
        for j, g in enumerate(v.groups):
            gp = f"{vp}.groups[{j}]"
            gctx = {**ctx, "group": g.name or f"第{j + 1}个小组"}
            out += _code_problems(f"{gp}.code", g.code, GROUP_CODE, "1至4位数字", gctx)
            out += _name_problems(f"{gp}.name", g.name, gctx)
            if g.code and g.code in g_codes:
                out.append(Problem(f"{gp}.code", "duplicate", {**gctx, "value": g.code}))
            if g.name and g.name in g_names:
                out.append(Problem(f"{gp}.name", "duplicate", {**gctx, "value": g.name}))
            g_codes.add(g.code)
            g_names.add(g.name)
    return out
