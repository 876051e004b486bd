"""Township → bundle → county: the same records arrive; later bundles carry only what changed since the
county's receipt; the county keeps each township apart and can say who reported what."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from desktop.exchange import county, county_status, export
from desktop.models.tables import AftercareEmployment, ExchangeSent, Person
from desktop.services import aftercare_records
from tests.exchange.conftest import add_person, arrived, audit_chain, sent


def test_the_county_receives_every_record_of_the_township(pair):
    done = export.export(pair.town, pair.stick)
    assert done.path.name == "严塘镇-报县数据-0001.wudu-bundle" and done.base_seq == 0
    got = county.import_bundle(pair.county, done.path)
    assert not got.already and got.changed == done.changed
    assert arrived(pair) == sent(pair)
    # where the county keeps it: on the server nothing of the township is in the county's folder
    assert county.mirrors(pair.county).kind == ("server" if pair.url else "files")
    assert (pair.county.path.parent / "townships").exists() != bool(pair.url)
    # the township's audit trail arrives whole, as a chain the county can verify
    from desktop import audit

    chain = audit_chain(pair)
    assert len(chain) == done.audit_entries and audit.verify(chain, (chain[-1][0], chain[-1][-1])).ok


def test_later_bundles_carry_only_the_changes_since_the_receipt(pair):
    first = export.export(pair.town, pair.stick)
    receipt = county.import_bundle(pair.county, first.path).receipt
    assert receipt is not None and receipt.name == "严塘镇-县回执-0001.wudu-receipt"
    assert not export.import_receipt(pair.town, receipt).already
    assert export.import_receipt(pair.town, receipt).already  # a second time changes nothing

    # one new resident, one changed phone, one record deleted
    new_id = add_person(pair.town, "吴海燕", "43052219950505004", number="0004")
    job = aftercare_records.add_employment(
        pair.town, pair.case, job="养殖", employer="", since=dt.date(2026, 7, 1), today=dt.date(2026, 11, 29)
    )
    second = export.export(pair.town, pair.stick)
    assert second.seq == 2 and second.base_seq == 1
    # the person, their new household, and the employment (the audit entries are counted apart)
    assert second.changed == 3 and second.deleted == 0
    county.import_bundle(pair.county, second.path)
    export.import_receipt(pair.town, pair.stick / "严塘镇-县回执-0002.wudu-receipt")

    with pair.town.session() as s:
        s.delete(s.get(AftercareEmployment, job))
        person = s.get(Person, new_id)
        person.phone = "13800001111"
        s.add(person)
    third = export.export(pair.town, pair.stick)
    assert (third.seq, third.base_seq, third.changed, third.deleted) == (3, 2, 1, 1)
    county.import_bundle(pair.county, third.path)
    assert arrived(pair) == sent(pair)
    persons = {p["id"]: p for p in arrived(pair)["person"]}
    assert persons[new_id]["name"] == "吴海燕" and persons[new_id]["phone"] == "13800001111"
    assert job not in [e["id"] for e in arrived(pair)["aftercare_employment"]]


def test_a_bundle_without_a_receipt_is_carried_again_by_the_next(pair):
    first = export.export(pair.town, pair.stick)
    county.import_bundle(pair.county, first.path)  # the receipt never comes back to the township
    add_person(pair.town, "吴海燕", "43052219950505004", number="0004")
    second = export.export(pair.town, pair.stick)
    assert second.base_seq == 0 and second.changed > first.changed  # everything again, and the new one
    assert not county.import_bundle(pair.county, second.path).already
    assert arrived(pair) == sent(pair)


def test_a_forced_full_export_carries_everything_even_after_a_receipt(pair):
    first = export.export(pair.town, pair.stick)
    export.import_receipt(pair.town, county.import_bundle(pair.county, first.path).receipt)
    full = export.export(pair.town, pair.stick, full=True)
    assert full.base_seq == 0 and full.changed == first.changed
    assert not county.import_bundle(pair.county, full.path).already


def test_importing_the_same_bundle_again_changes_nothing_and_writes_the_receipt_again(pair):
    done = export.export(pair.town, pair.stick)
    county.import_bundle(pair.county, done.path)
    receipt = pair.stick / "严塘镇-县回执-0001.wudu-receipt"
    receipt.unlink()
    before = arrived(pair)
    again = county.import_bundle(pair.county, done.path)
    assert again.already and receipt.exists()
    assert arrived(pair) == before


def test_exports_and_receipts_are_in_the_audit_trail(pair):
    from desktop.services import audit_log

    done = export.export(pair.town, pair.stick)
    export.import_receipt(pair.town, county.import_bundle(pair.county, done.path).receipt)
    actions = [r.action for r in audit_log.entries(pair.town)]
    assert "export" in actions and "receipt_import" in actions
    assert "county_import" in [r.action for r in audit_log.entries(pair.county)]
    with pair.town.session() as s:
        sent = s.exec(select(ExchangeSent)).one()
        assert sent.status == "written" and sent.acknowledged_at is not None


def test_the_county_status_names_what_each_township_sent(pair):
    assert county_status.status(pair.county)[0].bundles == 0
    county.import_bundle(pair.county, export.export(pair.town, pair.stick).path)
    (found,) = county_status.status(pair.county)
    assert found.township == "严塘镇" and found.last_seq == 1 and found.audit_problem == ""
    assert found.registers["persons"] == 3 and found.registers["aftercare_cases"] == 1
    assert [v[1:] for v in found.villages] == [["东山村", 3, 0], ["河口社区", 0, 0]]


def test_a_lookup_by_a_whole_id_number_in_a_townships_records_is_in_the_countys_trail(pair):
    """The county's officer reads a township's records masked; looking one person up by the whole number is a
    deliberate act, written to the county's own audit trail (the township's records stay as they came)."""
    from desktop.services import audit_log, residents
    from desktop.services.residents import ResidentFilter
    from tests.exchange.conftest import id_number

    number = id_number("43052219950505004")
    add_person(pair.town, "吴海燕", "43052219950505004", number="0004")
    county.import_bundle(pair.county, export.export(pair.town, pair.stick).path)
    before = arrived(pair)
    records = county_status.township_records(pair.county, 1)
    try:
        (found,) = residents.resident_ids(records, ResidentFilter(text=number))
        assert residents.resident_rows(records, [found])[found].name == "吴海燕"
    finally:
        records.close()
    (entry,) = [e for e in audit_log.entries(pair.county) if e.action == "id_lookup"]
    assert "严塘镇的登记" in entry.detail and "1人" in entry.detail and number not in entry.detail
    assert arrived(pair) == before
