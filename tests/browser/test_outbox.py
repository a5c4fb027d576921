"""The officer's outbox page in Chromium: on a phone nothing scrolls sideways, however long
the links and errors, and axe finds nothing with messages of every status on it."""

import pytest
from sqlalchemy.orm import Session

from app.models import MessageStatus
from app.outbox.messages import RESULTS_PUBLISHED, STAFF_INVITE
from app.outbox.queue import queue_message
from tests.browser.axe_check import violations
from tests.browser.test_feedback_accessibility import sign_in_as
from tests.factories import make_user

LONG_LINK = "https://send.herefordshire.gov.uk/staff/set-password/" + "x" * 43


@pytest.fixture(scope="module")
def officer(live_app):
    with live_app.app_context(), Session(live_app.extensions["db_engine"]) as db:
        make_user(db, "officer", "outbox-officer@x.org")
        queue_message(
            db, STAFF_INVITE, "a.very.long.name@herefordshire.gov.uk", set_password_url=LONG_LINK
        )
        failed = queue_message(
            db,
            RESULTS_PUBLISHED,
            "parent.carer.with.a.long.address@example.org",
            survey_title="Working together",
            report_url="https://send.herefordshire.gov.uk/you-said-we-did/parent-carers/2025-26",
            remove_url="https://send.herefordshire.gov.uk/email/remove/" + "y" * 64,
        )
        failed.status, failed.attempts = MessageStatus.FAILED.value, 1
        failed.last_error = (
            "The mail relay refused the address: 550 5.1.1 "
            "<parent.carer.with.a.long.address@example.org>: Recipient address rejected: "
            "User unknown in virtual mailbox table"
        )
        retrying = queue_message(
            db, STAFF_INVITE, "b@herefordshire.gov.uk", set_password_url=LONG_LINK
        )
        retrying.attempts = 3
        retrying.last_error = (
            "Could not reach the mail relay smtp.herefordshire.gov.uk:587: timed out"
        )
        db.commit()
    return "outbox-officer@x.org"


@pytest.mark.parametrize("width", [360, 1280])
def test_the_outbox_page_fits_and_passes_axe(new_page, live_app, officer, width):
    page = new_page(width=width)
    sign_in_as(page, live_app, officer)
    page.goto("/staff/outbox")
    assert page.locator("h1").inner_text() == "Emails"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    links = [box.input_value() for box in page.get_by_label("Link to copy").all()]
    assert LONG_LINK in links
    assert violations(page) == []
