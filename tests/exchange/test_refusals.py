"""What must never reach the county's records: a damaged, altered, replayed, reordered, skipped or foreign
bundle. Each is refused in words before anything is written (the county's files byte-identical)."""

from __future__ import annotations

import pytest

from desktop import db, messages
from desktop.errors import ExchangeRefused
from desktop.exchange import county, export, keys
from desktop.services import accounts
from tests.conftest import ADMIN, PASSWORD
from tests.exchange.conftest import add_person, arrived, county_state, lose_mirror, sent


def refused(pair, path) -> str:
    with pytest.raises(ExchangeRefused) as caught:
        county.import_bundle(pair.county, path)
    return caught.value.reason


@pytest.fixture
def second(pair):
    """The county holds bundle 1; bundle 2 (a new resident) is on the stick."""
    first = export.export(pair.town, pair.stick)
    export.import_receipt(pair.town, county.import_bundle(pair.county, first.path).receipt)
    add_person(pair.town, "吴海燕", "43052219950505004", number="0004")
    return export.export(pair.town, pair.stick)


@pytest.mark.slow
def test_every_flipped_byte_and_every_truncation_is_refused_before_any_write(pair, second):
    data = second.path.read_bytes()
    assert len(data) < 8000  # small enough to try every byte
    before = county_state(pair)
    bad = pair.tmp / "bad.wudu-bundle"
    reasons = set()
    for i in range(len(data)):
        bad.write_bytes(data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1 :])
        reasons.add(refused(pair, bad))
    for cut in range(1, len(data)):
        bad.write_bytes(data[:cut])
        reasons.add(refused(pair, bad))
    assert county_state(pair) == before
    assert {"damaged", "bad_signature", "not_ours"} <= reasons
    assert reasons <= {"damaged", "bad_signature", "not_ours", "wrong_kind", "unknown_township"}
    # and the untouched bundle still goes in afterwards
    assert not county.import_bundle(pair.county, second.path).already


def test_a_flipped_byte_in_the_payload_is_named_damaged_in_chinese(pair, second):
    data = bytearray(second.path.read_bytes())
    data[-100] ^= 0x40
    bad = pair.tmp / "bad.wudu-bundle"
    bad.write_bytes(bytes(data))
    with pytest.raises(ExchangeRefused) as caught:
        county.import_bundle(pair.county, bad)
    text = messages.describe(caught.value)
    assert "已损坏或被改动过" in text and "没有导入任何内容" in text and str(bad) in text


def test_an_unknown_township_is_refused_with_its_name(pair, tmp_path):
    other = accounts.create_installation(tmp_path / "other" / "wudu.sqlite3", ADMIN, PASSWORD).db
    try:
        keys.set_up_county(other, "邵阳县")
        done = export.export(pair.town, pair.stick)
        with pytest.raises(ExchangeRefused) as caught:
            county.import_bundle(other, done.path)
        assert caught.value.reason == "unknown_township" and "严塘镇" in messages.describe(caught.value)
    finally:
        other.close()


def test_a_bundle_encrypted_for_another_county_is_refused(pair, tmp_path):
    other = accounts.create_installation(tmp_path / "other" / "wudu.sqlite3", ADMIN, PASSWORD).db
    try:
        keys.set_up_county(other, "邵阳县")
        keys.export_public(other, tmp_path / "other.wudu-key")
        _, replaced = keys.township_init(pair.town, tmp_path / "other.wudu-key")  # the wrong county's key
        assert replaced
        before = county_state(pair)
        assert refused(pair, export.export(pair.town, pair.stick).path) == "wrong_county"
        assert county_state(pair) == before
    finally:
        other.close()


def test_a_township_key_replaced_by_an_impostor_is_a_bad_signature(pair, tmp_path):
    done = export.export(pair.town, pair.stick)
    from desktop.exchange import sealed

    opened = sealed.open_sealed(done.path.read_bytes(), sealed.BUNDLE_MAGIC)
    forged = sealed.seal(sealed.BUNDLE_MAGIC, {k: v for k, v in opened.manifest.items() if not k.startswith("payload_")},
                         sealed.new_signing_key(), opened.payload)  # fmt: skip
    bad = pair.tmp / "forged.wudu-bundle"
    bad.write_bytes(forged)
    assert refused(pair, bad) == "bad_signature"


