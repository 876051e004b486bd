"""The township's side: 导出到县 writes one bundle onto the stick, 导入回执 reads the county's receipt back.

A bundle carries every record new or changed since the last bundle the county acknowledged (the first, or a
forced full export, carries everything), the ids deleted since, and the audit entries since that bundle's
audit head, so the county can check that the trail continues the chain it already holds."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import select

from desktop import audit
from desktop import db as store
from desktop.db import Database
from desktop.errors import ExchangeRefused, FileProblem
from desktop.exchange import rows, sealed
from desktop.exchange.keys import private_keys
from desktop.models.tables import ExchangeSent
from desktop.services.auth import Permission, require

BUNDLE_SUFFIX, RECEIPT_SUFFIX = ".wudu-bundle", ".wudu-receipt"
REGISTERS = (  # what the manifest counts, in the clear, per register
    ("persons", "SELECT count(*) FROM person WHERE state = '在册'"),
    ("key_persons", "SELECT count(*) FROM drug_file"),
    ("aftercare_cases", "SELECT count(*) FROM aftercare_case"),
    ("urine_notices", "SELECT count(*) FROM urine_notice"),
    ("agreements", "SELECT count(*) FROM agreement"),
)
BY_VILLAGE = """
SELECT v.code, v.name, count(p.id), count(f.id)
FROM village v
LEFT JOIN village_group g ON g.village_id = v.id
LEFT JOIN household h ON h.group_id = g.id
LEFT JOIN person p ON p.household_id = h.id AND p.state = '在册'
LEFT JOIN drug_file f ON f.person_id = p.id
GROUP BY v.id ORDER BY v.sort_order, v.id
"""


@dataclass(frozen=True)
class Exported:
    path: Path
    seq: int
    base_seq: int
    changed: int
    deleted: int
    audit_entries: int
    size: int


def _acknowledged(s) -> ExchangeSent | None:
    query = select(ExchangeSent).where(ExchangeSent.acknowledged_at.is_not(None))
    return s.exec(query.order_by(ExchangeSent.seq.desc())).first()


def _counts(conn) -> dict:
    registers = {name: conn.execute(sql).fetchone()[0] for name, sql in REGISTERS}
    villages = [list(r) for r in conn.execute(BY_VILLAGE)]
    return {"registers": registers, "villages": villages}


def export(
    db: Database,
    folder: Path,
    *,
    full: bool = False,
    after: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> Exported:
    """`after`: number this bundle after the county's last one (a township PC restored from an older backup
    starts below what the county holds; the county's refusal names the number)."""
    require(db, Permission.EXCHANGE)
    step = progress or (lambda done, total: None)
    folder = Path(folder)
    if not folder.is_dir():
        raise FileProblem(folder, "not_a_folder" if folder.exists() else "no_folder")
    keys = private_keys(db)
    if keys.role != "township" or not keys.county_recipient:
        raise ExchangeRefused("no_county_key")
    with db.session() as s:
        ack = None if full else _acknowledged(s)
        last = s.exec(select(ExchangeSent).order_by(ExchangeSent.seq.desc())).first()
        written = s.exec(
            select(ExchangeSent).where(ExchangeSent.status == "written").order_by(ExchangeSent.seq.desc())
        ).first()
        base_state = rows.unpack_state(ack.state) if ack else {}
        base = (ack.seq, ack.bundle_hash, ack.audit_head_id) if ack else (0, "", 0)
        prev = (written.seq, written.bundle_hash) if written else (0, "")
        seq = max(last.seq if last else 0, after) + 1
    step(1, 5)
    conn = store.connect_raw(db.path, db.key, readonly=True)
    try:
        conn.execute("BEGIN")  # one snapshot: the records, the counts and the audit head agree
        snap = rows.read_snapshot(conn, audit_after=base[2])
        counts = _counts(conn)
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    step(2, 5)
    tables = rows.changes(snap, base_state)
    body = {"format": 1, "tables": tables, "audit": {"columns": list(rows.AUDIT_COLUMNS), "rows": snap.audit}}
    import pyrage
    from pyrage import x25519

    plain = zlib.compress(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)
    payload = pyrage.encrypt(plain, [x25519.Recipient.from_str(keys.county_recipient)])
    del plain, body
    step(3, 5)
    changed = {t: len(v["rows"]) for t, v in tables.items() if v["rows"]}
    deleted = {t: len(v["deleted"]) for t, v in tables.items() if v["deleted"]}
    manifest = {
        "kind": "bundle",
        "format": 1,
        "county": keys.county_name,
        "township": keys.township_name,
        "signer": sealed.fingerprint(sealed.public_of(keys.sign_key)),
        "recipient": sealed.fingerprint(keys.county_sign_key, keys.county_recipient),
        "seq": seq,
        "base_seq": base[0],
        "base_hash": base[1],
        "prev_seq": prev[0],
        "prev_hash": prev[1],
        "full": base[0] == 0,
        "created_at": dt.datetime.now().isoformat(timespec="seconds"),
        "schema": store.SCHEMA_HEAD,
        "changed": changed,
        "deleted": deleted,
        "counts": counts,
        "audit": {
            "after": base[2],
            "entries": len(snap.audit),
            "head_id": snap.audit_head[0],
            "head_hash": snap.audit_head[1],
        },
    }
    data = sealed.seal(sealed.BUNDLE_MAGIC, manifest, keys.sign_key, payload)
    digest = hashlib.sha256(data).hexdigest()
    target = folder / sealed.file_name(keys.township_name, "报县数据", seq, BUNDLE_SUFFIX)
    with db.session() as s:  # kept before the file exists: a kill after the rename still knows its hash
        sent = ExchangeSent(
            seq=seq,
            base_seq=base[0],
            bundle_hash=digest,
            file_name=target.name,
            status="writing",
            state=rows.pack_state(snap.state()),
            audit_head_id=snap.audit_head[0],
            audit_head_hash=snap.audit_head[1],
        )
        s.add(sent)
    step(4, 5)
    try:
        sealed.write_verified(
            target, data, sealed.BUNDLE_MAGIC, sealed.public_of(keys.sign_key), db.path.parent
        )
    except BaseException as exc:
        with db.session() as s:
            row = s.exec(select(ExchangeSent).where(ExchangeSent.seq == seq)).one()
            row.status = "failed"
            s.add(row)
            detail = f"第{seq}号 {target}：{type(exc).__name__}"
            audit.record(s, [audit.Change("export_failed", "exchange_sent", row.id, detail=detail)])
        raise
    with db.session() as s:
        row = s.exec(select(ExchangeSent).where(ExchangeSent.seq == seq)).one()
        row.status = "written"
        s.add(row)
        detail = (
            f"报县数据包第{seq}号（{'全部' if base[0] == 0 else f'第{base[0]}号之后的变动'}）：{target}，"
            f"{sum(changed.values())}条记录，删除{sum(deleted.values())}条，审计记录{len(snap.audit)}条"
        )
        audit.record(s, [audit.Change("export", "exchange_sent", row.id, detail=detail)])
    step(5, 5)
    return Exported(
        target, seq, base[0], sum(changed.values()), sum(deleted.values()), len(snap.audit), len(data)
    )


