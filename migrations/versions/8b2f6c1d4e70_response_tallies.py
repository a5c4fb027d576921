"""response tallies and newest responses index

How many responses each survey has by London day, audience, area, channel and held back
or not, kept in the same transaction as every change to the responses (app/tallies.py):
the Surveys page, each survey's page and the downloads page's charts add these up
instead of counting every response and reading its answers. Filled from the responses
already stored, so the pages show the same figures before and after the upgrade.

And an index of the responses newest first (submitted_at, id), so that the responses
browser reads a page without sorting every response.

Revision ID: 8b2f6c1d4e70
Revises: 7c3e9a1d5b20
Create Date: 2026-12-05 13:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8b2f6c1d4e70"
down_revision: str | None = "7c3e9a1d5b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "response_tallies",
        sa.Column("survey_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("area", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("responses", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "survey_id",
            "day",
            "audience",
            "area",
            "channel",
            "held",
            name=op.f("pk_response_tallies"),
        ),
    )
    # Imported here, not at the top: only the upgrade needs the app's counting code.
    from app.tallies import rebuild

    rebuild(op.get_bind())
    # Added in place on both databases: no table is copied.
    op.create_index("ix_responses_newest", "responses", ["submitted_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_responses_newest", table_name="responses")
    op.drop_table("response_tallies")
