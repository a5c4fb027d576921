"""Two presses of one button at the same moment (two app servers, one database): the
report's version lets exactly one through, on SQLite and PostgreSQL."""

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import make_engine
from app.feedback import reports as workflow
from app.models import OutboxMessage, Report, User
from app.outbox.messages import RESULTS_PUBLISHED
from app.respond.contacts import add_contact
from tests.factories import load_shipped_surveys, make_response, make_user

pytestmark = pytest.mark.postgres


def signed_off_report(db) -> tuple[int, int, int]:
    load_shipped_surveys(db)
    make_response(db, survey="parent-carers", answers={})
    add_contact(db, "parent-carers", "parent@example.org")
    officer, forum = make_user(db, "officer"), make_user(db, "forum")
    report = Report(survey_id="parent-carers", period="2025/26")
    db.add(report)
    db.flush()
    workflow.send_to_forum(report, officer, db, report.version)
    workflow.sign_off(report, forum, db, report.version)
    db.commit()
    return report.id, report.version, officer.id


def race(app, database_url: str, step, report_id: int, version: int, user_id: int) -> list[str]:
    """Take STEP from two app servers at once, both from a page showing VERSION."""
    start = threading.Barrier(2)
    outcomes = []

    def press():
        engine = make_engine(database_url)
        # Both begin together: on SQLite the first read already takes the write lock.
        start.wait(timeout=30)
        with app.app_context(), Session(engine) as session:
            found = session.get(Report, report_id)
            user = session.get(User, user_id)
            try:
                step(found, user, session, version)
                session.commit()
                outcomes.append("done")
            except workflow.ReportChanged:
                session.rollback()
                outcomes.append("refused")
        engine.dispose()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def test_two_presses_of_publish_at_once_publish_once(app, db, backend, database_url):
    with app.app_context():
        report_id, version, officer_id = signed_off_report(db)
    outcomes = race(app, database_url, workflow.publish, report_id, version, officer_id)
    assert outcomes == ["done", "refused"]
    sent = db.scalar(select(func.count()).where(OutboxMessage.kind == RESULTS_PUBLISHED))
    assert sent == 1
    db.expire_all()
    assert db.get(Report, report_id).version == version + 1
