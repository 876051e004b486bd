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
