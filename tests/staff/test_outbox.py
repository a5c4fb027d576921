"""The officer's outbox page: every email waiting or failed, with its status, tries, last
error and the links they may copy; the latest sent, without parent carers' addresses."""

from datetime import UTC, datetime

from app.models import MessageStatus
from app.outbox.messages import PASSWORD_RESET, RESULTS_PUBLISHED, STAFF_INVITE
from app.outbox.queue import queue_message
from tests.factories import sign_in_as
from tests.pages import parse

INVITE = "https://send.example.gov.uk/staff/set-password/invite-token"
RESET = "https://send.example.gov.uk/staff/set-password/reset-token"


def cards(page) -> dict[str, dict[str, str]]:
    """Each waiting or failed message's card: {recipient: {key: value}}."""
    found = {}
    for card in page.select(".govuk-summary-card"):
        rows = {
            row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(
                " ", strip=True
            )
            for row in card.select(".govuk-summary-list__row")
        }
        rows["title"] = card.select_one(".govuk-summary-card__title").get_text(strip=True)
        rows["links"] = [field.text for field in card.select("textarea[readonly]")]
        found[rows["To"]] = rows
    return found


def test_the_officer_sees_each_message_and_can_copy_the_links_they_may_send(client, db):
    sign_in_as(client, db, "officer")
    queue_message(db, STAFF_INVITE, "new@herefordshire.gov.uk", set_password_url=INVITE)
    reset = queue_message(db, PASSWORD_RESET, "lead@herefordshire.gov.uk", set_password_url=RESET)
    reset.attempts, reset.last_error = 2, "Could not reach the mail relay: timed out"
    reset.next_attempt_at = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
    failed = queue_message(
        db,
        RESULTS_PUBLISHED,
        "parent@example.org",
        survey_title="Parent carers",
        report_url="https://send.example.gov.uk/you-said-we-did/parent-carers/2025-26",
        remove_url="https://send.example.gov.uk/email/remove/secret",
    )
    failed.status, failed.attempts = MessageStatus.FAILED.value, 1
    failed.last_error = "The mail relay refused the address: 550 <img src=x onerror=alert(1)>"
    sent = queue_message(
        db, RESULTS_PUBLISHED, "", survey_title="x", report_url="https://a", remove_url="https://b"
    )
    sent.status, sent.recipient, sent.fields = MessageStatus.SENT.value, None, {}
    sent.sent_at = datetime(2026, 6, 1, 13, 5, tzinfo=UTC)
    db.commit()

    page = parse(client.get("/staff/outbox"))
    assert page.h1.text == "Emails"
    assert "No email is being sent" in page.select_one(".govuk-warning-text").text
    shown = cards(page)
    invite = shown["new@herefordshire.gov.uk"]
    assert invite["title"] == "Invitation to a staff account"
    assert (invite["Status"], invite["Tries"]) == ("Waiting", "0")
    assert invite["links"] == [INVITE]
    # Another person's password reset or removal link is theirs alone.
    reset_card = shown["lead@herefordshire.gov.uk"]
    assert reset_card["links"] == []
    assert (reset_card["Status"], reset_card["Next try"]) == ("Trying again", "1 June 2026 10:30")
    parent = shown["parent@example.org"]
    assert parent["Status"] == "Failed" and parent["links"] == []
    assert parent["Tries"] == "1. It will not be tried again."
    assert parent["Last error"].endswith("550 <img src=x onerror=alert(1)>")
    assert page.select("img") == []
    assert "secret" not in str(page)
    [row] = page.select(".govuk-table__body .govuk-table__row")
    cells = [cell.get_text(strip=True) for cell in row.select("td")]
    assert cells == [
        "Results published (to a parent carer)",
        "A parent carer (address deleted)",
        "1 June 2026 14:05",
    ]


def test_with_a_backend_the_page_says_which(app, client, db):
    app.config["MAIL_BACKEND"] = "notify"
    sign_in_as(client, db, "officer")
    page = parse(client.get("/staff/outbox"))
    assert "sent through GOV.UK Notify" in page.select_one(".govuk-inset-text").text
    assert page.select_one(".govuk-warning-text") is None
    assert "No emails are waiting." in page.text


def test_the_workspace_links_officers_to_it(client, db):
    sign_in_as(client, db, "officer")
    links = [a["href"] for a in parse(client.get("/staff")).select("a")]
    assert "/staff/outbox" in links
