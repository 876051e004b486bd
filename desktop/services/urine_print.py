"""What the 尿检 papers print: notices with their receipts (in village and name order, each printing counted so a
reprint says 第N次打印) and the 告诫书 for a no-show. Every print is in the audit trail. The papers carry the
masked ID number only: a notice is handed over, and may be lost on the way."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from desktop import audit
from desktop.db import Database
from desktop.models import AftercareCase, UrineNotice
from desktop.models.enums import NoticeState, UrineResult
from desktop.pdf import urine_docs as docs
from desktop.services import urine, urine_register
from desktop.services.auth import Permission, require


def _authority(db: Database) -> str:
    info = db.township()
    return f"{info.township_name}禁毒办" if info else "禁毒办"


def notices_pdf(db: Database, notice_ids: list[int]) -> bytes:
    """The notices (voided ones left out), one page each, in village and name order; counts each printing."""
    require(db, Permission.PRINT)
    authority = _authority(db)
    with db.session() as s:
        notices = [
            n
            for n in s.exec(select(UrineNotice).where(UrineNotice.id.in_(list(notice_ids)))).all()
            if n.state != NoticeState.VOID.value
        ]
        people = urine_register.people_of(s, {n.case_id for n in notices})
        bases = dict(s.exec(select(AftercareCase.id, AftercareCase.basis).where(
            AftercareCase.id.in_([n.case_id for n in notices])
        )).all())  # fmt: skip
        notices.sort(key=lambda n: (people[n.case_id].village, people[n.case_id].name, n.window_from))
        papers = []
        for n in notices:
            n.prints += 1
            p = people[n.case_id]
            papers.append(
                docs.NoticePaper(
                    urine.number(n),
                    urine.ascii_number(n),
                    p.name,
                    p.id_masked,
                    bases[n.case_id],
                    n.interval_months,
                    n.window_from,
                    n.window_to,
                    n.place,
                    authority,
                    n.issued_on,
                    n.prints,
                )  # fmt: skip
            )
        audit.record(
            s,
            [audit.Change("print", "urine_notice", None, detail=f"尿检通知书{len(papers)}份："
                          + "、".join(p.number for p in papers[:20]) + ("……" if len(papers) > 20 else ""))],
        )  # fmt: skip
    return docs.build_notices(papers)


def warning_letter(db: Database, notice_id: int, *, today: dt.date | None = None) -> bytes:
    """告诫书 for a notice whose result is 未到."""
    require(db, Permission.PRINT)
    today = today or dt.date.today()
    with db.session() as s:
        n = s.get(UrineNotice, notice_id)
        if n is None or n.result != UrineResult.NO_SHOW.value:
            raise urine.NoticeNotFound(str(notice_id))
        p = urine_register.people_of(s, [n.case_id])[n.case_id]
        basis = s.get(AftercareCase, n.case_id).basis
        audit.record(s, [audit.Change("print", "urine_notice", n.id, detail=f"告诫书（{urine.number(n)}）")])
    evasions = len(urine_register.case_warnings(db, n.case_id).evasions)
    return docs.build_warning_letter(
        docs.WarningLetter(
            urine.number(n),
            p.name,
            p.id_masked,
            basis,
            n.window_from,
            n.window_to,
            n.place,
            _authority(db),
            today,
            evasions,
        )  # fmt: skip
    )
