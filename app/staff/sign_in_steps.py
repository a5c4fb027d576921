"""Signing in in steps: after a correct password, staff with an authenticator app give a
code from it (app/staff/two_factor_views.py); officers and safeguarding leads without one
set one up first. Until then they are only part signed in: the session says who they are
and what is left to do, and no staff page opens.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from flask import Response, after_this_request, redirect, session, url_for
from flask_babel import ngettext
from flask_login import login_user
from sqlalchemy.orm import Session

from app.audit import record
from app.db import get_engine, utcnow
from app.models import User
from app.security import STAFF_SESSION_KEY
from app.staff.sessions import start_session
from app.staff.throttle import forget_failures, remember_device, second_step_key
from app.staff.two_factor import confirmed_for, required_for

PENDING = "pending_sign_in"
# Long enough to find the phone and open the app; after that, the password again.
PENDING_LIFETIME = timedelta(minutes=10)


@dataclass
class Pending:
    """Someone who gave the right password and has a second step to do."""

    user: User
    key: str  # what their codes are counted under (app/staff/throttle.py)
    next_url: str | None


def after_password(db: Session, user: User, key: str, next_url: str | None) -> Response:
    """Where a correct password leads: the code page, the set-up page, or (for the forum
    without an app) straight in. Commits."""
    has_app = confirmed_for(db, user) is not None
    if not has_app and not required_for(user):
        return finish_sign_in(db, user, key, next_url)
    db.commit()
    forget_failures(get_engine(), key)
    session.clear()
    session[PENDING] = {
        "user": user.id,
        "key": second_step_key(key),
        "next": next_url,
        "at": utcnow().timestamp(),
    }
    return redirect(url_for("staff.two_factor" if has_app else "staff.two_factor_set_up"))


def pending(db: Session) -> Pending | None:
    """Who is part signed in with this session, if anyone (and not for too long)."""
    state = session.get(PENDING)
    if not isinstance(state, dict):
        return None
    if utcnow().timestamp() - state.get("at", 0) > PENDING_LIFETIME.total_seconds():
        session.pop(PENDING)
        return None
    user = db.get(User, state["user"])
    if user is None or not user.active:
        return None
    return Pending(user=user, key=state["key"], next_url=state.get("next"))


def finish_sign_in(db: Session, user: User, key: str, next_url: str | None) -> Response:
    """Sign USER in (every step done) and go on to NEXT_URL or the workspace."""
    sign_in_for_good(db, user, key)
    return redirect(next_url or url_for("staff.dashboard"))


def sign_in_for_good(db: Session, user: User, key: str) -> None:
    """Sign USER in for good: audited, their failed tries forgotten, a new session kept on
    the server (so one planted before cannot be taken over, and signing out ends it
    everywhere), and this browser remembered as theirs."""
    record(db, user, "staff.signed_in", f"user:{user.id}")
    staff_session = start_session(db, user)
    db.commit()
    forget_failures(get_engine(), key)
    session.clear()
    login_user(user)
    session[STAFF_SESSION_KEY] = staff_session
    email = user.email

    @after_this_request
    def remember(response: Response) -> Response:
        remember_device(response, email)
        return response


def note_failed_try(db: Session, user: User | None, step: str, *, refused: bool = False) -> None:
    """Put a failed try (wrong password or code) or a refused one (too many tries) in the
    audit log, committed now, so a guessing attack on an account can be traced.

    The actor is left empty: whoever tried is not known to be the account's owner. A try
    at an email with no account names no account and keeps nothing that was typed: it may
    be a password typed into the wrong box."""
    action = "staff.sign_in_refused" if refused else "staff.sign_in_failed"
    record(db, None, action, f"user:{user.id}" if user else "no-account", step=step)
    db.commit()


def too_many_tries(wait: timedelta) -> str:
    """The error message for a try refused by the limit per account, the same for every
    account and for emails with no account."""
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return ngettext(
        "There have been too many tries. Wait %(num)d minute, then try again.",
        "There have been too many tries. Wait %(num)d minutes, then try again.",
        minutes,
    )
