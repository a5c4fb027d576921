"""measure counts

The counts by day, month and year that the outcome measures are added up from, kept in
the same transaction as every change to the responses (app/counts.py). Filled from the
responses already stored, so the measures are the same before and after the upgrade.

Revision ID: d7c0a9e4b513
Revises: 5d1f0c2a7e91
Create Date: 2026-12-05 10:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d7c0a9e4b513"
down_revision: str | None = "5d1f0c2a7e91"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "measure_counts",
        sa.Column("grain", sa.String(length=5), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("measure", sa.String(length=80), nullable=False),
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("numerator", sa.BigInteger(), nullable=False),
        sa.Column("base", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "grain", "start", "measure", "dimension", "category", name=op.f("pk_measure_counts")
        ),
    )
    # Imported here, not at the top: only the upgrade needs the app's counting code.
    from app.counts import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table("measure_counts")
