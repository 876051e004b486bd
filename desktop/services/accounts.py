"""Accounts: the installation's first administrator, log-in, the recovery key, and managing users.

The key store (`desktop.keystore`) holds each user's wrapped data key; the database holds who they are and
their role. Log-ins, failed log-ins (recorded in the key store until someone logs in), password changes and
account changes all go into the audit trail.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import select

from desktop import audit
from desktop.db import Database, open_database
from desktop.errors import (
    BadCredentials,
    InstallationExists,
    KeysMissing,
    LastAdministrator,
    NotSetUp,
    Problem,
    RecoveryKeyRejected,
    RecoveryRefused,
    ValidationFailed,
)
from desktop.keystore import KeyStore
from desktop.models.enums import Role
from desktop.models.tables import UserAccount
from desktop.services.auth import Actor, Permission, require

MIN_PASSWORD = 10
MIN_STRENGTH = 3  # zxcvbn's score, 0..4
FAILURE_WORDS = {
    "bad_password": "密码错误",
    "unknown_user": "没有这个用户",
    "inactive": "账户已停用",
    "bad_recovery_key": "恢复密钥错误",
}
USERNAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,20}$")


@dataclass(frozen=True)
class Installation:
    db: Database
    recovery_key: str  # shown once, printed on the recovery sheet, never stored in the clear


@dataclass(frozen=True)
class UserInfo:
    username: str
    display_name: str
    role: Role
    active: bool


def is_installed(db_path: Path) -> bool:
    return KeyStore.exists(db_path)


def password_problems(
    password: str, username: str = "", field: str = "password", context: tuple[str, ...] = ()
) -> list[Problem]:
    """The one password rule (accounts, the first administrator, recovery; messages.PASSWORD_RULE says it):
    at least 10 characters, and hard to guess by zxcvbn's estimate (score 3: about 10^8 guesses, which at the
    key store's argon2id cost is years of guessing for someone who copied `wudu.keys`)."""
    if len(password) < MIN_PASSWORD:
        return [Problem(field, "password_short", {"min": MIN_PASSWORD})]
    from zxcvbn import zxcvbn

    hints = [h for h in (username, *context, "wudu", "无毒", "jindu", "admin") if h]
    if password.lower() == username.lower() or zxcvbn(password, user_inputs=hints)["score"] < MIN_STRENGTH:
        return [Problem(field, "password_weak", {})]
    return []


def _account_problems(username: str, display_name: str, password: str) -> list[Problem]:
    out = []
    if not USERNAME.match(username):
        out.append(Problem("username", "username_format", {"value": username}))
    if not display_name.strip():
        out.append(Problem("display_name", "required", {}))
    return out + password_problems(password, username, context=(display_name,))


def create_installation(
    db_path: Path, username: str, password: str, display_name: str = "管理员"
) -> Installation:
    """A new encrypted database with its key store, the first administrator and a new recovery key."""
    db_path = Path(db_path)
    username = username.strip()
    if KeyStore.exists(db_path) or (db_path.exists() and db_path.stat().st_size > 0):
        raise InstallationExists(db_path)
    problems = _account_problems(username, display_name, password)
    if problems:
        raise ValidationFailed(problems)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    store, key, recovery = KeyStore.create(db_path, username, password)
    try:
        database = open_database(db_path, key)
    except Exception:
        store.path.unlink(missing_ok=True)  # nothing was there before: leave nothing half-made behind
        raise
    database.actor = Actor(username, display_name.strip(), Role.ADMIN)
    with database.session() as s:
        s.add(UserAccount(username=username, display_name=display_name.strip(), role=Role.ADMIN.value))
        audit.record(s, [audit.Change("install", detail="创建数据库和第一个管理员")])
    return Installation(database, recovery)


def _load_store(db_path: Path) -> KeyStore:
    if not KeyStore.exists(db_path):
        if Path(db_path).exists() and Path(db_path).stat().st_size > 0:
            raise KeysMissing(Path(db_path))
        raise NotSetUp()
    return KeyStore.load(db_path)


def _actor_for(database: Database, username: str) -> Actor | None:
    with database.session() as s:
        user = s.exec(select(UserAccount).where(UserAccount.username == username)).first()
    if user is None or not user.active:
        return None
    return Actor(user.username, user.display_name, Role(user.role))


def _flush_pending(database: Database, store: KeyStore, action: str, detail: str = "") -> None:
    pending = store.take_pending_audit()
    changes = [
        audit.Change(
            "login_failed",
            detail=f"{dt.datetime.fromtimestamp(p['at']).strftime('%Y-%m-%d %H:%M:%S')} 用户“{p['username']}”："
            f"{FAILURE_WORDS.get(p['reason'], p['reason'])}",
        )
        for p in pending
    ]
    changes.append(audit.Change(action, detail=detail))
    with database.session() as s:
        audit.record(s, changes)
    store.save()


def log_in(db_path: Path, username: str, password: str, *, now: float | None = None) -> Database:
    store = _load_store(db_path)
    username = username.strip()
    key = store.unlock(username, password, now=now)
    database = open_database(Path(db_path), key)
    actor = _actor_for(database, username)
    if actor is None:
        database.close()
        store.note_failure(username, "inactive", now or dt.datetime.now().timestamp())
        raise BadCredentials(username, None)
    database.actor = actor
    _flush_pending(database, store, "login")
    return database


def confirm_password(database: Database, password: str) -> None:
    """Unlock after the idle lock: the same user's password, with the same lock-out rules."""
    store = _load_store(database.path)
    store.unlock(database.actor.username, password)
    _flush_pending(database, store, "unlock")


