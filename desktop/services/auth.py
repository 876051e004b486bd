"""Who may do what. Enforced here, in the services, not only by greying out buttons in the window."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desktop.errors import PermissionDenied
from desktop.models.enums import Role


class Permission(StrEnum):
    READ = "read"
    WRITE = "write"
    PRINT = "print"
    VIEW_FULL_ID = "view_full_id"
    BACKUP = "backup"
    SETTINGS = "settings"
    ACCOUNTS = "accounts"
    RESTORE = "restore"
    AUDIT = "audit"
    EXCHANGE = "exchange"  # export to the county, import its receipts; at the county, import bundles


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.CLERK: frozenset(
        {
            Permission.READ,
            Permission.WRITE,
            Permission.PRINT,
            Permission.VIEW_FULL_ID,
            Permission.BACKUP,
            Permission.EXCHANGE,
        }
    ),
    Role.VIEWER: frozenset({Permission.READ}),
}


@dataclass(frozen=True)
class Actor:
    username: str
    display_name: str
    role: Role

    def may(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]


def require(db, permission: Permission) -> Actor:
    """The logged-in actor, if their role allows `permission`; else PermissionDenied (also when nobody is)."""
    actor = getattr(db, "actor", None)
    if actor is None:
        raise PermissionDenied(permission.value, None)
    if not actor.may(permission):
        raise PermissionDenied(permission.value, actor.role.value)
    return actor
