"""paper hand-back: where and by when each survey's paper version goes back

Revision ID: 7c1d2e3f4a5b
Revises: 5d1e7a2c9b40
Create Date: 2026-12-05 10:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c1d2e3f4a5b"
down_revision: str | None = "5d1e7a2c9b40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, not batch mode: batch would copy `surveys` and drop the old table,
# which SQLite refuses while other tables' foreign keys point at it. SQLite has had ADD
# and DROP COLUMN since 3.35.


def upgrade() -> None:
    op.add_column("surveys", sa.Column("paper_return_to", sa.String(length=200), nullable=True))
    op.add_column("surveys", sa.Column("paper_return_by", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("surveys", "paper_return_by")
    op.drop_column("surveys", "paper_return_to")
