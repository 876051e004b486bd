"""The file formats of the exchange: a signed manifest, then an optional payload.

    magic (one line) | manifest length (4 bytes, big-endian) | manifest (UTF-8 JSON) | Ed25519 signature (64)
    | payload

The signature covers the magic, the length and the manifest; the manifest names the payload's size and SHA-256.
So every flipped byte and every truncation is caught by the signature or the hash before the payload is even
decrypted, and the payload itself is age-encrypted (authenticated) to the county's key. Nothing here is a
home-made cipher: Ed25519 from `cryptography`, age (X25519 + ChaCha20-Poly1305) from `pyrage`.

Public key files are small JSON texts; their fingerprint (SHA-256 of the keys, first 80 bits in base32) is what
the two offices read to each other on the phone.
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from desktop.errors import ExchangeRefused

BUNDLE_MAGIC = b"WUDU-BUNDLE/1\n"
RECEIPT_MAGIC = b"WUDU-RECEIPT/1\n"
MAX_MANIFEST = 1 << 20
SIGNATURE = 64


def fingerprint(sign_key: bytes, age_recipient: str = "") -> str:
    """16 characters in 4 groups, e.g. 'K7QD-M2XA-9F3B-TW8E': the public keys' SHA-256, read over the phone."""
    digest = hashlib.sha256(sign_key + age_recipient.encode()).digest()[:10]
    text = base64.b32encode(digest).decode()
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))


def public_of(private_raw: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private_raw).public_key().public_bytes_raw()


def new_signing_key() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes_raw()


def canonical(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def seal(magic: bytes, manifest: dict, private_raw: bytes, payload: bytes = b"") -> bytes:
    manifest = dict(manifest, payload_size=len(payload), payload_sha256=hashlib.sha256(payload).hexdigest())
    body = canonical(manifest)
    head = magic + struct.pack(">I", len(body)) + body
    return head + Ed25519PrivateKey.from_private_bytes(private_raw).sign(head) + payload


@dataclass(frozen=True)
class Opened:
    manifest: dict
    signed: bytes  # what the signature covers
    signature: bytes
    payload: bytes

    def verify(self, public_raw: bytes) -> None:
        try:
            Ed25519PublicKey.from_public_bytes(public_raw).verify(self.signature, self.signed)
        except (InvalidSignature, ValueError):
            raise ExchangeRefused("bad_signature") from None


def open_sealed(data: bytes, magic: bytes) -> Opened:
    """Split and check the framing and the payload hash. The signature is checked by `Opened.verify`, once
    the signer is known from the manifest (which is never trusted before that)."""
    if not data.startswith(magic):
        other = RECEIPT_MAGIC if magic == BUNDLE_MAGIC else BUNDLE_MAGIC
        raise ExchangeRefused("wrong_kind" if data.startswith(other) else "not_ours")
    at = len(magic)
    if len(data) < at + 4:
        raise ExchangeRefused("damaged")
    (length,) = struct.unpack(">I", data[at : at + 4])
    if length > MAX_MANIFEST or len(data) < at + 4 + length + SIGNATURE:
        raise ExchangeRefused("damaged")
    body = data[at + 4 : at + 4 + length]
    try:
        manifest = json.loads(body.decode("utf-8"))
        if not isinstance(manifest, dict) or canonical(manifest) != body:
            raise ValueError("not canonical")
        size, digest = int(manifest["payload_size"]), str(manifest["payload_sha256"])
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise ExchangeRefused("damaged") from None
    signed_end = at + 4 + length
    payload = data[signed_end + SIGNATURE :]
    if len(payload) != size or hashlib.sha256(payload).hexdigest() != digest:
        raise ExchangeRefused("damaged")
    return Opened(manifest, data[:signed_end], data[signed_end : signed_end + SIGNATURE], payload)


def peek_manifest(head: bytes) -> dict:
    """The manifest of a bundle's first bytes, unverified: only to put several files in order."""
    at = len(BUNDLE_MAGIC)
    if not head.startswith(BUNDLE_MAGIC) or len(head) < at + 4:
        raise ExchangeRefused("not_ours")
    (length,) = struct.unpack(">I", head[at : at + 4])
    manifest = json.loads(head[at + 4 : at + 4 + length].decode("utf-8", "replace"))
    if not isinstance(manifest, dict):
        raise ExchangeRefused("not_ours")
    return manifest


# --- public key files -----------------------------------------------------------------------------------------
COUNTY_KEY, TOWNSHIP_KEY = "wudu-county-public-key", "wudu-township-public-key"


@dataclass(frozen=True)
class PublicKey:
    kind: str
    county_name: str
    township_name: str
    code: str
    sign_key: bytes
    age_recipient: str = ""

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sign_key, self.age_recipient)

    def to_text(self) -> str:
        data = {
            "kind": self.kind,
            "format": 1,
            "county": self.county_name,
            "township": self.township_name,
            "code": self.code,
            "sign": base64.b64encode(self.sign_key).decode(),
            "fingerprint": self.fingerprint,
        }
        if self.age_recipient:
            data["age"] = self.age_recipient
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def read_public_key(text: str, kind: str) -> PublicKey:
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != 1:
            raise ValueError("format")
        found = data["kind"]
        key = PublicKey(
            found,
            str(data["county"]),
            str(data.get("township", "")),
            str(data.get("code", "")),
            base64.b64decode(data["sign"], validate=True),
            str(data.get("age", "")),
        )
        Ed25519PublicKey.from_public_bytes(key.sign_key)
    except (ValueError, KeyError, TypeError):
        raise ExchangeRefused("not_key_file") from None
    if found != kind:
        raise ExchangeRefused("key_kind", expected=kind, found=found)
    if kind == COUNTY_KEY:
        import pyrage
        from pyrage import x25519

        try:
            x25519.Recipient.from_str(key.age_recipient)
        except pyrage.RecipientError:
            raise ExchangeRefused("not_key_file") from None
    if data.get("fingerprint") not in (None, key.fingerprint):
        raise ExchangeRefused("not_key_file")
    return key


