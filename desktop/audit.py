"""The audit trail, written once at the data layer so no register can forget it.

Every `Database.session()` appends, when it commits and in the same transaction, one entry per row it created,
changed or deleted (who, when, what, the changed columns before and after). Several flushes in one transaction
are merged into the net change of each row, so intermediate values never show as history. Bulk Core inserts are
audited row by row, or as one summary entry when the statement says so
(`execution_options(audit_summary=…)`, used by the synthetic demo). Bulk UPDATE/DELETE statements are refused:
a change must go through objects, so its "before" is known.

Entries form a hash chain: each entry's hash covers its own fields and the previous entry's hash, so altering,
deleting or inserting an entry in the middle breaks the chain. The newest (id, hash) is also written to
`<db>.audit-head` after each commit (and copied into every backup), so cutting off the tail is detected too:
the head file is a lower bound the chain must still reach.

The head only moves forward from a verified state. When the database is opened, `check_head` compares the
chain's tail with the head file *before* anything is appended: the entry the head names must be there with the
same hash, and every later entry (a commit whose head write a crash cut short) must follow from it. Only then
is the handle "anchored" and allowed to move the head; otherwise the problem is kept on the handle for the
window and `wudu audit verify` to report, and the head file is left as evidence until an administrator
re-anchors it with a reason (`audit_log.reanchor`), which is itself an entry of the chain.

The honest limit: whoever holds the data key can rewrite the whole chain and its head consistently. That is
answered outside this PC, by the head that goes to the county with every export and onto the year-end report.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import hashlib
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

GENESIS = "0" * 64
NOT_AUDITED = {"audit_entry", "alembic_version"}
# a private key is never written into the trail (which is shown in the viewer and sent to the county)
SECRET_COLUMNS = {"age_identity", "sign_key"}


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def _json(values: dict | None) -> str:
    if not values:
        return ""
    return json.dumps(
        {k: "<secret>" if k in SECRET_COLUMNS else _plain(v) for k, v in values.items()},
        ensure_ascii=False,
        sort_keys=True,
    )


def entry_hash(
    entry_id: int,
    at: str,
    username: str,
    action: str,
    entity: str,
    entity_id,
    before: str,
    after: str,
    detail: str,
    prev_hash: str,
) -> str:
    payload = json.dumps(
        [entry_id, at, username, action, entity, entity_id, before, after, detail, prev_hash],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Change:
    action: str
    entity: str = ""
    entity_id: int | None = None
    before: dict | None = None
    after: dict | None = None
    detail: str = ""


def append(connection, username: str, changes: list[Change]) -> tuple[int, str] | None:
    """Append entries on `connection` (a SQLAlchemy Connection inside the caller's transaction)."""
    if not changes:
        return None
    from sqlalchemy import text

    last = connection.execute(text("SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1")).first()
    entry_id, prev = (last[0], last[1]) if last else (0, GENESIS)
    at = dt.datetime.now().isoformat(timespec="seconds")
    rows = []
    for c in changes:
        entry_id += 1
        before, after = _json(c.before), _json(c.after)
        h = entry_hash(entry_id, at, username, c.action, c.entity, c.entity_id, before, after, c.detail, prev)
        rows.append(
            {
                "id": entry_id,
                "at": at,
                "username": username,
                "action": c.action,
                "entity": c.entity,
                "entity_id": c.entity_id,
                "before": before,
                "after": after,
                "detail": c.detail,
                "prev_hash": prev,
                "hash": h,
            }
        )
        prev = h
    connection.execute(
        text(
            "INSERT INTO audit_entry (id, at, username, action, entity, entity_id, before, after, detail, "
            "prev_hash, hash) VALUES (:id, :at, :username, :action, :entity, :entity_id, :before, :after, "
            ":detail, :prev_hash, :hash)"
        ),
        rows,
    )
    return entry_id, prev


# --- the session hooks ---------------------------------------------------------------------------------------
def _columns(obj) -> dict:
    from sqlalchemy import inspect

    return {attr.key: getattr(obj, attr.key) for attr in inspect(obj).mapper.column_attrs}


def _changes_in_flush(session) -> list[Change]:
    from sqlalchemy import inspect

    changes = []
    for obj in session.new:
        table = obj.__table__.name
        if table not in NOT_AUDITED:
            changes.append(Change("create", table, getattr(obj, "id", None), None, _columns(obj)))
    for obj in session.dirty:
        table = obj.__table__.name
        if table in NOT_AUDITED or not session.is_modified(obj, include_collections=False):
            continue
        before, after = {}, {}
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            hist = state.attrs[attr.key].history
            if hist.has_changes():
                before[attr.key] = hist.deleted[0] if hist.deleted else None
                after[attr.key] = hist.added[0] if hist.added else None
        if after:
            changes.append(Change("update", table, getattr(obj, "id", None), before, after))
    for obj in session.deleted:
        table = obj.__table__.name
        if table not in NOT_AUDITED:
            changes.append(Change("delete", table, getattr(obj, "id", None), _columns(obj), None))
    return changes


def record(session, changes: list[Change]) -> None:
    """Append entries for things that are not row changes (log-in, print, export…) in this session's
    transaction, in the name of the session's user."""
    if changes:
        head = append(session.connection(), session.info["audit_username"](), changes)
        if head:
            session.info["audit_head"] = head


def attach(session, username: Callable[[], str], head_path: Path | None) -> None:
    """Audit everything this session writes; after commit, move the head file forward (unless `head_path` is
    None: a handle whose chain did not agree with its head never moves it)."""
    from sqlalchemy import event

    session.info["audit_username"] = username

    def after_flush(sess, _context) -> None:
        pending = sess.info.setdefault("audit_pending", {})
        for change in _changes_in_flush(sess):
            _merge(pending, change)

    def before_commit(sess) -> None:
        sess.flush()
        pending = sess.info.pop("audit_pending", {})
        _record(sess, [c for c in pending.values() if c is not None and (c.action != "update" or c.after)])

    def on_execute(state) -> None:
        if not (state.is_insert or state.is_update or state.is_delete) or state.is_orm_statement is False:
            return
        table = state.statement.table.name if hasattr(state.statement, "table") else ""
        if table in NOT_AUDITED:
            return
        summary = state.execution_options.get("audit_summary")
        if state.is_update or state.is_delete:
            if summary is None:
                raise RuntimeError(
                    f"bulk {'UPDATE' if state.is_update else 'DELETE'} of {table} bypasses the "
                    "audit trail; change objects instead"
                )
            _record(state.session, [Change("bulk", table, None, None, None, summary)])
            return
        params = state.parameters
        rows = params if isinstance(params, list) else [params] if params else []
        if summary is not None:
            _record(state.session, [Change("bulk_create", table, None, None, {"rows": len(rows)}, summary)])
        else:
            _record(state.session, [Change("create", table, r.get("id"), None, r) for r in rows])

    _record = record

    def after_commit(sess) -> None:
        head = sess.info.pop("audit_head", None)
        if head and head_path is not None:
            advance_head(head_path, head)

    def after_rollback(sess) -> None:
        sess.info.pop("audit_head", None)
        sess.info.pop("audit_pending", None)

    event.listen(session, "after_flush", after_flush)
    event.listen(session, "before_commit", before_commit)
    event.listen(session, "do_orm_execute", on_execute)
    event.listen(session, "after_commit", after_commit)
    event.listen(session, "after_rollback", after_rollback)


def _merge(pending: dict, change: Change) -> None:
    """Fold one flush's change of a row into the transaction's net change of that row."""
    key = (change.entity, change.entity_id)
    old = pending.get(key)
    if old is None:
        pending[key] = change
        return
    if change.action == "delete":
        if old.action == "create":
            pending[key] = None  # made and removed in one transaction: no net change
            return
        before = {**(change.before or {}), **(old.before or {})}
        pending[key] = Change("delete", change.entity, change.entity_id, before, None)
        return
    if old.action == "create":
        pending[key] = Change(
            "create", old.entity, old.entity_id, None, {**old.after, **(change.after or {})}
        )
        return
    before = {**(change.before or {}), **(old.before or {})}
    after = {**(old.after or {}), **(change.after or {})}
    changed = {k for k in after if before.get(k) != after[k]}
    pending[key] = Change(
        "update",
        old.entity,
        old.entity_id,
        {k: before.get(k) for k in changed},
        {k: after[k] for k in changed},
    )


# --- the head kept outside the database ----------------------------------------------------------------------
def head_path_for(db_path: Path) -> Path:
    return Path(db_path).with_suffix(".audit-head")


def write_head(path: Path, head: tuple[int, str]) -> None:
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "w", encoding="ascii") as fh:
            json.dump({"id": head[0], "hash": head[1]}, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise


def read_head(path: Path) -> tuple[int, str] | None:
    try:
        data = json.loads(path.read_text("ascii"))
        return int(data["id"]), str(data["hash"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


_head_lock = threading.Lock()


def advance_head(path: Path, head: tuple[int, str]) -> None:
    """Move the head forward to `head`, never back: two commits finishing out of order keep the newer one."""
    with _head_lock:
        current = read_head(path)
        if current is None or head[0] > current[0]:
            # After a commit: a head that cannot be written (a full disk) lags behind, and the next open's
            # check_head finds the chain continuing from it and moves it on. The commit itself stands.
            with contextlib.suppress(OSError):
                write_head(path, head)


def next_head_path(head_path: Path) -> Path:
    """Where a restore puts the restored chain's head before it swaps the file (see backups.restore)."""
    return Path(head_path).with_name(Path(head_path).name + ".next")


def _settle_restore(connection, head_path: Path) -> None:
    """A restore killed between writing the next head and finishing: if the file was swapped (its chain holds
    the next head), the next head is the head; otherwise the swap never happened and the next head goes."""
    pending = next_head_path(head_path)
    nxt = read_head(pending)
    if nxt is None:
        pending.unlink(missing_ok=True)
        return
    row = connection.execute(f"SELECT {TAIL_COLUMNS} FROM audit_entry WHERE id = ?", (nxt[0],)).fetchone()
    if row is not None and row[-1] == nxt[1] and entry_hash(*row[:-1]) == nxt[1]:
        current = read_head(head_path)
        # the old head still in this chain: the file was not swapped (a backup of the same file is a prefix)
        if current is None or _row_hash(connection, current[0]) != current[1]:
            write_head(head_path, nxt)
    pending.unlink(missing_ok=True)


def _row_hash(connection, entry_id: int):
    row = connection.execute("SELECT hash FROM audit_entry WHERE id = ?", (entry_id,)).fetchone()
    return row[0] if row else None


TAIL_COLUMNS = "id, at, username, action, entity, entity_id, before, after, detail, prev_hash, hash"


def check_head(connection, head_path: Path) -> Verdict:
    """Before anything is appended: does the chain's tail agree with the head kept outside the database?

    `connection` is a DB-API connection. Reads only the entries from the head on, so it costs nothing at
    start-up; the whole chain is verified by `verify` (`wudu audit verify`, 校验完整性). On success the head is
    moved to the verified end of the chain (entries a crash left beyond it)."""
    _settle_restore(connection, head_path)
    head = read_head(head_path)
    last = connection.execute("SELECT max(id) FROM audit_entry").fetchone()[0]
    if head is None:
        if last is None and not Path(head_path).exists():
            return Verdict(True, 0)  # a new database: nothing written, nothing to anchor yet
        return Verdict(False, last or 0, None, "head_missing")
    head_id, head_hash = head
    rows = connection.execute(
        f"SELECT {TAIL_COLUMNS} FROM audit_entry WHERE id >= ? ORDER BY id", (head_id,)
    ).fetchall()
    if not rows or rows[0][0] != head_id:
        return Verdict(False, last or 0, head_id, "tail_cut")
    if rows[0][-1] != head_hash or entry_hash(*rows[0][:-1]) != head_hash:
        return Verdict(False, last or 0, head_id, "altered")
    prev, expected = head_hash, head_id + 1
    for entry_id, *fields, prev_hash, h in rows[1:]:
        if entry_id != expected:
            return Verdict(False, last, expected, "gap")
        if prev_hash != prev:
            return Verdict(False, last, entry_id, "chain")
        if entry_hash(entry_id, *fields, prev_hash) != h:
            return Verdict(False, last, entry_id, "altered")
        prev, expected = h, expected + 1
    if len(rows) > 1:
        advance_head(head_path, (rows[-1][0], rows[-1][-1]))
    return Verdict(True, last or 0)


# --- verification --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    ok: bool
    entries: int
    first_bad_id: int | None = None
    problem: str = ""  # altered | gap | chain | tail_cut | head_missing


def verify(rows, head: tuple[int, str] | None) -> Verdict:
    """Check the chain `rows` (id, at, username, action, entity, entity_id, before, after, detail, prev_hash,
    hash), in id order, against the head kept outside the database."""
    prev, expected_id, count = GENESIS, 1, 0
    seen: dict[int, str] = {}
    for row in rows:
        entry_id, *fields, prev_hash, h = row
        count += 1
        if entry_id != expected_id:
            return Verdict(False, count, expected_id if entry_id > expected_id else entry_id, "gap")
        if prev_hash != prev:
            return Verdict(False, count, entry_id, "chain")
        if entry_hash(entry_id, *fields, prev_hash) != h:
            return Verdict(False, count, entry_id, "altered")
        seen[entry_id] = h
        prev, expected_id = h, expected_id + 1
    if head is None and count:
        return Verdict(False, count, None, "head_missing")
    if head is not None:
        head_id, head_hash = head
        if head_id not in seen:
            return Verdict(False, count, head_id, "tail_cut")
        if seen[head_id] != head_hash:
            return Verdict(False, count, head_id, "altered")
    return Verdict(True, count)
