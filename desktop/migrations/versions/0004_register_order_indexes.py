"""indexes that give the residents register its order (village → group → household → person) without sorting

With them, and the join order fixed, SQLite walks the register in order and a first page needs no sort of
the whole county (benchmarks/register.py: 860 ms → a few ms for the first page).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("village", schema=None) as batch_op:
        batch_op.create_index("ix_village_order", ["sort_order", "id"], unique=False)
    with op.batch_alter_table("village_group", schema=None) as batch_op:
        batch_op.create_index("ix_group_order", ["village_id", "sort_order", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("village_group", schema=None) as batch_op:
        batch_op.drop_index("ix_group_order")
    with op.batch_alter_table("village", schema=None) as batch_op:
        batch_op.drop_index("ix_village_order")
