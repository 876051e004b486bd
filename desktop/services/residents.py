"""The residents register as a list: ids in register order, and the rows for a page of ids.

The register holds tens of thousands of rows (a county, hundreds of thousands): the view keeps only the ids
and asks for the rows it shows (STYLE.md, 'Large registers'). ID numbers leave this service masked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import text

from desktop import audit
from desktop.db import Database
from desktop.models.idnumber import mask
from desktop.services.auth import Permission, require


class ResidentRow(NamedTuple):  # a tuple: a page is 200 of them, made each time the list scrolls to a new one
    id: int
    name: str
    id_number_masked: str
    sex: str
    birth_month: str  # "1985-03": the day would let a masked ID number be rebuilt (idnumber.mask)
    village: str
    group: str
    residence_type: str
    phone: str
    drug_status: str  # current key-population status, "" for most residents


# The register order. The tie-breakers (v.id, g.id, h.id) let SQLite prove the order from the indexes
# (migration 0004), so walking villages → groups → households → persons in ORDERED_FROM needs no sort at all.
ORDER = "v.sort_order, v.id, g.sort_order, g.id, h.number, h.id, p.id"
FROM = """
    FROM person p
    JOIN household h ON h.id = p.household_id
    JOIN village_group g ON g.id = h.group_id
    JOIN village v ON v.id = g.village_id
"""
SEARCH_ORDER = "p.name, p.id"
# Digits with the right to see whole numbers: the full-text index drives, in the order people were registered,
# so the first page of "4305" (everyone's area code) is its first rows, not 800,000 hits collected first.
NUMBERS_FROM = """
    FROM person_number_grams
    CROSS JOIN person p ON p.id = person_number_grams.rowid
    JOIN household h ON h.id = p.household_id
    JOIN village_group g ON g.id = h.group_id
    JOIN village v ON v.id = g.village_id
"""
NUMBERS_MATCH = "person_number_grams MATCH :grams"


def source_for(where: str, default: str) -> str:
    """The FROM clause a filter's SQL needs: NUMBERS_FROM when it matches digits in the index itself."""
    return NUMBERS_FROM if NUMBERS_MATCH in where else default


# CROSS JOIN fixes SQLite's join order to the register order; used unless search text is better driven by the
# name index.
ORDERED_FROM = """
    FROM village v
    CROSS JOIN village_group g ON g.village_id = v.id
    CROSS JOIN household h ON h.group_id = g.id
    CROSS JOIN person p ON p.household_id = h.id
"""


def ordered_from(conn) -> str:
    """ORDERED_FROM in the words of the connection's database: CROSS JOIN … ON is SQLite's alone (a township's
    records read at the county on a PostgreSQL server take plain joins, which its planner orders itself)."""
    return ORDERED_FROM if conn.dialect.name == "sqlite" else ORDERED_FROM.replace("CROSS JOIN", "JOIN")


# Register columns a clerk can sort by, in the order of the table; the register order breaks ties.
# the current key-population status of p ('' for most residents): the latest history entry
CURRENT_STATUS = (
    "(SELECT e.status FROM drug_file f JOIN drug_status_entry e ON e.file_id = f.id "
    "WHERE f.person_id = p.id ORDER BY e.since DESC, e.id DESC LIMIT 1)"
)
SORT_KEYS = (
    "p.name",
    "p.id_number",
    "p.sex",
    "p.birth_date",
    "v.sort_order",
    "g.sort_order",
    "p.residence_type",
    "p.phone",
    f"coalesce({CURRENT_STATUS}, '')",
)
# Without the right to see full numbers, the ID and birth columns sort by what the list shows, or the order of
# the rows would tell the hidden digits and the birth day one comparison at a time.
MASKED_SORT_KEYS = {
    1: ("substr(p.id_number, 1, 6)", "substr(p.id_number, 17, 2)"),
    3: ("substr(p.birth_date, 1, 7)",),
}
ID_OR_PHONE = re.compile(r"^[0-9X]{3,18}$")
INITIALS = re.compile(r"^[A-Z]{1,8}$")


@dataclass(frozen=True)
class ResidentFilter:
    text: str = ""  # a name (prefix, or part of it), or 3+ digits of an ID number or a phone
    village_id: int | None = None
    group_id: int | None = None
    residence_type: str = ""
    key_only: bool = False  # only people with a key-population file
    state: str = "在册"  # 在册 / 迁出 / 死亡, or "" for everyone ever registered


def _glob_escape(text: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in text)


SEARCH_TABLES = ("person_name_grams", "person_number_grams")  # SQLite's full-text indexes (migration 0016)


