"""comments analysed when stored, each with its place, feeling and quote key

Each comment is now analysed when its response is stored. A comment and each of its tags
keep where the response stands (when, which survey, audience, question) and its feeling,
so the themes page and a report count a survey's comments from one index; a comment keeps
the key that tells two quotes with the same words apart. Tags stored before this were
made lazily and have none of that: both tables are made afresh, empty, and
`./manage themes tag` analyses every stored response again (README, "Upgrading").

Revision ID: 7c3e9a1d5b20
Revises: 5d1e0c7a9b21
Create Date: 2026-12-05 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "7c3e9a1d5b20"
down_revision: str | None = "5d1e0c7a9b21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCOPE = ["submitted_at", "survey_id", "audience", "question"]
SURVEY_SCOPE = ["survey_id", "question", "submitted_at", "audience"]
HELD = sa.text("quarantined_at IS NOT NULL")


def upgrade() -> None:
    _drop_tags()
    op.execute("DELETE FROM themed_responses")
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=64), nullable=False),
        sa.Column("survey_id", sa.String(length=64), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("submitted_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("polarity", sa.Float(), nullable=True),
        sa.Column("quote_key", sa.String(length=16), nullable=True),
        *_comment_keys(),
    )
    op.create_index("ix_comments_scope", "comments", [*SCOPE, "polarity", "response_id"])
    op.create_index(
        "ix_comments_survey", "comments", [*SURVEY_SCOPE, "quote_key", "polarity", "response_id"]
    )
    op.create_table(
        "comment_themes",
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(length=64), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=64), nullable=False),
        sa.Column("survey_id", sa.String(length=64), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("submitted_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("polarity", sa.Float(), nullable=True),
        *_theme_keys(),
    )
    op.create_index("ix_comment_themes_theme", "comment_themes", ["theme", "comment_id"])
    op.create_index(
        "ix_comment_themes_scope", "comment_themes", [*SCOPE, "theme", "polarity", "response_id"]
    )
    op.create_index(
        "ix_comment_themes_survey",
        "comment_themes",
        [*SURVEY_SCOPE, "theme", "polarity", "response_id"],
    )
    op.create_index(
        "ix_responses_held", "responses", ["id"], sqlite_where=HELD, postgresql_where=HELD
    )


def downgrade() -> None:
    # The older code tags on a page's first request from the highest response tagged.
    op.drop_index("ix_responses_held", table_name="responses")
    _drop_tags()
    op.execute("DELETE FROM themed_responses")
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=64), nullable=False),
        sa.Column("polarity", sa.Float(), nullable=True),
        *_comment_keys(),
    )
    op.create_table(
        "comment_themes",
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(length=64), nullable=False),
        *_theme_keys(with_response=False),
    )
    op.create_index("ix_comment_themes_theme", "comment_themes", ["theme", "comment_id"])


def _drop_tags() -> None:
    op.drop_table("comment_themes")
    op.drop_table("comments")


def _comment_keys() -> list:
    return [
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
    ]


def _theme_keys(*, with_response: bool = True) -> list:
    response = sa.ForeignKeyConstraint(
        ["response_id"],
        ["responses.id"],
        name=op.f("fk_comment_themes_response_id_responses"),
        ondelete="CASCADE",
    )
    return [
        *([response] if with_response else []),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_comment_themes_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("comment_id", "theme", name=op.f("pk_comment_themes")),
    ]
