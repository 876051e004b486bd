"""The key store `wudu.keys`: the database's random data key, wrapped for each user's password and for the
recovery key, plus what must be known before anyone has logged in (failed log-ins, lock-outs).

- The data key (32 random bytes) is SQLCipher's raw key. It never depends on one person's memory: it is
  wrapped (AES-256-GCM) under a key derived from each user's password (argon2id) and under the recovery key
  printed once at setup (密钥恢复单) and kept in the office safe.
- Each user entry also holds an argon2id PHC hash (argon2-cffi defaults) for verification, rehashed and
  rewrapped when those defaults change.
- The file holds no personal data, is replaced atomically, and is copied beside every backup: a database
  without its key store cannot be opened by anyone.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from desktop.errors import (
    AccountLocked,
    BadCredentials,
    KeyStoreDamaged,
    RecoveryKeyRejected,
    file_error,
)

FORMAT = 1
MAX_FAILURES = 5
BASE_LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 30 * 60
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper by a person


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text)


def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2-cffi's current defaults (argon2id)


def _kek(secret: str, salt: bytes, params: dict) -> bytes:
    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=params["t"],
        memory_cost=params["m"],
        parallelism=params["p"],
        hash_len=32,
        type=Type.ID,
    )


def _current_params() -> dict:
    h = _hasher()
    return {"t": h.time_cost, "m": h.memory_cost, "p": h.parallelism}


def _wrap(data_key: bytes, secret: str, aad: str) -> dict:
    salt, nonce, params = secrets.token_bytes(16), secrets.token_bytes(12), _current_params()
    wrapped = AESGCM(_kek(secret, salt, params)).encrypt(nonce, data_key, aad.encode())
    return {"kdf": params, "salt": _b64(salt), "nonce": _b64(nonce), "wrapped": _b64(wrapped)}


def _unwrap(entry: dict, secret: str, aad: str) -> bytes:
    key = _kek(secret, _unb64(entry["salt"]), entry["kdf"])
    return AESGCM(key).decrypt(_unb64(entry["nonce"]), _unb64(entry["wrapped"]), aad.encode())


def new_recovery_key() -> str:
    """8 groups of 5 characters (200 bits), easy to type back from the printed sheet."""
    chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(40))
    return "-".join(chars[i : i + 5] for i in range(0, 40, 5))


def normalise_recovery_key(text: str) -> str:
    chars = "".join(ch for ch in text.upper() if ch.isalnum())
    return "-".join(chars[i : i + 5] for i in range(0, len(chars), 5))


@dataclass
class KeyStore:
    path: Path
    data: dict

    # --- file ------------------------------------------------------------------------------------------
    @classmethod
    def path_for(cls, db_path: Path) -> Path:
        return Path(db_path).with_suffix(".keys")

    @classmethod
    def exists(cls, db_path: Path) -> bool:
        return cls.path_for(db_path).exists()

    @classmethod
    def load(cls, db_path: Path) -> KeyStore:
        path = cls.path_for(db_path)
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("format") != FORMAT or "users" not in data or "recovery" not in data:
                raise ValueError("unknown format")
        except (OSError, ValueError) as exc:
            raise KeyStoreDamaged(path, str(exc)) from exc
        return cls(path, data)

    def save(self) -> None:
        """Replace the file atomically; on a full disk or a read-only folder the old file stays as it was and
        no partial file is left behind."""
        partial = self.path.with_name(self.path.name + ".partial")
        try:
            with open(partial, "w", encoding="utf-8") as fh:
                json.dump(self.data, fh, ensure_ascii=False, indent=1, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(partial, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise file_error(self.path, exc, writing=True) from exc

    # --- creation --------------------------------------------------------------------------------------
    @classmethod
    def create(cls, db_path: Path, username: str, password: str) -> tuple[KeyStore, bytes, str]:
        """A new data key, wrapped for the first administrator and a new recovery key (returned once)."""
        data_key = secrets.token_bytes(32)
        recovery = new_recovery_key()
        store = cls(
            cls.path_for(db_path), {"format": FORMAT, "users": {}, "recovery": {}, "pending_audit": []}
        )
        store.data["recovery"] = _wrap(data_key, recovery, "wudu:recovery")
        store.set_password(data_key, username, password)
        store.save()
        return store, data_key, recovery

    # --- users -----------------------------------------------------------------------------------------
    def usernames(self) -> list[str]:
        return sorted(self.data["users"])

    def set_password(self, data_key: bytes, username: str, password: str) -> None:
        entry = _wrap(data_key, password, f"wudu:user:{username}")
        entry["hash"] = _hasher().hash(password)
        entry["failed"] = 0
        entry["locked_until"] = 0
        self.data["users"][username] = entry

    def remove_user(self, username: str) -> None:
        self.data["users"].pop(username, None)

    def unlock(self, username: str, password: str, *, now: float | None = None) -> bytes:
        """The data key, for the right password; failures count towards a growing lock-out."""
        now = time.time() if now is None else now
        entry = self.data["users"].get(username)
        if entry is None:
            _hasher().hash(password)  # same time as a real check: do not reveal which names exist
            self.note_failure(username, "unknown_user", now)
            raise BadCredentials(username, None)
        if entry.get("locked_until", 0) > now:
            raise AccountLocked(username, entry["locked_until"])
        try:
            _hasher().verify(entry["hash"], password)
            data_key = _unwrap(entry, password, f"wudu:user:{username}")
        except (VerifyMismatchError, VerificationError, InvalidHashError, InvalidTag):
            entry["failed"] = entry.get("failed", 0) + 1
            if entry["failed"] >= MAX_FAILURES:
                seconds = min(BASE_LOCK_SECONDS * 2 ** (entry["failed"] - MAX_FAILURES), MAX_LOCK_SECONDS)
                entry["locked_until"] = now + seconds
            self.note_failure(username, "bad_password", now)
            raise BadCredentials(username, max(MAX_FAILURES - entry["failed"], 0)) from None
        if _hasher().check_needs_rehash(entry["hash"]) or entry["kdf"] != _current_params():
            self.set_password(data_key, username, password)
        entry = self.data["users"][username]
        entry["failed"], entry["locked_until"] = 0, 0
        self.save()
        return data_key

    def unlock_with_recovery(self, recovery_key: str) -> bytes:
        try:
            return _unwrap(self.data["recovery"], normalise_recovery_key(recovery_key), "wudu:recovery")
        except (InvalidTag, KeyError, ValueError):
            raise RecoveryKeyRejected() from None

    # --- what happened before anyone could write the audit trail --------------------------------------------
    def note_failure(self, username: str, reason: str, now: float) -> None:
        self.data.setdefault("pending_audit", []).append({"at": now, "username": username, "reason": reason})
        self.data["pending_audit"] = self.data["pending_audit"][-500:]
        self.save()

    def take_pending_audit(self) -> list[dict]:
        pending = self.data.get("pending_audit", [])
        self.data["pending_audit"] = []
        return pending
