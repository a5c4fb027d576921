"""answers as JSONB on PostgreSQL

Reading answers out of JSONB is several times faster than re-parsing json text; SQLite
keeps its JSON text, unchanged.

Revision ID: 5b1e7c2d9a04
Revises: c052fb2fbd68
Create Date: 2026-11-25 14:58:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "5b1e7c2d9a04"
down_revision: str | None = "c052fb2fbd68"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "responses",
            "answers",
            type_=postgresql.JSONB(),
            existing_type=sa.JSON(),
            postgresql_using="answers::jsonb",
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "responses",
            "answers",
            type_=sa.JSON(),
            existing_type=postgresql.JSONB(),
            postgresql_using="answers::json",
        )
