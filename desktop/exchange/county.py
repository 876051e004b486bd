"""The county's side: import the townships' bundles, write their receipts, and say who reported what.

Each registered township's records are kept apart in a mirror of its own (`townships/NNN.sqlite3` beside the
county's database: the same schema and migrations, encrypted with the county's data key, written only by
this module). A bundle is checked whole — framing, signature against the registered key, addressed to this
county, schema, payload hash, sequence, decryption, structure, audit chain — before a byte is written, then
its records, its audit entries and its import entry go into the mirror in one transaction.
"""

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
from desktop.errors import ExchangeRefused
from desktop.exchange import rows, sealed
from desktop.exchange.export import MAX_BUNDLE, RECEIPT_SUFFIX
from desktop.exchange.keys import private_keys
from desktop.exchange.mirrors import for_county, now_text
from desktop.models.tables import CountyTownship
from desktop.services.auth import Permission, require


@dataclass(frozen=True)
class Imported:
    path: Path
    township: str
    seq: int
    already: bool  # imported before: nothing changed (the receipt is written again)
    changed: int = 0
    deleted: int = 0
    audit_problem: str = ""
    first_bad_audit_id: int | None = None
    receipt: Path | None = None
    receipt_error: str = ""  # the receipt could not be written (a read-only stick): the import stands


def mirrors(db: Database, keys=None):
    """Where this county keeps the townships' records (files beside its database, or a PostgreSQL server)."""
    keys = keys or private_keys(db)
    return for_county(db, keys.records_url)


def _check_audit(entries: list[list], known: dict[int, str], head: tuple[int, str]):
    """(problem, first bad id, the entries to append): whether the township's entries continue the chain the
    county holds. A broken chain appends nothing and flags the township."""
    for i, row in enumerate(entries):
        if len(row) != len(rows.AUDIT_COLUMNS):
            raise ExchangeRefused("damaged")
        if audit.entry_hash(*row[:10]) != row[10]:
            return "altered", row[0], []
        if i and (row[0] != entries[i - 1][0] + 1 or row[9] != entries[i - 1][10]):
            return "chain", row[0], []
    if not entries:
        return "", None, []
    first = entries[0]
    if first[0] > head[0] + 1:
        return "gap", head[0] + 1, []
    expected_prev = audit.GENESIS if first[0] == 1 else known.get(first[0] - 1)
    if first[9] != expected_prev:
        return "chain", first[0], []
    for row in entries:
        if row[0] <= head[0] and known.get(row[0]) != row[10]:
            return "altered", row[0], []
    return "", None, [r for r in entries if r[0] > head[0]]


def _verify(db: Database, data: bytes):
    """Everything that can be checked without writing: returns (registered township, opened bundle)."""
    opened = sealed.open_sealed(data, sealed.BUNDLE_MAGIC)
    m = opened.manifest
    if m.get("kind") != "bundle" or m.get("format") != 1:
        raise ExchangeRefused("not_ours")
    keys = private_keys(db)
    if keys.role != "county":
        raise ExchangeRefused("not_county")
    with db.session() as s:
        town = s.exec(select(CountyTownship).where(CountyTownship.fingerprint == m.get("signer"))).first()
        if town is not None:
            s.expunge(town)
    if town is None:
        raise ExchangeRefused("unknown_township", name=str(m.get("township", ""))[:40])
    opened.verify(town.sign_key)
    from pyrage import x25519

    own = sealed.fingerprint(
        sealed.public_of(keys.sign_key), str(x25519.Identity.from_str(keys.age_identity).to_public())
    )
    if m.get("recipient") != own:
        raise ExchangeRefused("wrong_county")
    schema = str(m.get("schema", ""))
    if schema != store.SCHEMA_HEAD:
        newer = schema > store.SCHEMA_HEAD  # revisions are zero-padded numbers
        raise ExchangeRefused(
            "schema_newer" if newer else "schema_older", found=schema, ours=store.SCHEMA_HEAD
        )
    return town, opened, keys


