"""Who is emailed as a report moves on: the forum when it is sent to them, officers when
it is signed off, and parent carers who asked when it is published (then their address is
deleted). Links come from BASE_URL; nothing from anyone's answers is in any email."""

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.models import ContactRequest, MessageStatus, OutboxMessage
from app.outbox.messages import REPORT_SIGNED_OFF, REPORT_WITH_FORUM, RESULTS_PUBLISHED
from app.outbox.queue import queue_message
from app.outbox.removal import removal_url
from app.respond.contacts import add_contact
from tests.factories import load_shipped_surveys, make_response, make_user, sign_in_as
from tests.outbox.mailserver import mail_server
from tests.pages import csrf_token, parse
from tests.staff.report_pages import save_text, step

BASE = "https://send.example.gov.uk"


@pytest.fixture(autouse=True)
def setup(app, db):
    app.config["BASE_URL"] = BASE
    load_shipped_surveys(db)
    make_response(db, survey="parent-carers", answers={})  # a report needs answers


@pytest.fixture
def client(app):
    """Every request claims to be for another site: links must not follow it."""
    client = app.test_client()
    client.environ_base["HTTP_HOST"] = "evil.example"
    return client


def start_report(client, survey="parent-carers"):
    return client.post(
        "/staff/reports",
        data={
            "csrf_token": csrf_token(client, "/staff/reports"),
            "survey_id": survey,
            "period": "2025/26",
        },
    ).headers["Location"]


def messages(db, kind=None):
    db.expire_all()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    found = db.scalars(query).all()
    db.commit()
    return found


def through_the_workflow(app, db, client):
    """Officer and forum take a parent carers' report to published."""
    url = start_report(client)
    save_text(client, url, send=True)
    forum = app.test_client()
    sign_in_as(forum, db, "forum")
    step(forum, url, "sign-off")
    step(client, url, "publish")
    return url


def test_the_forum_is_told_when_a_report_is_sent_to_them(app, db, client):
    sign_in_as(client, db, "officer")
    make_user(db, "forum", "chair@forum.example.org")
    make_user(db, "forum", "gone@forum.example.org").active = False
    db.commit()
    make_user(db, "safeguarding", "lead@herefordshire.gov.uk")
    url = start_report(client)
    assert messages(db) == []
    save_text(client, url, send=True)
    [message] = messages(db)
    assert (message.kind, message.recipient) == (REPORT_WITH_FORUM, "chair@forum.example.org")
    # From BASE_URL, never from the Host the request claimed.
    assert message.fields["report_url"] == BASE + url


def test_officers_are_told_when_the_forum_signs_off(app, db, client):
    sign_in_as(client, db, "officer")
    make_user(db, "officer", "second.officer@herefordshire.gov.uk")
    url = start_report(client)
    save_text(client, url, send=True)
    forum = app.test_client()
    sign_in_as(forum, db, "forum")
    step(forum, url, "sign-off")
    told = {m.recipient for m in messages(db, REPORT_SIGNED_OFF)}
    assert told == {"officer@herefordshire.gov.uk", "second.officer@herefordshire.gov.uk"}


def test_a_refused_step_queues_nothing(db, client):
    sign_in_as(client, db, "officer")
    make_user(db, "officer", "second.officer@herefordshire.gov.uk")
    url = start_report(client)
    step(client, url, "publish")  # not signed off: refused
    step(client, url, "sign-off")  # not the forum: refused
    assert messages(db) == []


def test_parent_carers_get_one_email_with_the_report_then_their_address_is_gone(app, db, client):
    make_response(
        db, survey="parent-carers", answers={"going_well": "Mrs Smith at Kington is kind"}
    )
    add_contact(db, "parent-carers", "parent@example.org")
    add_contact(db, "parent-carers", "Parent@Example.org ")  # answered twice
    add_contact(db, "parent-carers", "other@example.org")
    add_contact(db, "children", "parent@example.org")  # not this report's survey
    db.commit()
    sign_in_as(client, db, "officer")
    through_the_workflow(app, db, client)
    queued = messages(db, RESULTS_PUBLISHED)
    assert sorted(m.recipient.lower() for m in queued) == [
        "other@example.org",
        "parent@example.org",
    ]
    left = db.scalars(select(ContactRequest)).all()
    assert [(c.survey_id, c.email) for c in left] == [("children", "parent@example.org")]
    db.commit()

    with mail_server() as server:
        server.configure(app)
        app.test_cli_runner().invoke(args=["outbox", "send"])
    by_address = {
        mail["To"].lower(): mail
        for mail in server.received
        if mail["Subject"] == "Results published: Working together - parent carer survey"
    }
    assert set(by_address) == {"parent@example.org", "other@example.org"}
    mail = by_address["parent@example.org"]
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Mrs Smith" not in text + html and "Kington" not in text + html
    report_link = f"{BASE}/you-said-we-did/parent-carers/2025-26"
    assert report_link in text.split()
    assert parse_html(html).select_one(f'a[href="{report_link}"]').text == "Read the results"
    assert client.get(report_link.removeprefix(BASE)).status_code == 200
    # Sent: the outbox keeps no address and no link, only kind, status and when.
    for row in messages(db, RESULTS_PUBLISHED):
        assert (row.status, row.recipient, row.fields) == (MessageStatus.SENT, None, {})
        assert row.sent_at is not None

    # The removal link takes the address off the other survey's list too.
    remove_link = parse_html(html).select_one("a[href*='/email/remove/']")["href"]
    assert remove_link.startswith(f"{BASE}/email/remove/")
    path = remove_link.removeprefix(BASE)
    done = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert parse(done).h1.text == "Your email address has been removed"
    assert db.scalars(select(ContactRequest)).all() == []


def parse_html(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_the_removal_link_also_removes_an_unsent_email_and_cannot_be_forged(app, db, client):
    with app.test_request_context():
        link = removal_url("Parent@example.org")
        other = removal_url("someone.else@example.org")
    queue_message(
        db,
        RESULTS_PUBLISHED,
        "parent@example.org",
        survey_title="x",
        report_url=f"{BASE}/r",
        remove_url=link,
    )
    db.commit()
    forged = link.removeprefix(BASE)[:-4] + "0000"
    for path, heading in (
        (forged, "There is no email address to remove"),
        (other.removeprefix(BASE), "There is no email address to remove"),
        (link.removeprefix(BASE), "Your email address has been removed"),
    ):
        page = client.post(path, data={"csrf_token": csrf_token(client, path)})
        assert parse(page).h1.text == heading
    assert messages(db) == []
