"""axe finds nothing on the "You said, we did" pages (every theme) and on the staff pages
for actions, reports, themes, safeguarding and the outbox."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.feedback import reports as workflow
from app.models import Action, Report, User
from app.preferences import THEMES
from tests.browser.axe_check import violations
from tests.browser.navigation import press, sign_in
from tests.factories import make_response, make_user

COMMENTS = [f"The wait for CAMHS was {n} months, far too long" for n in range(3, 15)]


@pytest.fixture(scope="module")
def published(live_app):
    with live_app.app_context(), Session(live_app.extensions["db_engine"]) as db:
        for text in COMMENTS:
            make_response(
                db,
                survey="young-people",
                submitted_at=datetime(2025, 10, 1, tzinfo=UTC),
                answers={"should_change": text, "cares_about_opinion": "mostly"},
            )
        make_response(
            db,
            survey="young-people",
            submitted_at=datetime(2025, 10, 2, tzinfo=UTC),
            answers={"should_change": "my dad hits me"},
        )
        db.add(
            Action(
                survey_id="young-people",
                you_said="Waits are too long",
                we_will="Two new clinics",
                owner="CAMHS team",
                due_on=date(2020, 1, 1),
                success_measure="Waits under 18 weeks",
            )
        )
        officer, forum = (
            make_user(db, "officer", "a11y-officer@x.org"),
            make_user(db, "forum", "a11y-forum@x.org"),
        )
        make_user(db, "safeguarding", "a11y-safe@x.org")
        report = Report(
            survey_id="young-people", period="2025/26", child_summary="You told us waits are long."
        )
        db.add(report)
        db.flush()
        workflow.send_to_forum(report, officer, db, report.version)
        workflow.sign_off(report, forum, db, report.version)
        workflow.publish(report, officer, db, report.version)
        db.commit()
        return report.id


@pytest.mark.parametrize("theme", THEMES)
def test_public_report_pages(new_page, published, theme):
    page = new_page(theme=None if theme == "default" else theme)
    found = {}
    for url in (
        "/you-said-we-did",
        "/you-said-we-did/young-people/2025-26",
        "/you-said-we-did/young-people/2025-26/easy-read",
    ):
        page.goto(url)
        assert page.locator("h1").count() == 1
        found[url] = violations(page)
    assert found == {url: [] for url in found}


def sign_in_as(page, live_app, email):
    with Session(live_app.extensions["db_engine"], expire_on_commit=False) as db:
        user = db.scalar(select(User).where(User.email == email))
        db.commit()  # ends the read, which would hold SQLite's write lock from the app
        sign_in(page, db, user)


def test_staff_feedback_pages(new_page, published, live_app):
    found = {}
    page = new_page()
    sign_in_as(page, live_app, "a11y-officer@x.org")
    for url in (
        "/staff/actions",
        "/staff/actions/new",
        f"/staff/reports/{published}",
        "/staff/reports",
        "/staff/themes?survey=young-people&period=2025/26",
        "/staff/outbox",
    ):
        page.goto(url)
        found[url] = violations(page)
    page.goto("/staff/actions/new")
    press(page, "Save action")
    found["action form with errors"] = violations(page)
    lead = new_page()
    sign_in_as(lead, live_app, "a11y-safe@x.org")
    lead.goto("/staff/safeguarding")
    found["safeguarding queue"] = violations(lead)
    lead.locator("main table a").first.click()
    lead.wait_for_url("**/safeguarding/*")
    found["safeguarding flag"] = violations(lead)
    assert found == {key: [] for key in found}
