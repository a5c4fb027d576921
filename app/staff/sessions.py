"""Staff sessions kept on the server: started at sign-in, checked on every request, ended
by signing out, a new password, a new role or a disabled account.

The session cookie holds only a random id. Its hash is a row in `staff_sessions`, which
every worker and every app server reads, so ending the row ends every copy of the cookie.
"""

import hashlib
import secrets
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import Engine, delete, or_, select, update
from sqlalchemy.orm import Session

from app.db import reading, session_scope, utcnow
from app.models import StaffSession, User

# Writing last_seen_at on every request would make every page a write; a minute's
# slack in the idle sign-out costs nothing.
TOUCH_EVERY = timedelta(minutes=1)
# A user's sessions unused for this long are deleted when they next sign in, so the table
# holds only recent ones, whatever the idle and lifetime settings.
FORGET_AFTER = timedelta(days=30)


class Ended(StrEnum):
    """Why a session is no longer live (stored as `end_reason`, and shown on sign-in)."""

    SIGNED_OUT = "signed out"
    PASSWORD_SET = "password set"
    ROLE_CHANGED = "role changed"
    DISABLED = "disabled"
    RESET = "password reset"
    IDLE = "idle"
    TOO_LONG = "lifetime over"
    UNKNOWN = "unknown"


def start_session(session: Session, user: User) -> str:
    """A new live session for USER; the id to keep in their cookie. Does not commit."""
    now = utcnow()
    session.execute(
        delete(StaffSession).where(
            StaffSession.user_id == user.id,
            or_(
                StaffSession.ended_at.is_not(None),
                StaffSession.last_seen_at < now - FORGET_AFTER,
            ),
        )
    )
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(user=user, token_hash=_digest(token), started_at=now, last_seen_at=now)
    )
    return token


def check_session(
    engine: Engine, user_id: int, token: str | None, idle: timedelta, lifetime: timedelta
) -> Ended | None:
    """None if TOKEN is a live session of USER_ID, else why not: ended, idle longer than
    IDLE, or older than LIFETIME.

    Like the rate limits, it works in transactions of its own, so it never waits on or
    rolls back with a page's work: it reads (never blocking on a writer), and at most once
    a minute writes down that the session was used.
    """
    if not token:
        return Ended.UNKNOWN
    now = utcnow()
    with session_scope(reading(engine)) as session:
        row = session.scalar(
            select(StaffSession).where(
                StaffSession.token_hash == _digest(token), StaffSession.user_id == user_id
            )
        )
    if row is None:
        return Ended.UNKNOWN
    if row.ended_at is not None:
        return Ended(row.end_reason) if row.end_reason in set(Ended) else Ended.UNKNOWN
    if now - row.started_at > lifetime:
        return Ended.TOO_LONG
    if now - row.last_seen_at > idle:
        return Ended.IDLE
    if now - row.last_seen_at > TOUCH_EVERY:
        with session_scope(engine) as session:
            session.execute(
                update(StaffSession).where(StaffSession.id == row.id).values(last_seen_at=now)
            )
    return None


def end_sessions(session: Session, user: User, reason: str) -> int:
    """End every live session of USER, wherever its cookie is: the next request with any
    copy of it gets the sign-in page. REASON is kept with them (an `Ended`, or any short
    text). How many were ended. Does not commit."""
    result = session.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=str(reason)[:32])
    )
    return result.rowcount


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
