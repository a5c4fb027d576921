"""The report workflow: each step only from the status before it, by the right role."""

import pytest
from sqlalchemy import select

from app.models import Report
from tests.factories import load_shipped_surveys, sign_in_as
from tests.pages import csrf_token, parse


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def start(client):
    return client.post(
        "/staff/reports",
        data={
            "csrf_token": csrf_token(client, "/staff/reports"),
            "survey_id": "children",
            "period": "2025/26",
        },
    ).headers["Location"]


def step(client, url, name):
    return client.post(f"{url}/{name}", data={"csrf_token": csrf_token(client, url)})


def status(db):
    db.expire_all()
    found = db.scalar(select(Report)).status
    db.commit()
    return found


def test_a_report_cannot_be_published_before_the_forum_signs_it_off(client, db):
    sign_in_as(client, db, "officer")
    url = start(client)
    refused = client.get(step(client, url, "publish").headers["Location"])
    assert (
        "published only after the forum signs it off"
        in parse(refused).select_one(".govuk-notification-banner").text
    )
    assert status(db) == "draft"


def test_the_forum_signs_off_and_can_send_it_back(app, client, db):
    sign_in_as(client, db, "officer")
    url = start(client)
    step(client, url, "send")
    forum = app.test_client()
    sign_in_as(forum, db, "forum")
    assert step(forum, url, "publish").status_code == 403
    step(forum, url, "return")
    assert status(db) == "draft"
    step(client, url, "send")
    step(forum, url, "sign-off")
    assert status(db) == "signed_off"
    step(client, url, "publish")
    assert status(db) == "published"


def test_starting_the_same_report_twice_opens_the_first(client, db):
    sign_in_as(client, db, "officer")
    assert start(client) == start(client)
    assert len(db.scalars(select(Report)).all()) == 1


def test_the_safeguarding_lead_does_not_see_reports(client, db):
    sign_in_as(client, db, "safeguarding")
    assert client.get("/staff/reports").status_code == 403


def test_a_draft_shows_suppressed_figures_only(client, db):
    from tests.factories import make_response

    for _ in range(9):
        make_response(db, survey="children", answers={"cares_about_opinion": "always"})
    sign_in_as(client, db, "officer")
    page = parse(client.get(start(client)))
    text = page.select_one(".app-report").get_text(" ", strip=True)
    assert "Fewer than 10 people answered" in text
    assert "9 " not in text.split("You said")[1].split("We did")[0]