def search_text(flt: ResidentFilter) -> str:
    return unicodedata.normalize("NFKC", flt.text or "").strip().replace(" ", "").upper()


def search_kind(text: str) -> str:
    """'' (no search), 'digits' (of an ID number or a phone), 'initials' (pinyin) or 'name'."""
    if not text:
        return ""
    if ID_OR_PHONE.match(text):
        return "digits"
    return "initials" if INITIALS.match(text) else "name"


def search_order(flt: ResidentFilter, dialect: str) -> str:
    """How a search lists, chosen so that its first page is read off an index instead of sorting every hit:
    names by name; pinyin initials by initials, then name; digits in the order people were registered."""
    kind = search_kind(search_text(flt))
    if dialect != "sqlite" or kind == "name":
        return SEARCH_ORDER
    return {"digits": "p.id", "initials": "p.name_initials, p.name, p.id"}[kind]  # p.id: the index's rowid


def _phrase(text: str) -> str:
    """`text` as one phrase of an FTS5 query."""
    return '"' + text.replace('"', '""') + '"'


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(flt: ResidentFilter, may_see_ids: bool, dialect: str = "sqlite") -> tuple[str, dict]:
    """The filter as SQL. GLOB (case-sensitive, uses SQLite's indexes) is SQLite's own: elsewhere (a township's
    records at the county on PostgreSQL) the same prefixes are LIKE patterns."""
    clauses, params = [], {}
    if flt.state:
        clauses.append("p.state = :state")
        params["state"] = flt.state
    text = search_text(flt)
    fts = dialect == "sqlite"  # the search indexes of migration 0016
    kind = search_kind(text)
    if kind == "digits":
        params["like"] = f"%{text}%"
        numbers = "p.id IN (SELECT rowid FROM person_number_grams WHERE person_number_grams MATCH :grams)"
        if may_see_ids:
            clauses.append(NUMBERS_MATCH if fts else "(p.id_number LIKE :like OR p.phone LIKE :like)")
            params["grams"] = _phrase(text)
        else:
            # searching fragments would reveal the masked digits one guess at a time: a full number only
            clauses.append(
                f"(p.id_number = :exact OR {numbers})"
                if fts
                else "(p.id_number = :exact OR p.phone LIKE :like)"
            )
            params["exact"] = text
            params["grams"] = "phone : " + _phrase(text)
    elif kind == "initials":
        # letters: pinyin initials ('ZS' finds 张三, 张帅…), by the initials' index
        if fts:
            clauses.append("p.name_initials GLOB :initials")
            params["initials"] = text + "*"
        else:
            clauses.append("p.name_initials LIKE :initials")
            params["initials"] = text + "%"
    elif kind == "name" and len(text) == 1:
        # one character: the names that start with it, a range of the name index
        if fts:
            clauses.append("p.name GLOB :prefix")
            params["prefix"] = _glob_escape(text) + "*"
        else:
            clauses.append("p.name LIKE :prefix ESCAPE '\\'")
            params["prefix"] = _like_escape(text) + "%"
    elif kind == "name":
        # two characters or more, anywhere in the name: looked up by its two-character pieces
        params["part"] = f"%{text}%"
        if fts and text.isalnum():
            grams = " AND ".join(_phrase(text[i : i + 2]) for i in range(len(text) - 1))
            clauses.append(
                "p.id IN (SELECT rowid FROM person_name_grams WHERE person_name_grams MATCH :grams)"
            )
            params["grams"] = grams
        clauses.append("p.name LIKE :part")
    if flt.village_id is not None:
        clauses.append("g.village_id = :village_id")
        params["village_id"] = flt.village_id
    if flt.group_id is not None:
        clauses.append("g.id = :group_id")
        params["group_id"] = flt.group_id
    if flt.residence_type:
        clauses.append("p.residence_type = :residence_type")
        params["residence_type"] = flt.residence_type
    if flt.key_only:
        clauses.append("EXISTS (SELECT 1 FROM drug_file f WHERE f.person_id = p.id)")
    return " AND ".join(clauses) or "1", params


