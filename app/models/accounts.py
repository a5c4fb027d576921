"""Staff accounts, their one-time links, and the audit log of what staff do."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow
from app.models.common import one_of


class Role(StrEnum):
    OFFICER = "officer"
    FORUM = "forum"
    SAFEGUARDING = "safeguarding"


class User(Base):
    """A member of staff or of the parent carer forum who signs in."""

    __tablename__ = "users"
    __table_args__ = (one_of("role", Role),)

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


class StaffSession(Base):
    """One signed-in session of a member of staff.

    The cookie carries only a random id, whose hash is kept here. The session is live while
    this row says so, so ending it here ends every copy of the cookie, in every worker and
    on every app server, at once.
    """

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(32))

    user: Mapped[User] = relationship()


class AuditEvent(Base):
    """Something a member of staff did or saw that must be accountable (for example, opening
    a safeguarding disclosure)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    user: Mapped[User | None] = relationship()


class RateLimitWindow(Base):
    """How many times one key (an action from one address) was tried in one time window.

    Kept in the database so that every gunicorn worker counts the same tries. The key holds
    no address: it is a keyed hash made with that day's `RateLimitSecret` (app/ratelimit.py).
    """

    __tablename__ = "rate_limit_windows"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # Unix seconds
    hits: Mapped[int] = mapped_column(Integer, default=0)
    # When the window ends (Unix seconds); the row is deleted after that.
    expires_at: Mapped[int] = mapped_column(BigInteger, index=True, server_default="0")


class RateLimitSecret(Base):
    """A random secret for one UTC day, mixed with SECRET_KEY to hash that day's keys.

    Deleted once no window of its day is left; after that nobody, not even with SECRET_KEY,
    can tell which address a key of that day came from.
    """

    __tablename__ = "rate_limit_secrets"

    day: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    secret: Mapped[str] = mapped_column(String(64))
