"""a version number on each report, raised by every save and every step

A page carries the version it was shown at; a save or a step from an older page is
refused instead of overwriting what someone else did since.

Revision ID: 5d1e7a2c9b40
Revises: b49c3567c4bd
Create Date: 2026-12-05 10:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d1e7a2c9b40"
down_revision: str | None = "b49c3567c4bd"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("version")
