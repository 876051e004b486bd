"""Typed domain errors. They carry data, never words: `desktop.messages` turns them into Chinese.

Imports nothing of ours, so every layer (db, services, exchange, views, cli) may raise and catch them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class DomainError(Exception):
    """Base of every refusal the user should read about; never swallowed into a silent None."""


@dataclass(frozen=True)
class Problem:
    """One refused field: `field` names it (e.g. `villages[2].code`), `reason` is a key of the catalog."""

    field: str
    reason: str
    params: dict = field(default_factory=dict)


def choice(field_name: str, value: str, choices) -> Problem:
    """The usual refusal of a value outside a vocabulary: "{label}只能是：A、B、C（现为“x”）"."""
    return Problem(field_name, "choice", {"value": value, "choices": "、".join(str(c) for c in choices)})


def before(field_name: str, day, other: str, other_day) -> Problem:
    """A date earlier than one it must follow: "{label}（2026-05-30）早于决定书日期（2026-06-01）"."""
    return Problem(
        field_name,
        "before_date",
        {"value": day.isoformat(), "other": other, "other_value": other_day.isoformat()},
    )


class ValidationFailed(DomainError):
    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.reason}" for p in problems))
        self.problems = tuple(problems)


class StorageLocationRefused(DomainError):
    """The live database may not sit on a removable drive or a network share (SQLite WAL is unsafe there)."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(f"{kind}: {path}")
        self.path = path
        self.kind = kind  # "removable" | "network"


class DatabaseInUse(DomainError):
    def __init__(self, path: Path, holder: str) -> None:
        super().__init__(f"{path} is in use by {holder or 'another process'}")
        self.path = path
        self.holder = holder


class DatabaseTooNew(DomainError):
    """The file was written by a newer version of the program; it is left untouched."""

    def __init__(self, path: Path, revision: str) -> None:
        super().__init__(f"{path}: unknown schema revision {revision}")
        self.path = path
        self.revision = revision


class DatabaseDamaged(DomainError):
    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail


class BackupFailed(DomainError):
    def __init__(self, target: Path, detail: str) -> None:
        super().__init__(f"{target}: {detail}")
        self.target = target
        self.detail = detail


class NotSetUp(DomainError):
    """The township has not been set up yet (first run)."""


class AlreadySetUp(DomainError):
    def __init__(self, township: str) -> None:
        super().__init__(township)
        self.township = township


class DemoNeedsEmptyDatabase(DomainError):
    """Demo data is only ever written into a database with no township, so no real record mixes with it."""


class UnitInUse(DomainError):
    """A village or group with households on it cannot be removed."""

    def __init__(self, kind: str, name: str, households: int) -> None:
        super().__init__(f"{kind} {name}: {households} households")
        self.kind = kind  # "village" | "group"
        self.name = name
        self.households = households


class Cancelled(DomainError):
    """The user cancelled a long operation; nothing was written."""


class BadCredentials(DomainError):
    """Wrong user name or password. `remaining` is how many tries are left before a lock-out (None: unknown user)."""

    def __init__(self, username: str, remaining: int | None) -> None:
        super().__init__(username)
        self.username = username
        self.remaining = remaining


class AccountLocked(DomainError):
    def __init__(self, username: str, until: float) -> None:
        super().__init__(f"{username} until {until}")
        self.username = username
        self.until = until


class KeyStoreDamaged(DomainError):
    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail


class KeysMissing(DomainError):
    """The database exists but its key store (`wudu.keys`) does not: it cannot be opened."""

    def __init__(self, db_path: Path) -> None:
        super().__init__(str(db_path))
        self.db_path = db_path


