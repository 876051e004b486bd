"""aftercare_case.agreement_signed_on: when the case's 帮教协议书 was signed, so it counts in the agreements'
coverage beside the 责任书

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("aftercare_case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agreement_signed_on", sa.Date(), nullable=True))


def downgrade() -> None:
    # SQLite drops a column in place (3.35+); batch mode would rebuild a table others reference
    op.execute("ALTER TABLE aftercare_case DROP COLUMN agreement_signed_on")
