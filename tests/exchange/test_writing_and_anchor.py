"""A stick pulled out or full at any step of writing leaves nothing that looks like a bundle, and the next
export repeats the work; the county anchors the township's audit trail and flags a rewritten history."""

from __future__ import annotations

import errno
import os

import pytest
from sqlmodel import select

from desktop import audit, db, messages
from desktop.errors import DomainError
from desktop.exchange import county, county_status, export
from desktop.models.tables import ExchangeSent
from tests.exchange.conftest import add_person, arrived, audit_chain, sent


def full_disk(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def half_copy(src, dst, *args, **kwargs):
    """The stick fills up halfway through the copy: half the bytes arrive, then the write fails."""
    data = open(src, "rb").read()  # noqa: SIM115
    with open(dst, "wb") as fh:
        fh.write(data[: len(data) // 2])
    raise OSError(errno.ENOSPC, "No space left on device")


def wrong_read_back(path, mode="r", *args, **kwargs):
    """A stick that hands back other bytes than it was given."""
    real = open(path, mode, *args, **kwargs)  # noqa: SIM115 (handed on to the caller's with-block)
    if mode == "rb":
        data = real.read()
        real.close()
        import io

        return io.BytesIO(data[:-1] + bytes([data[-1] ^ 1]))
    return real


@pytest.mark.parametrize(
    "step",
    ["write", "fsync", "read back", "rename"],
)
def test_a_failure_at_each_step_leaves_no_bundle_and_the_next_export_repeats_the_work(
    pair, monkeypatch, step
):
    patch = {
        "write": ("desktop.services.files.shutil.copyfile", half_copy),
        "fsync": ("os.fsync", full_disk),
        "read back": ("desktop.services.files.open", wrong_read_back),
        "rename": ("os.replace", full_disk),
    }[step]
    with monkeypatch.context() as m:
        m.setattr(patch[0], patch[1], raising=False)
        with pytest.raises(DomainError) as caught:
            export.export(pair.town, pair.stick)
    expected = "读回的内容不一致" if step == "read back" else "磁盘空间已满"
    assert expected in messages.describe(caught.value)
    assert os.listdir(pair.stick) == []  # not even a partial file
    with pair.town.session() as s:
        assert [r.status for r in s.exec(select(ExchangeSent))] == ["failed"]
    done = export.export(pair.town, pair.stick)  # the work is simply done again
    assert done.seq == 2 and done.base_seq == 0
    county.import_bundle(pair.county, done.path)
    assert arrived(pair) == sent(pair)


def test_what_a_kill_leaves_is_a_dot_partial_that_nothing_takes_for_a_bundle(pair):
    done = export.export(pair.town, pair.stick)
    partial = pair.stick / f".{done.path.name}.partial"
    partial.write_bytes(done.path.read_bytes()[:500])
    results = county.import_many(pair.county, [partial])
    assert isinstance(results[0], DomainError)


def rewrite_history(database, entry_id: int) -> None:
    """What someone with the database and its key could do on the township's PC: change an old entry and
    recompute every hash after it, and the head file, so the township's own check passes."""
    conn = db.connect_raw(database.path, database.key)
    rows = conn.execute("SELECT * FROM audit_entry WHERE id >= ? ORDER BY id", (entry_id,)).fetchall()
    prev = conn.execute("SELECT hash FROM audit_entry WHERE id = ?", (entry_id - 1,)).fetchone()[0]
    for row in rows:
        fields = list(row)
        if fields[0] == entry_id:
            fields[8] = "（改过的内容）"
        fields[9] = prev
        fields[10] = audit.entry_hash(*fields[:10])
        conn.execute("UPDATE audit_entry SET detail = ?, prev_hash = ?, hash = ? WHERE id = ?",
                     (fields[8], fields[9], fields[10], fields[0]))  # fmt: skip
        prev = fields[10]
    conn.commit()
    conn.close()
    audit.write_head(audit.head_path_for(database.path), (rows[-1][0], prev))


def test_a_township_whose_history_was_rewritten_is_flagged_at_the_county(pair):
    first = export.export(pair.town, pair.stick)
    county.import_bundle(pair.county, first.path)
    export.import_receipt(pair.town, pair.stick / "严塘镇-县回执-0001.wudu-receipt")
    rewrite_history(pair.town, 3)
    from desktop.services import audit_log

    assert audit_log.verify_chain(pair.town).ok  # the township's own check cannot see it
    add_person(pair.town, "吴海燕", "43052219950505004", number="0004")
    got = county.import_bundle(pair.county, export.export(pair.town, pair.stick).path)
    # the new entries start from a head the county never received: the first one does not follow
    assert got.audit_problem == "chain" and got.first_bad_audit_id == first.audit_entries + 1
    assert "审计日志" in messages.describe_import(got)
    (found,) = county_status.status(pair.county)
    assert found.audit_problem == "chain" and found.first_bad_audit_id == got.first_bad_audit_id
    # the receipt tells the township too
    taken = export.import_receipt(pair.town, pair.stick / "严塘镇-县回执-0002.wudu-receipt")
    assert "县里发现本乡镇的审计日志" in messages.describe_receipt(taken)


def test_a_full_export_after_a_rewrite_names_the_first_altered_entry(pair):
    county.import_bundle(pair.county, export.export(pair.town, pair.stick).path)
    rewrite_history(pair.town, 3)
    got = county.import_bundle(pair.county, export.export(pair.town, pair.stick, full=True).path)
    assert (got.audit_problem, got.first_bad_audit_id) == ("altered", 3)


def test_the_countys_finding_is_kept_beside_the_flag_which_stays(pair):
    from desktop.errors import ExchangeRefused, ValidationFailed
    from desktop.services import audit_log

    county.import_bundle(pair.county, export.export(pair.town, pair.stick).path)
    with pytest.raises(ExchangeRefused) as caught:  # nothing to look into yet
        county_status.review_flag(pair.county, 1, "已核实")
    assert caught.value.reason == "not_flagged" and "接续完好" in messages.describe(caught.value)
    rewrite_history(pair.town, 3)
    county.import_bundle(pair.county, export.export(pair.town, pair.stick, full=True).path)
    with pytest.raises(ValidationFailed) as refused:
        county_status.review_flag(pair.county, 1, "   ")
    assert "核查结果" in messages.describe(refused.value)
    (before,) = county_status.status(pair.county)
    assert before.review == "" and "还没有记录核查结果" in messages.describe_report(before)
    county_status.review_flag(pair.county, 1, "电话核实：乡镇电脑送修后恢复过备份")
    county_status.review_flag(pair.county, 1, "县局到场检查，日志第3条被改过，已通报")
    (after,) = county_status.status(pair.county)
    # the flag stays — the chain is still broken — with the latest finding beside it, both findings kept
    assert (after.audit_problem, after.first_bad_audit_id) == ("altered", 3)
    assert after.review.endswith(
        "县局到场检查，日志第3条被改过，已通报"
    ) and "已通报" in messages.describe_report(after)
    entries = [e for e in audit_log.entries(pair.county) if e.entity == "county_audit_review"]
    assert len(entries) == 2 and all(e.action == "create" for e in entries)


def test_an_honest_township_continues_the_chain(pair):
    for _ in range(3):
        got = county.import_bundle(pair.county, export.export(pair.town, pair.stick).path)
        export.import_receipt(pair.town, got.receipt)
        assert got.audit_problem == ""
    chain = audit_chain(pair)
    assert len(chain) > 10 and audit.verify(chain, (chain[-1][0], chain[-1][-1])).ok


def test_a_read_only_stick_keeps_the_import_and_says_how_to_get_the_receipt(pair, monkeypatch):
    done = export.export(pair.town, pair.stick)

    def read_only(*_args, **_kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    with monkeypatch.context() as m:
        m.setattr("desktop.services.files.shutil.copyfile", read_only)
        got = county.import_bundle(pair.county, done.path)
    assert not got.already and got.receipt is None and "不能写入" in got.receipt_error
    assert "回执没有写成" in messages.describe_import(got) and "再导入一次" in messages.describe_import(got)
    assert not list(pair.stick.glob("*receipt*")) and arrived(pair) == sent(pair)
    again = county.import_bundle(pair.county, done.path)  # from a writable stick: nothing changes, a receipt
    assert again.already and again.receipt is not None and again.receipt.exists()