@dataclass(frozen=True)
class ReceiptTaken:
    seq: int
    already: bool
    audit_flag: str  # '' or the county's finding about this township's audit trail


def import_receipt(db: Database, path: Path) -> ReceiptTaken:
    """The county's signed receipt for one of our bundles: from then on, exports carry only what is newer."""
    require(db, Permission.EXCHANGE)
    data = sealed.read_small(Path(path))
    try:
        opened = sealed.open_sealed(data, sealed.RECEIPT_MAGIC)  # what the file is, before whose it is
        keys = private_keys(db)
        if keys.role != "township" or not keys.county_sign_key:
            raise ExchangeRefused("no_county_key")
        opened.verify(keys.county_sign_key)
    except ExchangeRefused as exc:
        raise ExchangeRefused(exc.reason, Path(path), **exc.params) from None
    m = opened.manifest
    own = sealed.fingerprint(sealed.public_of(keys.sign_key))
    if m.get("kind") != "receipt" or m.get("township_fp") != own:
        raise ExchangeRefused("receipt_not_ours", Path(path))
    with db.session() as s:
        row = s.exec(select(ExchangeSent).where(ExchangeSent.seq == m.get("seq"))).first()
        if row is None or row.bundle_hash != m.get("bundle_hash"):
            raise ExchangeRefused("receipt_unknown_bundle", Path(path), seq=m.get("seq"))
        ack = _acknowledged(s)
        if ack is not None and ack.seq >= row.seq:
            return ReceiptTaken(row.seq, True, m.get("audit_problem", ""))
        row.acknowledged_at = dt.datetime.now().replace(microsecond=0)
        row.status = "written"  # the county has it, whatever a kill left in our bookkeeping
        s.add(row)
        for older in s.exec(select(ExchangeSent).where(ExchangeSent.seq < row.seq)).all():
            older.state = b""  # only the newest acknowledged state is ever compared against again
            s.add(older)
        detail = f"县禁毒办已于{m.get('imported_at', '')}收到第{row.seq}号数据包"
        audit.record(s, [audit.Change("receipt_import", "exchange_sent", row.id, detail=detail)])
    return ReceiptTaken(row.seq, False, m.get("audit_problem", ""))


MAX_BUNDLE = 2 << 30
