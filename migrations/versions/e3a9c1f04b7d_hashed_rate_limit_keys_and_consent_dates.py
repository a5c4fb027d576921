"""hashed rate-limit keys with day secrets; emails keep a consent date and a random id

Rate-limit windows stored before this held addresses in clear: they are deleted (they
last minutes). Each window now says when it ends, so it can be deleted then. An email
left for results keeps the day consent was given instead of the instant, and gets a
random id instead of the next number.

Revision ID: e3a9c1f04b7d
Revises: 828dfa64bc15
Create Date: 2026-12-05 07:45:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e3a9c1f04b7d"
down_revision: str | None = "828dfa64bc15"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

contacts = sa.table("contact_requests", sa.column("id", sa.BigInteger()))


def upgrade() -> None:
    op.execute("DELETE FROM rate_limit_windows")
    with op.batch_alter_table("rate_limit_windows") as batch:
        batch.add_column(
            sa.Column("expires_at", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch.create_index("ix_rate_limit_windows_expires_at", ["expires_at"])
    op.create_table(
        "rate_limit_secrets",
        sa.Column("day", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_rate_limit_secrets")),
    )

    postgresql = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("contact_requests") as batch:
        batch.add_column(sa.Column("consented_on", sa.Date(), nullable=True))
    day = "CAST(consented_at AS DATE)" if postgresql else "date(consented_at)"
    op.execute(f"UPDATE contact_requests SET consented_on = {day}")
    with op.batch_alter_table("contact_requests") as batch:
        batch.alter_column("consented_on", existing_type=sa.Date(), nullable=False)
        batch.drop_column("consented_at")
        if postgresql:
            batch.alter_column(
                "id", type_=sa.BigInteger(), existing_type=sa.Integer(), server_default=None
            )
    if postgresql:
        op.execute("DROP SEQUENCE IF EXISTS contact_requests_id_seq")
    _renumber(lambda: secrets.randbelow(2**63 - 1) + 1)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    numbers = iter(range(1, 2**31))
    _renumber(lambda: next(numbers))
    with op.batch_alter_table("contact_requests") as batch:
        batch.add_column(sa.Column("consented_at", sa.DateTime(timezone=True), nullable=True))
    midnight = "consented_on" if postgresql else "consented_on || ' 00:00:00.000000'"
    op.execute(f"UPDATE contact_requests SET consented_at = {midnight}")
    with op.batch_alter_table("contact_requests") as batch:
        batch.alter_column("consented_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.drop_column("consented_on")
        if postgresql:
            batch.alter_column("id", type_=sa.Integer(), existing_type=sa.BigInteger())
    if postgresql:
        op.execute("CREATE SEQUENCE contact_requests_id_seq OWNED BY contact_requests.id")
        op.execute(
            "SELECT setval('contact_requests_id_seq', COALESCE(MAX(id), 0) + 1, false) "
            "FROM contact_requests"
        )
        op.execute(
            "ALTER TABLE contact_requests ALTER COLUMN id "
            "SET DEFAULT nextval('contact_requests_id_seq')"
        )

    op.drop_table("rate_limit_secrets")
    with op.batch_alter_table("rate_limit_windows") as batch:
        batch.drop_index("ix_rate_limit_windows_expires_at")
        batch.drop_column("expires_at")


def _renumber(next_id) -> None:
    """Give every stored email a new id from NEXT_ID, so old ids say nothing of order."""
    connection = op.get_bind()
    for (old,) in connection.execute(sa.select(contacts.c.id)).all():
        connection.execute(sa.update(contacts).where(contacts.c.id == old).values(id=next_id()))
