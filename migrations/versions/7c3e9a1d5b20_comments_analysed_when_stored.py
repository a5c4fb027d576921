"""comments analysed when stored, each with its quote key

Each comment is now analysed when its response is stored, and keeps the key that tells
two quotes with the same words apart (`comments.quote_key`). Tags stored before this were
made lazily, oldest response first, and have no quote key: they are cleared, and
`./manage themes tag` analyses every stored response again (README, "Upgrading").

Revision ID: 7c3e9a1d5b20
Revises: 5d1e0c7a9b21
Create Date: 2026-12-05 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c3e9a1d5b20"
down_revision: str | None = "5d1e0c7a9b21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _clear()
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("quote_key", sa.String(length=16), nullable=True))


def downgrade() -> None:
    # The older code tags on a page's first request from the highest response tagged.
    _clear()
    with op.batch_alter_table("comments") as batch:
        batch.drop_column("quote_key")


def _clear() -> None:
    # Child rows first: SQLite would otherwise cascade row by row.
    op.execute("DELETE FROM comment_themes")
    op.execute("DELETE FROM comments")
    op.execute("DELETE FROM themed_responses")
