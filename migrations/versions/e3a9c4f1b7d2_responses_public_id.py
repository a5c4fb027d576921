"""a stable public id (a UUID) on each response

Exports carry it, so importing an export again adds nothing. Responses stored before get
a random one each, made in SQL so that a million rows take seconds.

Revision ID: e3a9c4f1b7d2
Revises: 7c3d9e1f2a05
Create Date: 2026-12-05 07:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e3a9c4f1b7d2"
down_revision: str | None = "7c3d9e1f2a05"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A version 4 UUID from SQLite's random bytes: 8-4-4-4-12 hex digits, the version digit
# 4 and the variant digit one of 8, 9, a, b.
SQLITE_UUID4 = (
    "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' ||"
    " substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) ||"
    " substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
)


def upgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("public_id", sa.String(length=36), nullable=True))
    new_uuid = (
        "gen_random_uuid()::text" if op.get_bind().dialect.name == "postgresql" else SQLITE_UUID4
    )
    op.execute(f"UPDATE responses SET public_id = {new_uuid}")
    with op.batch_alter_table("responses") as batch:
        batch.alter_column("public_id", existing_type=sa.String(length=36), nullable=False)
        batch.create_unique_constraint(op.f("uq_responses_public_id"), ["public_id"])


def downgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.drop_constraint(op.f("uq_responses_public_id"), type_="unique")
        batch.drop_column("public_id")
