"""What can happen to a staff account after it is created: a new role, disabled, enabled,
a password reset. Each change is audited and ends the account's sessions where it
should; none may leave the service without an active officer.

ACTOR is the officer making the change, or None for the command line. Nothing here
commits: the view or command does, once.
"""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.audit import record
from app.db import utcnow
from app.models import Role, SignInToken, User
from app.outbox.messages import PASSWORD_RESET, STAFF_INVITE
from app.outbox.notices import queue_set_password_link
from app.staff.accounts import AccountError, create_user, issue_token, normalise_email
from app.staff.sessions import Ended, end_sessions


def team(session: Session) -> list[User]:
    """Every account, active ones first, then by email."""
    return list(session.scalars(select(User).order_by(User.active.desc(), User.email)))


def find_user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise AccountError(f"there is no account for {normalise_email(email)}")
    return user


def invite(session: Session, actor: User | None, email: str, role: Role) -> tuple[User, str]:
    """A new account and the one-time token that lets its owner set a password, which is
    emailed to them when a mail backend is set."""
    user, token = create_user(session, email, role)
    queue_set_password_link(session, user, token, STAFF_INVITE)
    _audit(session, actor, "account.invited", user, role=role.value)
    return user, token


def change_role(session: Session, actor: User | None, user: User, role: Role) -> None:
    """Give USER a new ROLE; their sessions end, so the new role applies from their next
    sign-in and nothing they had open keeps the old one's pages."""
    if user.role == role:
        raise AccountError(f"{user.email} already has the role {role.value}")
    if role != Role.OFFICER:
        _keep_an_officer(session, user, "demoted")
    old = user.role
    user.role = role.value
    end_sessions(session, user, Ended.ROLE_CHANGED)
    _audit(session, actor, "account.role_changed", user, old=old, new=role.value)


def disable(session: Session, actor: User | None, user: User) -> None:
    """Stop USER signing in, and sign them out everywhere."""
    if not user.active:
        raise AccountError(f"{user.email} is already disabled")
    _keep_an_officer(session, user, "disabled")
    user.active = False
    end_sessions(session, user, Ended.DISABLED)
    _audit(session, actor, "account.disabled", user)


def enable(session: Session, actor: User | None, user: User) -> None:
    """Let a disabled USER sign in again, with the password they had."""
    if user.active:
        raise AccountError(f"{user.email} is already enabled")
    user.active = True
    _audit(session, actor, "account.enabled", user)


def reset_password(session: Session, actor: User | None, user: User) -> str:
    """Clear USER's password, end their sessions, and give a new one-time token to set
    another (any earlier unused link stops working). For a forgotten password or one
    that may be known to someone else."""
    if not user.active:
        raise AccountError(f"{user.email} is disabled: enable the account first")
    user.password_hash = None
    session.execute(
        update(SignInToken)
        .where(SignInToken.user_id == user.id, SignInToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    end_sessions(session, user, Ended.RESET)
    _audit(session, actor, "account.password_reset", user)
    token = issue_token(session, user)
    queue_set_password_link(session, user, token, PASSWORD_RESET)
    return token


def _keep_an_officer(session: Session, user: User, what: str) -> None:
    """Refuse to leave no active officer: nobody could then manage the team or surveys.

    The active officers' rows are locked (FOR UPDATE on PostgreSQL; SQLite's write
    transactions already run one at a time), so two officers demoting each other at the
    same moment cannot both succeed.
    """
    if user.role != Role.OFFICER or not user.active:
        return
    officers = session.scalars(
        select(User.id).where(User.role == Role.OFFICER.value, User.active).with_for_update()
    ).all()
    if list(officers) == [user.id]:
        raise AccountError(
            f"{user.email} is the only active officer and cannot be {what}: "
            "make someone else an officer first"
        )


def _audit(session: Session, actor: User | None, action: str, user: User, **detail) -> None:
    record(
        session,
        actor,
        action,
        f"user:{user.id}",
        email=user.email,
        by="command line" if actor is None else "team page",
        **detail,
    )
