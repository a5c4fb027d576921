"""responses kept index

The answers not held back, by survey and time, as a partial index: the staff Surveys page
counts each survey's answers, and those of each recent week, from it alone.

Revision ID: 5d1e0c7a9b21
Revises: d7c0a9e4b513
Create Date: 2026-12-05 10:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d1e0c7a9b21"
down_revision: str | None = "d7c0a9e4b513"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEPT = sa.text("quarantined_at IS NULL")


# An index is added and dropped in place on both databases: no table is copied.
def upgrade() -> None:
    op.create_index(
        "ix_responses_kept",
        "responses",
        ["survey_id", "submitted_at"],
        unique=False,
        sqlite_where=KEPT,
        postgresql_where=KEPT,
    )


def downgrade() -> None:
    op.drop_index("ix_responses_kept", table_name="responses")