def _decrypt(opened: sealed.Opened, age_identity: str) -> dict:
    import pyrage
    from pyrage import x25519

    try:
        plain = pyrage.decrypt(opened.payload, [x25519.Identity.from_str(age_identity)])
        body = json.loads(zlib.decompress(plain).decode("utf-8"))
    except pyrage.DecryptError:
        raise ExchangeRefused("wrong_county") from None
    except (zlib.error, UnicodeDecodeError, ValueError):
        raise ExchangeRefused("damaged") from None
    if not isinstance(body, dict) or body.get("format") != 1 or not isinstance(body.get("tables"), dict):
        raise ExchangeRefused("damaged")
    return body


def _check_tables(body: dict) -> list[str]:
    """The bundle's tables against this program's schema: only known tables and columns, rows of the right
    length, deleted rows named by integer keys."""
    from sqlmodel import SQLModel

    order = rows.exported_tables()
    for name, part in body["tables"].items():
        if name not in order or not isinstance(part, dict):
            raise ExchangeRefused("damaged")
        expected = [c.name for c in SQLModel.metadata.tables[name].columns]
        columns = part.get("columns")  # in the township's file's order, which migrations may have changed
        if not isinstance(columns, list) or sorted(columns) != sorted(expected):
            raise ExchangeRefused("damaged")
        if not all(isinstance(r, list) and len(r) == len(expected) for r in part["rows"]):
            raise ExchangeRefused("damaged")
        width = len(rows.primary_key(name))
        gone = part.get("deleted", [])
        if not all(
            isinstance(k, list) and len(k) == width and all(isinstance(v, int) for v in k) for k in gone
        ):
            raise ExchangeRefused("damaged")
    audit_part = body.get("audit", {})
    if audit_part.get("columns") != list(rows.AUDIT_COLUMNS) or not isinstance(audit_part.get("rows"), list):
        raise ExchangeRefused("damaged")
    return order


def import_bundle(db: Database, path: Path, *, write_receipt: bool = True) -> Imported:
    require(db, Permission.EXCHANGE)
    path = Path(path)
    data = sealed.read_small(path, MAX_BUNDLE)
    try:
        town, opened, keys = _verify(db, data)
    except ExchangeRefused as exc:
        raise ExchangeRefused(exc.reason, path, **exc.params) from None
    m = opened.manifest
    seq, digest = int(m["seq"]), hashlib.sha256(data).hexdigest()
    store_ = mirrors(db, keys)
    state = store_.state(town.id)
    if digest in state.hashes.values():
        done = Imported(path, town.township_name, seq, True)
        return _with_receipt(db, keys, town, m, digest, done) if write_receipt else done
    base_seq = int(m["base_seq"])
    if seq <= state.last_seq:
        raise ExchangeRefused("out_of_order", path, seq=seq, last=state.last_seq)
    if base_seq > state.last_seq:
        raise ExchangeRefused("gap", path, first=state.last_seq + 1, last=base_seq, seq=seq)
    if (base_seq and state.hashes.get(base_seq) != m["base_hash"]) or (
        m["prev_seq"] == state.last_seq and state.last_seq and state.hashes[state.last_seq] != m["prev_hash"]
    ):
        raise ExchangeRefused("chain_broken", path, seq=seq)
    try:
        body = _decrypt(opened, keys.age_identity)
        order = _check_tables(body)
    except ExchangeRefused as exc:
        raise ExchangeRefused(exc.reason, path, **exc.params) from None
    entries = body["audit"]["rows"]
    first_id = entries[0][0] if entries and isinstance(entries[0], list) and entries[0] else 1
    try:
        known = store_.audit_hashes(town.id, max(int(first_id) - 1, 1), state.audit_head[0])
        problem, first_bad, new_audit = _check_audit(entries, known, state.audit_head)
    except (TypeError, IndexError, ValueError):
        raise ExchangeRefused("damaged", path) from None
    entry = {
        "seq": seq,
        "base_seq": base_seq,
        "bundle_hash": digest,
        "manifest": json.dumps(m, ensure_ascii=False, sort_keys=True),
        "audit_problem": problem,
        "first_bad_audit_id": first_bad,
        "imported_at": now_text(),
    }
    try:
        store_.write(town.id, order, body, new_audit, entry)
    except ExchangeRefused as exc:
        raise ExchangeRefused(exc.reason, path, **exc.params) from None
    changed = sum(len(p["rows"]) for p in body["tables"].values())
    deleted = sum(len(p.get("deleted", [])) for p in body["tables"].values())
    with db.session() as s:
        flag = f"；审计链断开（第{first_bad}条起）" if problem else ""
        detail = f"{town.township_name} 第{seq}号数据包：{changed}条记录，删除{deleted}条{flag}"
        audit.record(s, [audit.Change("county_import", "county_township", town.id, detail=detail)])
    done = Imported(path, town.township_name, seq, False, changed, deleted, problem, first_bad)
    return _with_receipt(db, keys, town, m, digest, done) if write_receipt else done


