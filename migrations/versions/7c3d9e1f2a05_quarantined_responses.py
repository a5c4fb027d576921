"""quarantined responses, erased imports

A response sent past one address's allowance, or in a burst the officer quarantined, is
kept but held out of the measures until released. The import keys of erased imported
responses are kept so that importing the same file again does not bring them back.

Revision ID: 7c3d9e1f2a05
Revises: e3a9c1f04b7d
Create Date: 2026-12-05 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "7c3d9e1f2a05"
down_revision: str | None = "e3a9c1f04b7d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.add_column(
            sa.Column("quarantined_at", app.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("quarantine_reason", sa.String(length=200), nullable=True))
    op.create_table(
        "erased_imports",
        sa.Column("import_key", sa.String(length=80), nullable=False),
        sa.Column("erased_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("import_key", name=op.f("pk_erased_imports")),
    )


def downgrade() -> None:
    op.drop_table("erased_imports")
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("quarantine_reason")
        batch.drop_column("quarantined_at")
