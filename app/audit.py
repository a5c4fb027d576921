"""The audit log: who did or saw what, when.

An action is noted in the same transaction as the action itself. A page that only shows
something (a disclosure, a download) notes it with `record_seen`, committed before the page
is sent.
"""

from typing import Any

from sqlalchemy.orm import Session

from app.db import get_engine, get_session, is_read_only_request, session_scope
from app.models import AuditEvent, User


def record(session: Session, user: User | None, action: str, subject: str, **detail: Any) -> None:
    """Note that USER did ACTION to SUBJECT ("safeguarding.view", "flag:12"). Does not commit."""
    session.add(AuditEvent(user=user, action=action, subject=subject, detail=detail))


def record_seen(user: User | None, action: str, *subjects: str, **detail: Any) -> None:
    """Note that USER was shown SUBJECTS in this request, committed now on a GET.

    A GET reads in a deferred SQLite transaction, which cannot become a write once another
    worker has committed since it began: SQLite answers "database is locked" at once, and
    the busy timeout does not retry it, so under respondent traffic most audited pages
    failed. The note is written in a short write transaction of its own instead, which
    waits its turn like any other write. In a POST the request's session already holds the
    write lock (a second transaction would wait for it), so the note joins it and the view
    commits both together.
    """
    events = [
        AuditEvent(user_id=user.id if user else None, action=action, subject=s, detail=detail)
        for s in subjects
    ]
    if is_read_only_request():
        with session_scope(get_engine()) as session:
            session.add_all(events)
    else:
        get_session().add_all(events)
