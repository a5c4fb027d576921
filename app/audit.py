"""The audit log: who did or saw what, when. Written in the same transaction as the action."""

from typing import Any

from sqlalchemy.orm import Session

from app.models import AuditEvent, User


def record(session: Session, user: User | None, action: str, subject: str, **detail: Any) -> None:
    """Note that USER did ACTION to SUBJECT ("safeguarding.view", "flag:12"). Does not commit."""
    session.add(AuditEvent(user=user, action=action, subject=subject, detail=detail))