class WrongKey(DomainError):
    """The key does not open the file (wrong key store, or not this program's database). Nothing was changed."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


class RecoveryKeyRejected(DomainError):
    """The recovery key typed in does not unlock this database."""


class PermissionDenied(DomainError):
    def __init__(self, permission: str, role: str | None) -> None:
        super().__init__(f"{permission} needs more than {role}")
        self.permission = permission
        self.role = role


class ExchangeRefused(DomainError):
    """A key file, bundle or receipt of the county exchange refused before anything was written: `reason` is a
    key of messages.EXCHANGE_REASONS, `params` fill its sentence."""

    def __init__(self, reason: str, path: Path | None = None, **params) -> None:
        super().__init__(f"{reason}: {path} {params}")
        self.reason = reason
        self.path = path
        self.params = params


class AuditChainBroken(DomainError):
    """The audit chain of `path` (a backup being restored) does not hold: `detail` is the problem
    (altered | gap | chain | tail_cut | head_missing), `entry_id` the first entry concerned."""

    def __init__(self, entry_id: int | None, detail: str, path: Path | None = None) -> None:
        super().__init__(f"entry {entry_id}: {detail}")
        self.entry_id = entry_id
        self.detail = detail
        self.path = path


class StorageFull(DomainError):
    """The disk (or the database's size limit) is full: the transaction was rolled back; committed data is safe."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


class StorageReadOnly(DomainError):
    """The database file or its folder cannot be written: nothing was changed."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


class FileProblem(DomainError):
    """A file the user named cannot be used as asked. `kind` says why:

    missing (no such file), folder (a folder where a file was meant), no_folder (the folder to write into is not
    there, or is a file), read_only (cannot be written), full (disk full), unreadable (cannot be read), empty
    (0 bytes), not_xlsx (not an Excel .xlsx workbook), xls (the old .xls format), damaged (a truncated or
    broken workbook or copy), live_database (the program's own live database file), exists (would overwrite)."""

    def __init__(self, path: Path, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {path}")
        self.path = Path(path)
        self.kind = kind
        self.detail = detail


def file_error(path: Path, exc: OSError, *, writing: bool = False) -> DomainError:
    """An OSError from opening, reading or writing `path`, as a refusal the user can act on."""
    import errno

    code = getattr(exc, "errno", None)
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", -1):
        return StorageFull(Path(path))
    if isinstance(exc, IsADirectoryError) or code == errno.EISDIR:
        return FileProblem(path, "folder")
    if isinstance(exc, FileNotFoundError) or code in (errno.ENOENT, errno.ENOTDIR):
        return FileProblem(path, "no_folder" if writing else "missing")
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return FileProblem(path, "read_only" if writing else "unreadable")
    return FileProblem(path, "read_only" if writing else "unreadable", exc.strerror or str(exc))


class NotAKeyPerson(DomainError):
    """A paper or record that only a key person (with a 重点人员档案) has was asked for someone without one."""

    def __init__(self, person_id: int) -> None:
        super().__init__(str(person_id))
        self.person_id = person_id


class InstallationExists(DomainError):
    """A new database was asked for where one already is."""

    def __init__(self, db_path: Path) -> None:
        super().__init__(str(db_path))
        self.db_path = db_path


class RecoveryRefused(DomainError):
    """The recovery key resets an existing administrator's password; it makes no new administrator while
    one exists, and never promotes another account."""

    def __init__(self, username: str, administrators: list[str]) -> None:
        super().__init__(username)
        self.username = username
        self.administrators = administrators


class LastAdministrator(DomainError):
    """The last active administrator cannot be removed or demoted: nobody could manage accounts any more."""


class NoticeNotFound(DomainError):
    """A urine-test notice asked for by its record number is not in this database (another window or a
    restore removed it, or the number belongs elsewhere)."""

    def __init__(self, text: str) -> None:
        super().__init__(f"no notice {text!r}")
        self.text = text


class AgreementNotFound(DomainError):
    """A responsibility agreement (or its scan) asked for by its record number is not in this database."""

    def __init__(self, text: str) -> None:
        super().__init__(f"no agreement {text!r}")
        self.text = text


class ImportRefused(DomainError):
    """Some rows were refused and the clerk did not choose 'only the good rows': nothing was written.
    `preview` is the import's preview (services.people_excel.ImportPreview)."""

    def __init__(self, preview) -> None:
        super().__init__(f"{len(preview.refused)} rows refused")
        self.preview = preview


class NotATemplate(DomainError):
    def __init__(self, path: Path, missing: list[str]) -> None:
        super().__init__(f"{path}: missing {missing}")
        self.path = path
        self.missing = missing


class NotAScreeningSheet(DomainError):
    """The workbook is not a sheet this program wrote for a campaign (or its campaign or village is gone)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason  # not_ours | campaign_gone | village_not_in_campaign


class CredentialsMissing(DomainError):
    """No password in WUDU_PASSWORD and no terminal to ask at."""

    def __init__(self, variable: str) -> None:
        super().__init__(variable)
        self.variable = variable
