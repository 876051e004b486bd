"""村(社区)干部 → 村（社区）干部: the cadre role is written with full-width brackets, as Chinese text is, in the
group members already recorded, the township's required roles and the column's default

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD, NEW = "村(社区)干部", "村（社区）干部"
OLD_DEFAULT = f"社区民警,{OLD},家庭成员/监护人"
NEW_DEFAULT = f"社区民警,{NEW},家庭成员/监护人"


def _rename(old: str, new: str, old_default: str, new_default: str) -> None:
    conn = op.get_bind()
    conn.execute(
        sa.text("UPDATE aftercare_member SET role = :new WHERE role = :old"), {"new": new, "old": old}
    )
    conn.execute(
        sa.text(
            "UPDATE township SET aftercare_required_roles = replace(aftercare_required_roles, :old, :new)"
        ),
        {"new": new, "old": old},
    )
    with op.batch_alter_table("township", schema=None) as batch_op:
        batch_op.alter_column(
            "aftercare_required_roles",
            existing_type=sa.String(),
            existing_nullable=False,
            existing_server_default=old_default,
            server_default=new_default,
        )


def upgrade() -> None:
    _rename(OLD, NEW, OLD_DEFAULT, NEW_DEFAULT)


def downgrade() -> None:
    _rename(NEW, OLD, NEW_DEFAULT, OLD_DEFAULT)
