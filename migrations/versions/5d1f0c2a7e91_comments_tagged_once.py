"""comments tagged once

Each comment's themes and feeling, worked out once per codebook rather than on every
request (app/feedback/themes.py). Filled in by the first page that needs them.

Revision ID: 5d1f0c2a7e91
Revises: 7c1d2e3f4a5b
Create Date: 2026-12-05 10:25:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d1f0c2a7e91"
down_revision: str | None = "7c1d2e3f4a5b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.create_index(
            "ix_responses_in_scope",
            ["submitted_at", "survey_id", "quarantined_at", "audience"],
            unique=False,
        )
    op.create_table(
        "themed_responses",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("codebook", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_themed_responses_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", name=op.f("pk_themed_responses")),
    )
    with op.batch_alter_table("themed_responses", schema=None) as batch_op:
        batch_op.create_index(
            "ix_themed_responses_codebook", ["codebook", "response_id"], unique=False
        )
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=64), nullable=False),
        sa.Column("polarity", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_comments_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
        sa.UniqueConstraint(
            "response_id", "question", name=op.f("uq_comments_response_id_question")
        ),
    )
    op.create_table(
        "comment_themes",
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_comment_themes_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("comment_id", "theme", name=op.f("pk_comment_themes")),
    )
    with op.batch_alter_table("comment_themes", schema=None) as batch_op:
        batch_op.create_index("ix_comment_themes_theme", ["theme", "comment_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("comment_themes", schema=None) as batch_op:
        batch_op.drop_index("ix_comment_themes_theme")
    op.drop_table("comment_themes")
    op.drop_table("comments")
    with op.batch_alter_table("themed_responses", schema=None) as batch_op:
        batch_op.drop_index("ix_themed_responses_codebook")
    op.drop_table("themed_responses")
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index("ix_responses_in_scope")
