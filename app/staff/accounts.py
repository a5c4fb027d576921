"""Staff accounts: creating them, one-time links to set a password, and checking passwords."""

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.models import Role, SignInToken, User
from app.staff.sessions import Ended, end_sessions

LINK_LIFETIME = timedelta(days=7)
_hasher = PasswordHasher()
# Compared against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message says why."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_with_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(session: Session, email: str, role: Role) -> tuple[User, str]:
    """A new account with no password yet, and the one-time token that lets its owner set one."""
    email = normalise_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise AccountError(f"'{email}' is not an email address")
    if session.scalar(select(User).where(User.email == email)) is not None:
        raise AccountError(f"there is already an account for {email}")
    user = User(email=email, role=role.value)
    session.add(user)
    session.flush()
    return user, issue_token(session, user)


def issue_token(session: Session, user: User) -> str:
    token = secrets.token_urlsafe(32)
    session.add(
        SignInToken(user=user, token_hash=_digest(token), expires_at=utcnow() + LINK_LIFETIME)
    )
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The user a one-time token belongs to, if it is unused and unexpired."""
    row = _usable_token(session, token)
    return row.user if row else None


def set_password_with_token(session: Session, token: str, password: str) -> User:
    """Set the password of the token's user, use the token up, and end every session
    signed in with the old password."""
    row = _usable_token(session, token)
    if row is None:
        raise AccountError("This link has expired or has already been used.")
    row.used_at = utcnow()
    row.user.password_hash = _hasher.hash(password)
    end_sessions(session, row.user, Ended.PASSWORD_SET)
    return row.user


def _usable_token(session: Session, token: str) -> SignInToken | None:
    row = session.scalar(select(SignInToken).where(SignInToken.token_hash == _digest(token)))
    if row is None or row.used_at is not None or row.expires_at < utcnow() or not row.user.active:
        return None
    return row


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, or None (taking the same time either way)."""
    user = user_with_email(session, email)
    stored = user.password_hash if user and user.password_hash and user.active else None
    try:
        _hasher.verify(stored or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if stored is None:
        return None
    if _hasher.check_needs_rehash(stored):
        user.password_hash = _hasher.hash(password)
    user.last_signed_in_at = utcnow()
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
