"""person.name_initials: the pinyin initials of each name, indexed, for searching by letters (张三 → ZS);
filled in for the residents already registered

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from desktop.models.pinyin import initials

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_initials", sa.String(), nullable=False, server_default=""))
        batch_op.create_index("ix_person_initials", ["name_initials"], unique=False)
    conn = op.get_bind()
    person = sa.table("person", sa.column("id", sa.Integer), sa.column("name", sa.String))
    update = sa.text("UPDATE person SET name_initials = :initials WHERE id = :pid")
    last = 0
    while True:  # in batches: a county database holds hundreds of thousands of residents
        rows = conn.execute(
            sa.select(person.c.id, person.c.name)
            .where(person.c.id > last)
            .order_by(person.c.id)
            .limit(20_000)
        ).all()
        if not rows:
            break
        conn.execute(update, [{"initials": initials(name), "pid": pid} for pid, name in rows])
        last = rows[-1][0]


def downgrade() -> None:
    # SQLite drops a column in place (3.35+); batch mode would rebuild person, which other tables reference
    op.drop_index("ix_person_initials", table_name="person")
    op.execute("ALTER TABLE person DROP COLUMN name_initials")