def recover(db_path: Path, recovery_key: str, username: str, new_password: str) -> Database:
    """With the sealed recovery key: set a new password for an existing, active administrator. A new
    administrator is made only when the database has none left (said plainly in the audit trail); a viewer or
    clerk is never promoted this way. Every attempt, failed or not, reaches the audit trail (a wrong key through
    the key store, like a failed log-in)."""
    store = _load_store(db_path)
    username = username.strip()
    problems = password_problems(new_password, username, "new_password")
    if problems:
        raise ValidationFailed(problems)
    try:
        key = store.unlock_with_recovery(recovery_key)
    except RecoveryKeyRejected:
        store.note_failure(username, "bad_recovery_key", dt.datetime.now().timestamp())
        raise
    database = open_database(Path(db_path), key)
    database.actor = Actor(username, username, Role.ADMIN)
    try:
        with database.session() as s:
            admins = s.exec(
                select(UserAccount).where(UserAccount.role == Role.ADMIN.value, UserAccount.active)
            ).all()
            user = s.exec(select(UserAccount).where(UserAccount.username == username)).first()
            if user is not None and user.role == Role.ADMIN.value and user.active:
                detail = f"用恢复密钥为管理员 {username} 重设密码"
            elif user is None and not admins:
                s.add(UserAccount(username=username, display_name=username, role=Role.ADMIN.value))
                detail = f"数据库中已没有管理员：用恢复密钥新建管理员 {username}"
            else:
                raise RecoveryRefused(username, [a.username for a in admins])
            audit.record(s, [audit.Change("recovery_reset", "user_account", detail=detail)])
    except RecoveryRefused:
        with database.session() as s:
            audit.record(
                s,
                [
                    audit.Change(
                        "recovery_failed", "user_account", detail=f"恢复密钥正确，但 {username} 不是管理员"
                    )
                ],
            )
        database.close()
        raise
    # the failures noted before anyone could write the trail go in now, with this one
    _flush_pending(database, store, "login", "用恢复密钥登录")
    store.set_password(key, username, new_password)
    store.save()
    database.actor = _actor_for(database, username)
    return database


def note_log_out(database: Database) -> None:
    """Record that the user is leaving (before the exit backup, so that backup already holds the entry)."""
    with database.session() as s:
        audit.record(s, [audit.Change("logout")])


def log_out(database: Database) -> None:
    note_log_out(database)
    database.close()


# --- managing accounts (administrators) ------------------------------------------------------------------------
def list_users(database: Database) -> list[UserInfo]:
    require(database, Permission.ACCOUNTS)
    with database.session() as s:
        users = s.exec(select(UserAccount).order_by(UserAccount.id)).all()
    return [UserInfo(u.username, u.display_name, Role(u.role), u.active) for u in users]


def create_user(database: Database, username: str, display_name: str, role: Role, password: str) -> UserInfo:
    require(database, Permission.ACCOUNTS)
    username = username.strip()
    problems = _account_problems(username, display_name, password)
    store = _load_store(database.path)
    if username in store.usernames():
        problems.append(Problem("username", "duplicate", {"value": username}))
    if problems:
        raise ValidationFailed(problems)
    with database.session() as s:
        if s.exec(select(UserAccount).where(UserAccount.username == username)).first():
            raise ValidationFailed([Problem("username", "duplicate", {"value": username})])
        s.add(UserAccount(username=username, display_name=display_name.strip(), role=Role(role).value))
    store.set_password(database.key, username, password)
    store.save()
    return UserInfo(username, display_name.strip(), Role(role), True)


def _active_admins(s) -> int:
    rows = s.exec(select(UserAccount).where(UserAccount.role == Role.ADMIN.value, UserAccount.active)).all()
    return len(rows)


def update_user(
    database: Database, username: str, *, role: Role | None = None, active: bool | None = None
) -> None:
    require(database, Permission.ACCOUNTS)
    with database.session() as s:
        user = s.exec(select(UserAccount).where(UserAccount.username == username)).one()
        was_admin = user.role == Role.ADMIN.value and user.active
        if role is not None:
            user.role = Role(role).value
        if active is not None:
            user.active = active
        user.updated_at = dt.datetime.now().replace(microsecond=0)
        s.flush()
        if was_admin and not (user.role == Role.ADMIN.value and user.active) and _active_admins(s) == 0:
            raise LastAdministrator()
    if active is False:
        store = _load_store(database.path)
        store.remove_user(username)
        store.save()


def reset_password(database: Database, username: str, new_password: str) -> None:
    """An administrator sets another user's password (also re-enables one removed from the key store)."""
    require(database, Permission.ACCOUNTS)
    problems = password_problems(new_password, username, "new_password")
    if problems:
        raise ValidationFailed(problems)
    with database.session() as s:
        s.exec(select(UserAccount).where(UserAccount.username == username)).one()
        audit.record(s, [audit.Change("password_reset", "user_account", detail=username)])
    store = _load_store(database.path)
    store.set_password(database.key, username, new_password)
    store.save()


def change_own_password(database: Database, old_password: str, new_password: str) -> None:
    actor = require(database, Permission.READ)
    problems = password_problems(new_password, actor.username, "new_password")
    if problems:
        raise ValidationFailed(problems)
    store = _load_store(database.path)
    store.unlock(actor.username, old_password)
    store.set_password(database.key, actor.username, new_password)
    store.save()
    with database.session() as s:
        audit.record(s, [audit.Change("password_change")])
