"""choice counts, and the measure counts by survey

How many responses to each survey gave each answer to each choice question, by London
day (app/choice_counts.py), and the measure counts kept by survey as well as by the
public breakdowns (app/counts.py): a "You said, we did" report adds these up instead of
reading every response of its survey twice. Both kept in the same transaction as every
change to the responses, and filled here from the responses already stored, so a report
shows the same figures before and after the upgrade.

Revision ID: 4c8e2a6f1d93
Revises: 8b2f6c1d4e70
Create Date: 2026-12-05 17:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4c8e2a6f1d93"
down_revision: str | None = "8b2f6c1d4e70"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "choice_counts",
        sa.Column("survey_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("question", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("responses", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "survey_id", "day", "question", "answer", name=op.f("pk_choice_counts")
        ),
    )
    # Imported here, not at the top: only the upgrade needs the app's counting code.
    from app import choice_counts, counts

    connection = op.get_bind()
    choice_counts.rebuild(connection)
    # Counted afresh: the same rows as before, and each survey's cells besides.
    counts.rebuild(connection)


def downgrade() -> None:
    op.drop_table("choice_counts")
    # The code before this revision keeps no survey cells: its check would find them.
    op.execute("DELETE FROM measure_counts WHERE dimension = 'survey'")
