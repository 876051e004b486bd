"""What the register prints: the data for each form, gathered in one transaction and recorded in the audit."""

from __future__ import annotations

from sqlalchemy import text

from desktop import audit
from desktop.db import Database
from desktop.errors import NotAKeyPerson
from desktop.models.idnumber import mask
from desktop.pdf import register_forms as forms
from desktop.services import key_persons
from desktop.services.auth import Permission, require
from desktop.services.residents import FROM


def screening_form(db: Database, village_id: int, campaign: str = "") -> bytes:
    """The village's registered residents, household by household, ID numbers masked and births by month (the
    screener checks the person by name, household and the visible digits; the form does not carry numbers that
    could be rebuilt round the village, see idnumber.mask)."""
    require(db, Permission.PRINT)
    with db.session() as s:
        header = s.execute(text("SELECT county_name, township_name FROM township")).one()
        village, kind = s.execute(
            text("SELECT name, kind FROM village WHERE id = :id"), {"id": village_id}
        ).one()
        rows = s.execute(
            text(
                f"SELECT h.number, p.name, p.sex, p.birth_date, p.id_number, p.relation, p.residence_type, p.phone, "
                f"g.name {FROM} WHERE v.id = :id AND p.state = '在册' ORDER BY g.sort_order, g.id, h.number, p.id"
            ),
            {"id": village_id},
        ).all()
        audit.record(
            s, [audit.Change("print", "village", village_id, detail=f"{village}排查登记表，{len(rows)}人")]
        )
    form = forms.ScreeningForm(
        header[0],
        header[1],
        village,
        campaign,
        tuple(
            forms.FormRow(r[0], r[1], r[2], str(r[3])[:7], mask(r[4]), r[5], r[6], r[7], r[8]) for r in rows
        ),
        village_kind=kind,
    )
    return forms.build_screening_form(form)


def person_summary(db: Database, person_id: int) -> bytes:
    """A key person's file summary for the paper file: it needs the full ID number, so printing it is a full-ID
    view as well as a print."""
    require(db, Permission.PRINT)
    require(db, Permission.VIEW_FULL_ID)
    file = key_persons.file_of(db, person_id)
    if file is None:
        # a named paper headed 重点人员档案 would mark someone who is not drug-involved: refused, not printed
        raise NotAKeyPerson(person_id)
    with db.session() as s:
        township = s.execute(text("SELECT county_name || township_name FROM township")).scalar_one()
        p = s.execute(
            text(
                "SELECT p.name, p.sex, p.birth_date, p.id_number, coalesce(h.address, ''), p.phone FROM person p "
                "LEFT JOIN household h ON h.id = p.household_id WHERE p.id = :id"
            ),
            {"id": person_id},
        ).one()
        audit.record(s, [audit.Change("print", "person", person_id, detail="重点人员档案摘要")])
    decision = file.decision_text
    summary = forms.PersonSummary(
        township,
        p[0],
        p[1],
        str(p[2]),
        p[3],
        p[4],
        p[5],
        file.category,
        file.first_found_on.isoformat(),
        decision,
        tuple((e.since.isoformat(), e.status, e.reason) for e in file.history),
    )
    return forms.build_person_summary(summary)
