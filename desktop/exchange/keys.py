"""The keys of the exchange, made once: the county's (an age identity to decrypt the bundles, an Ed25519 key to
sign its receipts) and each township's (an Ed25519 key to sign its bundles). Each side hands the other a
public key file and both read the fingerprint aloud on the phone before trusting it.

Private keys are stored only inside the encrypted database (`exchange_identity`), so they are never in the
clear on disk and are in every backup; the public key files hold nothing secret."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import select

from desktop.db import Database
from desktop.errors import ExchangeRefused, NotSetUp
from desktop.exchange import sealed
from desktop.models.tables import CountyTownship, ExchangeIdentity, Township
from desktop.services.auth import Permission, require

COUNTY_OFFICE = "禁毒办"
MAX_KEY_FILE = 64 * 1024


@dataclass(frozen=True)
class Identity:
    role: str  # 'county' | 'township'
    county_name: str
    township_name: str
    fingerprint: str
    county_fingerprint: str  # a township's copy of the county's key; the county's own for the county


@dataclass(frozen=True)
class Registered:
    id: int
    fingerprint: str
    county_name: str
    township_name: str
    code: str


def _identity_row(s) -> ExchangeIdentity | None:
    return s.exec(select(ExchangeIdentity)).first()


def _public(row: ExchangeIdentity, township: Township) -> sealed.PublicKey:
    if row.role == "county":
        from pyrage import x25519

        recipient = str(x25519.Identity.from_str(row.age_identity).to_public())
        kind = sealed.COUNTY_KEY
    else:
        recipient, kind = "", sealed.TOWNSHIP_KEY
    return sealed.PublicKey(
        kind, row.county_name, row.township_name, township.code, sealed.public_of(row.sign_key), recipient
    )


def _as_identity(row: ExchangeIdentity, township: Township) -> Identity:
    own = _public(row, township).fingerprint
    county = own if row.role == "county" else sealed.fingerprint(row.county_sign_key, row.county_recipient)
    return Identity(row.role, row.county_name, row.township_name, own, county)


def _township(s) -> Township:
    township = s.exec(select(Township)).first()
    if township is None:
        raise NotSetUp()
    return township


def identity(db: Database) -> Identity | None:
    require(db, Permission.READ)
    with db.session() as s:
        row = _identity_row(s)
        return None if row is None else _as_identity(row, _township(s))


def is_county(db: Database) -> bool:
    with db.session() as s:
        township = s.exec(select(Township)).first()
        return bool(township and township.is_county)


def set_up_county(db: Database, county_name: str, code: str = "", records_url: str = "") -> Identity:
    """`wudu init --county-mode [--database-url postgresql://…]`: this installation becomes the county's and
    makes its keys; the townships' records go to files beside it, or to that PostgreSQL server (checked now)."""
    require(db, Permission.SETTINGS)
    county_name = county_name.strip()
    if not county_name:
        raise ExchangeRefused("county_name_missing")
    if records_url:
        from desktop.exchange.server_mirrors import ServerMirrors

        ServerMirrors(records_url).check()
    with db.session() as s:
        existing = s.exec(select(Township)).first()
        if existing is not None:
            from desktop.errors import AlreadySetUp

            raise AlreadySetUp(existing.county_name + existing.township_name)
        s.add(Township(id=1, county_name=county_name, township_name=COUNTY_OFFICE, code=code, is_county=True))
    return county_init(db, records_url)


def county_init(db: Database, records_url: str = "") -> Identity:
    require(db, Permission.SETTINGS)
    from pyrage import x25519

    with db.session() as s:
        township = _township(s)
        if not township.is_county:
            raise ExchangeRefused("not_county")
        if _identity_row(s) is not None:
            raise ExchangeRefused("keys_exist")
        row = ExchangeIdentity(
            role="county",
            sign_key=sealed.new_signing_key(),
            age_identity=str(x25519.Identity.generate()),
            records_url=records_url,
            county_name=township.county_name,
            township_name=township.township_name,
        )
        s.add(row)
        s.flush()
        return _as_identity(row, township)


def read_key_file(path: Path, kind: str) -> sealed.PublicKey:
    path = Path(path)
    try:
        text = sealed.read_small(path, MAX_KEY_FILE, too_large="not_key_file").decode("utf-8")
        return sealed.read_public_key(text, kind)
    except UnicodeDecodeError:
        raise ExchangeRefused("not_key_file", path) from None
    except ExchangeRefused as exc:
        raise ExchangeRefused(exc.reason, path, **exc.params) from None


def township_init(db: Database, county_key: Path) -> tuple[Identity, bool]:
    """Make this township's signing key (once) and keep the county's public keys; a second call with a new
    county key file replaces the county's keys and keeps the township's own. Returns (identity, replaced)."""
    require(db, Permission.SETTINGS)
    county = read_key_file(county_key, sealed.COUNTY_KEY)
    with db.session() as s:
        township = _township(s)
        if township.is_county:
            raise ExchangeRefused("is_county")
        row = _identity_row(s)
        replaced = row is not None
        if row is None:
            row = ExchangeIdentity(role="township", sign_key=sealed.new_signing_key())
        row.county_name, row.township_name = township.county_name, township.township_name
        row.county_sign_key, row.county_recipient = county.sign_key, county.age_recipient
        s.add(row)
        s.flush()
        return _as_identity(row, township), replaced


def public_key(db: Database) -> sealed.PublicKey:
    require(db, Permission.READ)
    with db.session() as s:
        row = _identity_row(s)
        if row is None:
            raise ExchangeRefused("no_keys")
        return _public(row, _township(s))


def export_public(db: Database, target: Path) -> sealed.PublicKey:
    from desktop.services.files import check_writable_target, write_atomically

    key = public_key(db)
    check_writable_target(Path(target))
    write_atomically(Path(target), lambda tmp: tmp.write_text(key.to_text(), "utf-8"), db.path.parent)
    return key


def register_township(db: Database, key_file: Path) -> Registered:
    require(db, Permission.SETTINGS)
    key = read_key_file(key_file, sealed.TOWNSHIP_KEY)
    with db.session() as s:
        township = _township(s)
        if not township.is_county:
            raise ExchangeRefused("not_county")
        found = s.exec(select(CountyTownship).where(CountyTownship.fingerprint == key.fingerprint)).first()
        if found is not None:
            raise ExchangeRefused("already_registered", name=found.township_name)
        row = CountyTownship(
            fingerprint=key.fingerprint,
            county_name=key.county_name,
            township_name=key.township_name,
            code=key.code,
            sign_key=key.sign_key,
        )
        s.add(row)
        s.flush()
        return Registered(row.id, row.fingerprint, row.county_name, row.township_name, row.code)


def registered(db: Database) -> list[Registered]:
    require(db, Permission.READ)
    with db.session() as s:
        rows = s.exec(select(CountyTownship).order_by(CountyTownship.id)).all()
        return [Registered(r.id, r.fingerprint, r.county_name, r.township_name, r.code) for r in rows]


def private_keys(db: Database) -> ExchangeIdentity:
    """The identity row with its private keys, for the exchange's own use (export, import, receipts)."""
    with db.session() as s:
        row = _identity_row(s)
        if row is None:
            raise ExchangeRefused("no_keys")
        s.expunge(row)
        return row