def receipt_bytes(keys, town: CountyTownship, manifest: dict, digest: str, problem: str, first_bad) -> bytes:
    return sealed.seal(
        sealed.RECEIPT_MAGIC,
        {
            "kind": "receipt",
            "format": 1,
            "county": keys.county_name,
            "township": town.township_name,
            "township_fp": town.fingerprint,
            "seq": manifest["seq"],
            "bundle_hash": digest,
            "imported_at": dt.datetime.now().isoformat(timespec="seconds"),
            "audit_problem": problem,
            "first_bad_audit_id": first_bad,
        },
        keys.sign_key,
    )


def _with_receipt(db: Database, keys, town, manifest: dict, digest: str, done: Imported) -> Imported:
    from dataclasses import replace

    from desktop import messages

    problem, first_bad = done.audit_problem, done.first_bad_audit_id
    if done.already:  # the finding recorded when it was imported
        found = next(r for r in mirrors(db, keys).imports(town.id) if r[5] == digest)
        problem, first_bad = found[3], found[4]
    data = receipt_bytes(keys, town, manifest, digest, problem, first_bad)
    target = done.path.parent / sealed.file_name(
        town.township_name, "县回执", int(manifest["seq"]), RECEIPT_SUFFIX
    )
    try:
        sealed.write_verified(
            target, data, sealed.RECEIPT_MAGIC, sealed.public_of(keys.sign_key), db.path.parent
        )
    except Exception as exc:  # the import stands; importing the bundle again writes the receipt again
        return replace(
            done, receipt_error=messages.describe(exc), audit_problem=problem, first_bad_audit_id=first_bad
        )
    return replace(done, receipt=target, audit_problem=problem, first_bad_audit_id=first_bad)


def import_many(
    db: Database, paths: list[Path], progress: Callable[[int, int], None] | None = None
) -> list[Imported | ExchangeRefused | Exception]:
    """Each bundle on its own: one refused does not stop the others. In sequence order per township, so a
    stick holding several of one township's bundles imports them all."""
    from desktop.errors import DomainError

    def order(p: Path):
        try:
            with open(p, "rb") as fh:
                head = fh.read(1 << 16)
            return (0, int(sealed.peek_manifest(head).get("seq", 0)), str(p))
        except (OSError, ExchangeRefused, ValueError, TypeError):  # tried last, refused in its own words
            return (1, 0, str(p))

    paths = sorted((Path(p) for p in paths), key=order)
    results: list = []
    for i, p in enumerate(paths):
        try:
            results.append(import_bundle(db, p))
        except (DomainError, OSError) as exc:
            results.append(exc)
        if progress:
            progress(i + 1, len(paths))
    return results