# --- reading and writing on the stick ---------------------------------------------------------------------------------
UNSAFE_IN_NAMES = '/\\:*?"<>|'


def read_small(path: Path, limit: int = 1 << 20, too_large: str = "not_ours") -> bytes:
    """A chosen file's bytes, refused in words when it is missing, a folder, empty or far too large to be what
    it claims (`too_large` names the refusal)."""
    from desktop.errors import file_error
    from desktop.services.files import check_readable

    path = check_readable(Path(path), suffix="")  # missing, a folder, empty
    try:
        if path.stat().st_size > limit:
            raise ExchangeRefused(too_large, path)
        return path.read_bytes()
    except OSError as exc:
        raise file_error(path, exc) from exc


def file_name(name: str, what: str, seq: int, suffix: str) -> str:
    safe = "".join("_" if ch in UNSAFE_IN_NAMES or ord(ch) < 32 else ch for ch in name).strip(". ") or "乡镇"
    return f"{safe}-{what}-{seq:04d}{suffix}"


def write_verified(target: Path, data: bytes, magic: bytes, public_raw: bytes, data_dir: Path) -> None:
    """`data` (a bundle or a receipt) onto the stick through services/files.write_atomically: under a dot-name,
    fsynced, read back — the same bytes, a valid frame and signature — and only then renamed. A pulled stick, a
    full disk or a kill leaves at most a `.….partial` file, which nothing takes for a bundle or a receipt."""
    from desktop.services.files import write_atomically

    def verify(back: bytes) -> None:
        if back != data:
            raise ExchangeRefused("write_verify_failed", target)
        open_sealed(back, magic).verify(public_raw)

    write_atomically(target, lambda tmp: tmp.write_bytes(data), data_dir, verify=verify)
