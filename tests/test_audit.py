"""The audit log records what staff do: signing in, changing actions, correcting themes."""

from sqlalchemy import select

from app.models import AuditEvent
from tests.factories import load_shipped_surveys, sign_in_as
from tests.pages import csrf_token


def test_staff_actions_are_logged_with_who_did_them(client, db):
    load_shipped_surveys(db)
    officer = sign_in_as(client, db, "officer")
    client.post(
        "/staff/actions/new",
        data={
            "csrf_token": csrf_token(client, "/staff/actions/new"),
            "survey_id": "",
            "theme": "",
            "you_said": "More clubs",
            "we_will": "Fund two clubs",
            "owner": "Short breaks team",
            "due_on-day": "1",
            "due_on-month": "9",
            "due_on-year": "2026",
            "success_measure": "Two clubs open",
            "status": "planned",
        },
    )
    db.commit()
    events = [(e.user_id, e.action) for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert events == [(officer.id, "staff.signed_in"), (officer.id, "action.saved")]