def resident_ids(
    db: Database,
    flt: ResidentFilter | None = None,
    *,
    sort_column: int | None = None,
    descending: bool = False,
    limit: int | None = None,
) -> list[int]:
    """The ids of the residents the filter selects, in register order or by a column; `limit` gives a first
    page at once (the window shows it, then loads the rest)."""
    actor = require(db, Permission.READ)
    flt = flt or ResidentFilter()
    may_see_ids = actor.may(Permission.VIEW_FULL_ID)
    key = (SORT_KEYS[sort_column],) if sort_column is not None and sort_column < len(SORT_KEYS) else None
    if key and not may_see_ids:
        key = MASKED_SORT_KEYS.get(sort_column, key)
    searching = bool(flt.text.strip())
    if key:
        direction = "DESC" if descending else "ASC"
        order = ", ".join(f"{k} {direction}" for k in key) + f", {ORDER}"
    else:
        order = None  # a search's own order (search_order), chosen with the connection below
    with db.read() as conn:
        where, params = _where(flt, may_see_ids, conn.dialect.name)
        if limit is not None:
            params["limit"] = int(limit)
        source = source_for(where, FROM if key or searching else ordered_from(conn))
        order = order or (search_order(flt, conn.dialect.name) if searching else ORDER)
        if source == NUMBERS_FROM and order == "p.id":
            order = "person_number_grams.rowid"  # the same order, which SQLite then reads off the index
        sql = f"SELECT p.id {source} WHERE {where} ORDER BY {order}" + (
            " LIMIT :limit" if limit is not None else ""
        )
        result = conn.execute(text(sql), params).scalars()
        # a page in one fetch; the whole register streamed (800,000 ids are not held twice)
        found = result.all() if limit is not None else list(result)
    trail = db.audit_into if db.read_only else db  # a township's records at the county: the county's trail
    if "exact" in params and len(params["exact"]) == 18 and trail is not None:
        # a whole number looked up by someone who may not see whole numbers: who looked for whom is recorded
        whose = f"（{db.audit_label}的登记）" if db.read_only else ""
        with trail.session() as s:
            audit.record(
                s,
                [
                    audit.Change(
                        "id_lookup",
                        "person",
                        detail=f"按完整身份证号码查找 {mask(params['exact'])}{whose}：{len(found)}人",
                    )
                ],
            )
    return found


def resident_count(db: Database, flt: ResidentFilter | None = None) -> int:
    actor = require(db, Permission.READ)
    with db.read() as conn:
        where, params = _where(flt or ResidentFilter(), actor.may(Permission.VIEW_FULL_ID), conn.dialect.name)
        return conn.execute(
            text(f"SELECT count(*) {source_for(where, FROM)} WHERE {where}"), params
        ).scalar_one()


def groups(db: Database, village_id: int) -> list[tuple[int, str]]:
    require(db, Permission.READ)
    with db.read() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text("SELECT id, name FROM village_group WHERE village_id = :v ORDER BY sort_order, id"),
                {"v": village_id},
            )
        ]


def villages(db: Database) -> list[tuple[int, str]]:
    require(db, Permission.READ)
    with db.read() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT id, name FROM village ORDER BY sort_order, id"))]


def village_named(db: Database, name: str) -> int:
    """The id of the village (community) called `name`; refused in the clerk's words when there is none."""
    from desktop.errors import Problem, ValidationFailed

    found = [vid for vid, v in villages(db) if v == name.strip()]
    if not found:
        raise ValidationFailed([Problem("village", "unknown_village", {"value": name})])
    return found[0]


def rows_sql(ids: list[int]) -> str:
    """What the register shows of these residents (the benchmark times it raw as the page's baseline)."""
    placeholders = ",".join(str(int(i)) for i in ids)
    return f"""
        SELECT p.id, p.name, p.id_number, p.sex, p.birth_date, v.name, g.name, p.residence_type, p.phone,
               {CURRENT_STATUS}
        {FROM} WHERE p.id IN ({placeholders})
    """


def resident_rows(db: Database, ids: list[int]) -> dict[int, ResidentRow]:
    require(db, Permission.READ)
    if not ids:
        return {}
    with db.read() as conn:
        cursor = conn.connection.dbapi_connection.cursor()  # the driver's own rows: nothing made per value
        cursor.execute(rows_sql(ids))  # no parameters: the ids are written in as integers
        rows = cursor.fetchall()
    new = tuple.__new__  # a ResidentRow without its Python-level __new__
    return {
        r[0]: new(
            ResidentRow, (r[0], r[1], mask(r[2]), r[3], str(r[4])[:7], r[5], r[6], r[7], r[8], r[9] or "")
        )
        for r in rows
    }


def full_id_number(db: Database, person_id: int) -> str:
    """The unmasked ID number of one person: a deliberate act, allowed to some roles, and audited."""
    require(db, Permission.VIEW_FULL_ID)
    with db.session() as s:
        number = s.execute(
            text("SELECT id_number FROM person WHERE id = :id"), {"id": person_id}
        ).scalar_one()
        audit.record(s, [audit.Change("view_full_id", "person", person_id)])
    return number
