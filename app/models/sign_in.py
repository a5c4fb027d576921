"""What signing in needs beyond a password: counts of failed tries per account, and the
second factor (an authenticator app's secret and single-use recovery codes)."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow
from app.models.accounts import User


class SignInFailures(Base):
    """Failed tries to sign in as one account, from anywhere, shared by every worker.

    The key is a keyed hash of the email address typed (or of a browser the account has
    signed in from before), never the address itself, and exists for unknown addresses
    too, so the limit behaves the same whether or not there is such an account.
    """

    __tablename__ = "sign_in_failures"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    # No try is allowed before this instant (the back-off after the last failure).
    next_try_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class TwoFactor(Base):
    """A user's authenticator app: its secret, encrypted, and the last time step used, so
    a code cannot be used twice."""

    __tablename__ = "two_factor"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    secret: Mapped[str] = mapped_column(String(300))  # a Fernet token, never the secret itself
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_step: Mapped[int | None] = mapped_column(BigInteger)

    user: Mapped[User] = relationship()


class RecoveryCode(Base):
    """A single-use code for signing in without the authenticator app. Only its hash is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
