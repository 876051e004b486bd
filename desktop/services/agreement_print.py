"""What the 责任书 print: each agreement with the exact text of the template version it was generated with and
the parties' names as they were, so it prints the same years later; a village's batch in group and 户号 order.
Printing marks drafts 已打印 and is in the audit trail."""

from __future__ import annotations

import datetime as dt
import json

from sqlmodel import select

from desktop import audit
from desktop.db import Database
from desktop.models import Agreement, AgreementTemplate
from desktop.models.enums import AgreementState
from desktop.pdf import agreement_docs as docs
from desktop.services import agreement_register, agreements
from desktop.services.auth import Permission, require

SIGNERS = {
    "household": ("乙方（户主）", "签字（捺印）"),
    "place": ("乙方（经营者）", "签字（盖章）"),
    "unit": ("乙方（单位盖章）", "负责人签字"),
}


def _paper(a: Agreement, t: AgreementTemplate) -> docs.AgreementPaper:
    values = json.loads(a.details or "{}") | {"甲方": a.first_party, "乙方": a.second_party}
    body = agreements.render(t.body, values)
    return docs.AgreementPaper(
        agreements.number(a),
        agreements.ascii_number(a),
        agreements.render(t.title, values),
        a.first_party,
        a.second_party,
        tuple(line.strip() for line in body.splitlines() if line.strip()),
        printing=a.prints + 1,
        second_sign=SIGNERS.get(a.party_kind, ("乙方（盖章）", "代表签字")),
    )


def papers(db: Database, agreement_ids: list[int]) -> list[docs.AgreementPaper]:
    """The agreements as they print, in the order given (voided ones left out)."""
    require(db, Permission.READ)
    with db.session() as s:
        found = {}
        for start in range(0, len(agreement_ids), 900):
            chunk = agreement_ids[start : start + 900]
            found |= {a.id: a for a in s.exec(select(Agreement).where(Agreement.id.in_(chunk))).all()}
        template_ids = {a.template_id for a in found.values()}
        texts = {
            t.id: t for t in s.exec(select(AgreementTemplate).where(AgreementTemplate.id.in_(template_ids)))
        }
        return [
            _paper(found[i], texts[found[i].template_id])
            for i in agreement_ids
            if i in found and found[i].state != AgreementState.VOID.value
        ]


def text_of(db: Database, agreement_id: int) -> str:
    """The agreement's printed words (title, parties, clauses), as one text."""
    (p,) = papers(db, [agreement_id])
    return "\n".join((p.title, f"甲方：{p.first_party}", f"乙方：{p.second_party}", *p.clauses))


def print_agreements(db: Database, agreement_ids: list[int], *, today: dt.date | None = None) -> bytes:
    """The agreements in one PDF; drafts become 已打印, every printing counted and audited."""
    require(db, Permission.PRINT)
    made = papers(db, agreement_ids)
    data = docs.build_agreements(made)
    agreements.mark_printed(db, agreement_ids, today=today)
    with db.session() as s:
        detail = (
            f"责任书{len(made)}份："
            + "、".join(p.number for p in made[:20])
            + ("……" if len(made) > 20 else "")
        )
        audit.record(s, [audit.Change("print", "agreement", None, detail=detail)])
    return data


def batch(db: Database, year: int, *, village_id: int | None = None, kind: str | None = None) -> list[int]:
    """A village's (or the township's) agreements of the year in group and 户号 order, voided ones left out."""
    rows = agreement_register.rows(db, year, kind=kind, village_id=village_id)
    return [r.agreement_id for r in rows if r.state != AgreementState.VOID.value]
