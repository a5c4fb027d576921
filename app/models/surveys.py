"""Surveys and their versions, targets, responses, drafts, contact requests, admin figures."""

import secrets
import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow
from app.models.common import one_of
from app.time import today_in_london

# PostgreSQL stores answers as JSONB: reading one answer out of a million rows is then
# several times faster than re-parsing json text (about 7 s against 23 s when measured).
ANSWERS_JSON = JSON().with_variant(JSONB(), "postgresql")


def new_public_id() -> str:
    """A random UUID, as text: a response's stable public id."""
    return str(uuid.uuid4())


class Channel(StrEnum):
    ONLINE = "online"
    PAPER = "paper"
    EVENT = "event"
    PHONE = "phone"
    OTHER = "other"


class SurveyStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


# Room for "the box in the school office, or to Mrs Smith in class 4".
PAPER_RETURN_TO_LENGTH = 200


class Survey(Base):
    """A survey, named by its file in surveys/; its questions live in its versions.

    The officer runs it: its status, the dates it opens and closes, and the date by which
    respondents are promised to hear what was done.
    """

    __tablename__ = "surveys"
    __table_args__ = (one_of("status", SurveyStatus),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Surveys loaded before statuses existed were open to everyone: they stay open.
    status: Mapped[str] = mapped_column(
        String(10), default=SurveyStatus.OPEN.value, server_default=SurveyStatus.OPEN.value
    )
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    feedback_by: Mapped[date | None]
    # Printed on every paper version: where to hand it back and by when.
    paper_return_to: Mapped[str | None] = mapped_column(String(PAPER_RETURN_TO_LENGTH))
    paper_return_by: Mapped[date | None]

    targets: Mapped[list["SurveyTarget"]] = relationship(
        back_populates="survey", cascade="all, delete-orphan"
    )

    versions: Mapped[list["SurveyVersion"]] = relationship(
        back_populates="survey", order_by="SurveyVersion.version"
    )


class SurveyTarget(Base):
    """How many answers the officer hopes for from one group (an audience or an area), so
    gaps in who has been heard show early."""

    __tablename__ = "survey_targets"
    __table_args__ = (UniqueConstraint("survey_id", "dimension", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[str] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    dimension: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(64))
    target: Mapped[int] = mapped_column(Integer)

    survey: Mapped[Survey] = relationship(back_populates="targets")


class SurveyVersion(Base):
    """One definition of a survey, frozen: answers point at the version they answered."""

    __tablename__ = "survey_versions"
    __table_args__ = (UniqueConstraint("survey_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[str] = mapped_column(ForeignKey("surveys.id"))
    version: Mapped[int] = mapped_column(Integer)
    audience: Mapped[str] = mapped_column(String(20))
    checksum: Mapped[str] = mapped_column(String(64))
    # Read only when a version is first parsed (app/surveys/versions.py keeps the parse),
    # not decoded again on every page that loads the version.
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    survey: Mapped[Survey] = relationship(back_populates="versions")


class Response(Base):
    """One respondent's submitted answers, as {question id: option id, [option ids] or text}.

    Audience is copied from the version answered so that analysis never needs to reinterpret
    an old answer through a newer definition.
    """

    __tablename__ = "responses"
    __table_args__ = (
        one_of("channel", Channel),
        Index("ix_responses_survey_submitted", "survey_id", "submitted_at"),
        # Covers what the themes page asks of a response (app/feedback/themes.py's
        # in_scope), so a million comments are counted without reading their answers.
        Index("ix_responses_in_scope", "submitted_at", "survey_id", "quarantined_at", "audience"),
        # The answers that count (none held back), by survey and time: the Surveys page
        # counts from this index alone, never reading a row (app/staff/cards.py).
        # Newest first, with the id as a tie-break: the responses browser reads a page of
        # 20 from this end or the other (app/staff/responses.py) instead of sorting them all.
        Index("ix_responses_newest", "submitted_at", "id"),
        Index(
            "ix_responses_kept",
            "survey_id",
            "submitted_at",
            sqlite_where=text("quarantined_at IS NULL"),
            postgresql_where=text("quarantined_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A stable name for the response outside this database: exports carry it, so
    # importing an export again adds nothing. Random, so it says nothing about anyone.
    public_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_public_id)
    survey_id: Mapped[str] = mapped_column(ForeignKey("surveys.id"))
    survey_version_id: Mapped[int] = mapped_column(ForeignKey("survey_versions.id"), index=True)
    audience: Mapped[str] = mapped_column(String(20))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(10), default=Channel.ONLINE.value)
    answers: Mapped[dict[str, Any]] = mapped_column(ANSWERS_JSON)
    # Shown to the respondent so they can later see what was done; not linked to a person.
    receipt_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    # Fingerprint of an imported CSV row, so importing the same file again adds nothing.
    import_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    # The draft it was submitted from: unique, so a double click cannot store it twice.
    draft_id: Mapped[int | None] = mapped_column(
        ForeignKey("drafts.id", ondelete="SET NULL"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Held out of the measures, themes, quotes and exports until the officer releases it:
    # sent past one address's allowance, or part of a burst the officer quarantined
    # (app/quarantine.py). Never deleted for it: a class's real answers can come back.
    quarantined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    quarantine_reason: Mapped[str | None] = mapped_column(String(200))

    survey_version: Mapped[SurveyVersion] = relationship()


class ErasedImport(Base):
    """The import key (of an imported or typed-in response) or the public id (of any
    response, as downloads carry it) of a response erased on request, so importing the
    same file or download again does not bring it back. Holds no answers."""

    __tablename__ = "erased_imports"

    import_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Draft(Base):
    """Answers saved page by page before they are sent, found again by a short resume code.

    Once sent, the answers move to a Response and are cleared from here; the row stays so a
    second click on "Send" finds the response already made.
    """

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_version_id: Mapped[int] = mapped_column(ForeignKey("survey_versions.id"), index=True)
    resume_code: Mapped[str] = mapped_column(String(16), unique=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    survey_version: Mapped[SurveyVersion] = relationship()
    response: Mapped[Response | None] = relationship(
        primaryjoin="Draft.id == Response.draft_id", viewonly=True, uselist=False
    )


def random_id() -> int:
    return secrets.randbelow(2**63 - 1) + 1


class ContactRequest(Base):
    """A parent carer's email, given with consent, to hear when a survey's results are out.

    Kept apart from the answers: nothing links it to a response or receipt code, and
    neither can its time or its number. It keeps only the day consent was given (a time
    would match the response sent a minute before), and its id is random, so neither the
    ids nor SQLite's row order (the id is the rowid there) follow the order of sending.
    """

    __tablename__ = "contact_requests"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"),
        primary_key=True,
        autoincrement=False,
        default=random_id,
    )
    survey_id: Mapped[str] = mapped_column(ForeignKey("surveys.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    consented_on: Mapped[date] = mapped_column(default=today_in_london)
    removal_token_hash: Mapped[str] = mapped_column(String(64), unique=True)


class AdminFigure(Base):
    """Counts for an admin-data measure for one period, and one area or the whole county ("")."""

    __tablename__ = "admin_figures"
    __table_args__ = (
        UniqueConstraint("measure", "period", "area"),
        CheckConstraint("numerator >= 0 AND numerator <= denominator", name="counts_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(7))
    area: Mapped[str] = mapped_column(String(64), default="")
    numerator: Mapped[int] = mapped_column(Integer)
    denominator: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