def test_replayed_and_reordered_bundles(pair):
    first = export.export(pair.town, pair.stick)
    county.import_bundle(pair.county, first.path)
    export.import_receipt(pair.town, pair.stick / "严塘镇-县回执-0001.wudu-receipt")
    add_person(pair.town, "吴海燕", "43052219950505004", number="0004")
    second = export.export(pair.town, pair.stick)
    add_person(pair.town, "郑小军", "43052219970707005", number="0005")
    third = export.export(pair.town, pair.stick)  # also carries what the second did (no receipt between)
    assert county.import_bundle(pair.county, third.path).seq == 3
    before = county_state(pair)
    assert refused(pair, second.path) == "out_of_order"  # older than what the county holds
    assert county.import_bundle(pair.county, first.path).already  # replayed: nothing changes
    assert county_state(pair) == before
    assert arrived(pair) == sent(pair)


def test_a_skipped_bundle_is_refused_until_a_full_export(pair):
    for _ in range(2):
        done = export.export(pair.town, pair.stick)
        receipt = county.import_bundle(pair.county, done.path).receipt
        export.import_receipt(pair.town, receipt)
    third = export.export(pair.town, pair.stick)
    lose_mirror(pair)  # the county lost what it had (a restored PC)
    with pytest.raises(ExchangeRefused) as caught:
        county.import_bundle(pair.county, third.path)
    assert caught.value.reason == "gap" and "缺少第1号至第2号" in messages.describe(caught.value)
    full = export.export(pair.town, pair.stick, full=True)
    county.import_bundle(pair.county, full.path)
    assert arrived(pair) == sent(pair)


def test_a_receipt_that_is_altered_or_for_another_township_is_refused(pair, tmp_path):
    done = export.export(pair.town, pair.stick)
    receipt = county.import_bundle(pair.county, done.path).receipt
    data = bytearray(receipt.read_bytes())
    data[40] ^= 0x02
    bad = tmp_path / "bad.wudu-receipt"
    bad.write_bytes(bytes(data))
    with pytest.raises(ExchangeRefused):
        export.import_receipt(pair.town, bad)
    with pytest.raises(ExchangeRefused) as caught:
        export.import_receipt(pair.town, done.path)  # a bundle is not a receipt
    assert caught.value.reason == "wrong_kind"


def test_no_name_id_number_or_phone_is_on_the_stick_in_the_clear(pair):
    done = export.export(pair.town, pair.stick)
    data = done.path.read_bytes()
    conn = db.connect_raw(pair.town.path, pair.town.key, readonly=True)
    people_rows = conn.execute("SELECT name, id_number, phone FROM person").fetchall()
    conn.close()
    assert len(people_rows) == 3
    for name, number, phone in people_rows:
        for secret in (name, number, number[-8:], phone):
            if secret:
                assert secret.encode("utf-8") not in data
                assert secret.encode("utf-16-le") not in data


def test_a_township_restored_from_an_old_backup_reports_again_after_the_countys_number(pair):
    from desktop.services import backups

    old = backups.make_backup(pair.town, pair.tmp / "old-backup")
    for _ in range(2):
        export.import_receipt(
            pair.town, county.import_bundle(pair.county, export.export(pair.town, pair.stick).path).receipt
        )
    backups.restore(pair.town, old)  # the township's PC goes back to before both bundles
    add_person(pair.town, "吴海燕", "43052219950505004", number="0004")
    with pytest.raises(ExchangeRefused) as caught:
        county.import_bundle(pair.county, export.export(pair.town, pair.stick).path)
    assert caught.value.reason == "out_of_order" and "--after 2" in messages.describe(caught.value)
    fresh = export.export(pair.town, pair.stick, full=True, after=2)
    assert fresh.seq == 3 and fresh.base_seq == 0
    assert not county.import_bundle(pair.county, fresh.path).already
    assert arrived(pair) == sent(pair)
