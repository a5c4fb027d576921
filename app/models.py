"""Typed SQLAlchemy models: staff, surveys and their versions, responses, admin figures."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow


class Role(StrEnum):
    OFFICER = "officer"
    FORUM = "forum"
    SAFEGUARDING = "safeguarding"


class Channel(StrEnum):
    ONLINE = "online"
    PAPER = "paper"
    EVENT = "event"
    PHONE = "phone"
    OTHER = "other"


def _one_of(column: str, enum: type[StrEnum]) -> CheckConstraint:
    values = ", ".join(f"'{member.value}'" for member in enum)
    return CheckConstraint(f"{column} IN ({values})", name=f"{column}_valid")


class User(Base):
    """A member of staff or of the parent carer forum who signs in."""

    __tablename__ = "users"
    __table_args__ = (_one_of("role", Role),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    sign_in_tokens: Mapped[list["SignInToken"]] = relationship(back_populates="user")

    # Flask-Login's user protocol.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)


class SignInToken(Base):
    """A one-time link that lets a new user set their password. Only its hash is stored."""

    __tablename__ = "sign_in_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="sign_in_tokens")


class Survey(Base):
    """A survey, named by its file in surveys/; its questions live in its versions."""

    __tablename__ = "surveys"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Promised on the start page: the date by which respondents will hear what was done.
    feedback_by: Mapped[date | None]

    versions: Mapped[list["SurveyVersion"]] = relationship(
        back_populates="survey", order_by="SurveyVersion.version"
    )


class SurveyVersion(Base):
    """One definition of a survey, frozen: answers point at the version they answered."""

    __tablename__ = "survey_versions"
    __table_args__ = (UniqueConstraint("survey_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[str] = mapped_column(ForeignKey("surveys.id"))
    version: Mapped[int] = mapped_column(Integer)
    audience: Mapped[str] = mapped_column(String(20))
    checksum: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    survey: Mapped[Survey] = relationship(back_populates="versions")


class Response(Base):
    """One respondent's submitted answers, as {question id: option id, [option ids] or text}.

    Audience is copied from the version answered so that analysis never needs to reinterpret
    an old answer through a newer definition.
    """

    __tablename__ = "responses"
    __table_args__ = (
        _one_of("channel", Channel),
        Index("ix_responses_survey_submitted", "survey_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[str] = mapped_column(ForeignKey("surveys.id"))
    survey_version_id: Mapped[int] = mapped_column(ForeignKey("survey_versions.id"), index=True)
    audience: Mapped[str] = mapped_column(String(20))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(10), default=Channel.ONLINE.value)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Shown to the respondent so they can later see what was done; not linked to a person.
    receipt_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    # Fingerprint of an imported CSV row, so importing the same file again adds nothing.
    import_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    # The draft it was submitted from: unique, so a double click cannot store it twice.
    draft_id: Mapped[int | None] = mapped_column(
        ForeignKey("drafts.id", ondelete="SET NULL"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    survey_version: Mapped[SurveyVersion] = relationship()


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


class ContactRequest(Base):
    """A parent carer's email, given with consent, to hear when a survey's results are out.

    Kept apart from the answers: nothing links it to a response or receipt code.
    """

    __tablename__ = "contact_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[str] = mapped_column(ForeignKey("surveys.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
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
