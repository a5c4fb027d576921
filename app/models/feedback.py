"""Closing the loop: safeguarding flags, theme corrections, the action log, and the
"You said, we did" reports with the parent carer forum's comments and sign-off."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow
from app.models.accounts import User
from app.models.common import one_of
from app.models.surveys import Response


class SafeguardingFlag(Base):
    """A response whose words may show a child at risk, flagged when it was stored.

    Only the safeguarding role sees it; every view is written to the audit log.
    """

    __tablename__ = "safeguarding_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), unique=True
    )
    # {question id: [reasons]}: which answers raised the flag, and why.
    reasons: Mapped[dict[str, list[str]]] = mapped_column(JSON)
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    handling_note: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship()
    handled_by: Mapped[User | None] = relationship()


class CorrectionAction(StrEnum):
    ADD = "add"
    REMOVE = "remove"


class ThemeCorrection(Base):
    """The officer's correction of an automatic theme tag on one comment."""

    __tablename__ = "theme_corrections"
    __table_args__ = (
        UniqueConstraint("response_id", "question", "theme"),
        one_of("action", CorrectionAction),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(64))
    theme: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ThemedResponse(Base):
    """A response whose comments have been analysed, and tagged with the codebook whose
    fingerprint is `codebook`: worked out once, when the response is stored, not from
    every comment on each request. Answers never change once stored, so only a changed
    codebook (another fingerprint) needs tagging again (app/feedback/comments.py)."""

    __tablename__ = "themed_responses"
    __table_args__ = (Index("ix_themed_responses_codebook", "codebook", "response_id"),)

    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    codebook: Mapped[str] = mapped_column(String(16))

    response: Mapped[Response] = relationship()


# Where a comment's response stands, kept on the comment and on each of its tags (answers
# never change once stored), so that counting the comments of a survey and period reads
# one index, never the responses: `app.feedback.themes.in_scope`.
SCOPE = ("submitted_at", "survey_id", "audience", "question")
# The same, for one survey's question (a report's): read from the survey's part alone.
SURVEY_SCOPE = ("survey_id", "question", "submitted_at", "audience")


class Comment(Base):
    """One written answer to a free-text question of a tagged response (its words stay
    in the response), with the feeling of its words and, if it could be quoted, what
    tells it apart from other quotes."""

    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("response_id", "question"),
        Index("ix_comments_scope", *SCOPE, "polarity", "response_id"),
        Index("ix_comments_survey", *SURVEY_SCOPE, "quote_key", "polarity", "response_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(64))
    survey_id: Mapped[str] = mapped_column(String(64))
    audience: Mapped[str] = mapped_column(String(20))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # `analysis.sentiment.polarity`, from -1 to 1.
    polarity: Mapped[float | None] = mapped_column(Float)
    # `analysis.report.quote_keys`: the same for two comments that would read as the same
    # quote; None for one a report never quotes (too short or too long once redacted).
    quote_key: Mapped[str | None] = mapped_column(String(16))

    response: Mapped[Response] = relationship()
    themes: Mapped[list["CommentTheme"]] = relationship(passive_deletes=True)


class CommentTheme(Base):
    """A theme the codebook found in a comment, before the officer's corrections (which
    are applied when the tags are read, so a correction is seen at once), with its
    comment's place and feeling (`SCOPE`)."""

    __tablename__ = "comment_themes"
    __table_args__ = (
        Index("ix_comment_themes_theme", "theme", "comment_id"),
        Index("ix_comment_themes_scope", *SCOPE, "theme", "polarity", "response_id"),
        Index("ix_comment_themes_survey", *SURVEY_SCOPE, "theme", "polarity", "response_id"),
    )

    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    )
    theme: Mapped[str] = mapped_column(String(64), primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(64))
    survey_id: Mapped[str] = mapped_column(String(64))
    audience: Mapped[str] = mapped_column(String(20))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    polarity: Mapped[float | None] = mapped_column(Float)

    response: Mapped[Response] = relationship()


# The responses held back (few): what a count of comments leaves out, found without
# reading the others.
Index(
    "ix_responses_held",
    Response.id,
    sqlite_where=text("quarantined_at IS NOT NULL"),
    postgresql_where=text("quarantined_at IS NOT NULL"),
)


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class Action(Base):
    """One row of the public, rolling action list: what was done about what people said."""

    __tablename__ = "actions"
    __table_args__ = (one_of("status", ActionStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[str | None] = mapped_column(ForeignKey("surveys.id"), index=True)
    theme: Mapped[str | None] = mapped_column(String(64))
    you_said: Mapped[str] = mapped_column(Text)
    we_will: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date]
    success_measure: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.PLANNED.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    updates: Mapped[list["ActionUpdate"]] = relationship(
        back_populates="action", order_by="ActionUpdate.at", cascade="all, delete-orphan"
    )


class ActionUpdate(Base):
    """A progress note on an action, with the status it moved to."""

    __tablename__ = "action_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    action: Mapped[Action] = relationship(back_populates="updates")
    user: Mapped[User | None] = relationship()


class ReportStatus(StrEnum):
    DRAFT = "draft"
    WITH_FORUM = "with_forum"
    SIGNED_OFF = "signed_off"
    PUBLISHED = "published"


class Report(Base):
    """A "You said, we did" report for one survey and period: drafted by the officer,
    commented on and signed off by the parent carer forum, then published.

    The content is frozen (`published_content`) when the report is sent to the forum, so
    what the forum reviews and signs off is exactly what is published, and later changes
    to answers, themes or actions never rewrite it. `version` goes up with every save and
    every step: a form carries the version it was shown at, and one from an older page is
    refused rather than overwrite what happened since.
    """

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("survey_id", "period"), one_of("status", ReportStatus))

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[str] = mapped_column(ForeignKey("surveys.id"))
    period: Mapped[str] = mapped_column(String(7))
    status: Mapped[str] = mapped_column(String(20), default=ReportStatus.DRAFT.value)
    introduction: Mapped[str] = mapped_column(Text, default="")
    child_summary: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_off_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_content: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    comments: Mapped[list["ReportComment"]] = relationship(
        back_populates="report", order_by="ReportComment.at", cascade="all, delete-orphan"
    )
    signed_off_by: Mapped[User | None] = relationship()


class ReportComment(Base):
    """The forum's (or officer's) comment on a draft report."""

    __tablename__ = "report_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="comments")
    user: Mapped[User | None] = relationship()
