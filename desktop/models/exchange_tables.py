"""The tables of the county exchange (tables.py imports them: one metadata, one schema).

- `exchange_identity` (one row): which side this installation is, its Ed25519 signing key and, for the county,
  its age identity; for a township, the county's public keys. Private keys live only here, inside the
  SQLCipher-encrypted file (so never in the clear on disk, and in every backup).
- `exchange_sent` (township): every bundle written, with the per-row fingerprints it carried, so the next export
  after the county's receipt carries only what changed since.
- `county_township` (county): the townships whose public keys the county registered.
- `county_import` (a township's mirror at the county): every bundle imported, in the same file and transaction
  as the records it brought.
- `county_audit_review` (county): what the county found when it looked into a township's broken audit chain.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, DateTime, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


__all__ = ["CountyAuditReview", "CountyImport", "CountyTownship", "ExchangeIdentity", "ExchangeSent"]

# not sent to the county: the exchange's own bookkeeping, accounts, and the audit trail (sent as a chain)
NOT_EXPORTED = frozenset(
    {
        "audit_entry",
        "user_account",
        "exchange_identity",
        "exchange_sent",
        "county_township",
        "county_import",
        "county_audit_review",
    }
)


class ExchangeIdentity(SQLModel, table=True):
    __tablename__ = "exchange_identity"
    id: int | None = Field(default=None, primary_key=True)
    role: str  # 'county' | 'township'
    sign_key: bytes = Field(
        sa_column=Column(LargeBinary, nullable=False)
    )  # Ed25519 private key, raw 32 bytes
    age_identity: str = ""  # county: AGE-SECRET-KEY-1…
    county_name: str = ""
    township_name: str = ""
    # a township's copy of the county's public keys (from the county's key file)
    county_sign_key: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))
    county_recipient: str = ""  # age1…
    # the county: where the townships' records are kept — '' for files beside this database, or a
    # postgresql://… URL (each township in a schema of its own on that server)
    records_url: str = Field(default="", sa_column_kwargs={"server_default": ""})
    created_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


class ExchangeSent(SQLModel, table=True):
    __tablename__ = "exchange_sent"
    __table_args__ = (UniqueConstraint("seq"),)
    id: int | None = Field(default=None, primary_key=True)
    seq: int
    base_seq: int  # the acknowledged bundle this one carries the changes since (0: everything)
    bundle_hash: str  # sha256 of the whole file, as the county's receipt names it
    file_name: str
    status: str  # 'writing' | 'written' | 'failed'
    state: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # zlib JSON {table: {id: row hash}}
    audit_head_id: int = 0
    audit_head_hash: str = ""
    created_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)
    acknowledged_at: dt.datetime | None = Field(default=None, sa_type=DateTime)


class CountyTownship(SQLModel, table=True):
    __tablename__ = "county_township"
    __table_args__ = (UniqueConstraint("fingerprint"),)
    id: int | None = Field(default=None, primary_key=True)
    fingerprint: str
    county_name: str
    township_name: str
    code: str = ""
    sign_key: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # Ed25519 public key, raw
    registered_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


class CountyImport(SQLModel, table=True):
    __tablename__ = "county_import"
    __table_args__ = (UniqueConstraint("seq"), UniqueConstraint("bundle_hash"))
    id: int | None = Field(default=None, primary_key=True)
    seq: int
    base_seq: int
    bundle_hash: str
    manifest: str  # the signed manifest, JSON
    audit_problem: str = ""  # '' when the audit entries continued the chain; else gap | chain | altered
    first_bad_audit_id: int | None = None
    imported_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)


class CountyAuditReview(SQLModel, table=True):
    """The county's finding on a township's audit chain that stopped continuing (the first flagged import):
    kept, never changed; a later finding on the same flag is added beside it."""

    __tablename__ = "county_audit_review"
    __table_args__ = (Index("ix_county_audit_review_township", "township_id", "import_seq"),)
    id: int | None = Field(default=None, primary_key=True)
    township_id: int
    import_seq: int  # the flagged import the finding is about
    first_bad_audit_id: int | None = None
    finding: str
    reviewed_by: str
    reviewed_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime)
