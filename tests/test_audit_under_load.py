"""Pages that write an audit row while they show something (the CSV export, a safeguarding
disclosure) keep working while respondents are sending answers at the same time."""

import threading

import pytest
from sqlalchemy import func, select

from app.models import AuditEvent, SafeguardingFlag
from tests.factories import load_shipped_surveys, make_response, sign_in_as
from tests.respond.walk import complete

pytestmark = pytest.mark.postgres

SENDERS = 3


def test_audited_pages_succeed_while_respondents_send(app, db):
    load_shipped_surveys(db)
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "respond": (10_000, 600)}
    make_response(db, "children", {"should_change": "my dad hits me and i am scared to go home"})
    flag_id = db.scalar(select(SafeguardingFlag.id))
    db.commit()
    officer, lead = app.test_client(), app.test_client()
    sign_in_as(officer, db, "officer")
    sign_in_as(lead, db, "safeguarding")

    sending = threading.Event()
    sending.set()
    sent, failures = [], []

    def respondent():
        client = app.test_client()
        try:
            while sending.is_set():
                complete(client, "children", {"cares_about_opinion": "always"})
                sent.append(1)
        except Exception as error:  # a failed send must fail the test, not vanish
            failures.append(error)

    senders = [threading.Thread(target=respondent) for _ in range(SENDERS)]
    for thread in senders:
        thread.start()
    try:
        statuses = []
        for _ in range(15):
            statuses.append(officer.get("/staff/responses/export?format=csv").status_code)
            statuses.append(lead.get(f"/staff/safeguarding/{flag_id}").status_code)
    finally:
        sending.clear()
        for thread in senders:
            thread.join()

    assert failures == []
    assert sent, "no respondent finished a survey while the pages were read"
    assert statuses == [200] * 30
    db.expire_all()
    audited = db.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action.in_(["responses.export", "safeguarding.view"]))
    )
    assert audited == 30
