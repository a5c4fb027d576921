"""Only an open survey takes answers: a draft is not found, a closed one says so (and when
people will hear what was done), and saved answers may be sent for a while after closing."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.models import Draft, Response, Survey
from app.surveys.catalogue import FINISHING_DAYS, Availability, availability, may_finish
from app.time import today_in_london
from tests.factories import load_shipped_surveys
from tests.pages import csrf_token, parse
from tests.respond.walk import answer, form_fields, start

TODAY = date(2025, 11, 5)


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def change(db, survey_id="children", **settings) -> None:
    survey = db.get(Survey, survey_id)
    for name, value in settings.items():
        setattr(survey, name, value)
    db.commit()


def count(db, model) -> int:
    found = db.scalar(select(func.count()).select_from(model))
    db.commit()
    return found


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"status": "draft"}, Availability.HIDDEN),
        ({"status": "closed"}, Availability.CLOSED),
        ({"status": "open"}, Availability.OPEN),
        ({"status": "open", "opens_on": TODAY}, Availability.OPEN),
        ({"status": "open", "opens_on": TODAY + timedelta(days=1)}, Availability.NOT_YET),
        ({"status": "open", "closes_on": TODAY}, Availability.OPEN),
        ({"status": "open", "closes_on": TODAY - timedelta(days=1)}, Availability.CLOSED),
        ({"status": "draft", "opens_on": TODAY - timedelta(days=9)}, Availability.HIDDEN),
    ],
)
def test_availability_follows_the_status_then_the_dates(settings, expected):
    assert availability(Survey(id="s", **settings), TODAY) == expected


def test_answers_saved_before_closing_may_be_sent_for_a_while():
    closed = Survey(id="s", status="open", closes_on=TODAY)
    after = TODAY + timedelta(days=FINISHING_DAYS)
    assert may_finish(closed, TODAY, after)
    assert not may_finish(closed, TODAY, after + timedelta(days=1))
    assert not may_finish(closed, TODAY + timedelta(days=1), TODAY + timedelta(days=1))
    assert not may_finish(Survey(id="s", status="closed"), TODAY, TODAY)
    assert not may_finish(Survey(id="s", status="draft"), TODAY, TODAY)


def test_a_draft_survey_is_not_found_and_not_listed(client, db):
    change(db, status="draft")
    assert client.get("/s/children").status_code == 404
    assert client.post("/s/children/start").status_code in (400, 404)
    links = {a["href"] for a in parse(client.get("/")).select("main a")}
    assert "/s/children" not in links
    assert "/s/young-people" in links


def test_a_closed_survey_says_so_and_when_people_will_hear(client, db):
    change(db, status="closed", feedback_by=date(2026, 3, 31))
    page = parse(client.get("/s/children"))
    assert page.h1.text == "This survey has closed"
    assert "by 31 March 2026" in page.select_one("main").text
    assert not page.select("form[action='/s/children/start']")
    assert "/s/children" not in {a["href"] for a in parse(client.get("/")).select("main a")}


def test_a_survey_past_its_closing_date_takes_no_new_answers(client, db):
    start_page = parse(client.get("/s/children"))
    token = start_page.select_one("input[name=csrf_token]")["value"]
    change(db, closes_on=today_in_london() - timedelta(days=1))
    refused = client.post("/s/children/start", data={"csrf_token": token})
    assert parse(refused).h1.text == "This survey has closed"
    assert count(db, Draft) == 0


def test_a_survey_not_open_yet_says_when_it_opens(client, db):
    opens = today_in_london() + timedelta(days=3)
    change(db, opens_on=opens)
    page = parse(client.get("/s/children"))
    assert page.h1.text == "This survey is not open yet"
    assert opens.strftime("%-d %B %Y") in page.select_one("main").text
    assert "/s/children" not in {a["href"] for a in parse(client.get("/")).select("main a")}


def test_answers_saved_before_closing_can_still_be_sent(client, db):
    page = start(client, "children")
    moved = answer(client, page, {"cares_about_opinion": "always"})
    change(db, closes_on=today_in_london() - timedelta(days=1))
    draft = db.scalar(select(Draft))
    draft.created_at = datetime.now(UTC) - timedelta(days=3)
    db.commit()

    question = client.get(moved.headers["Location"])
    assert question.status_code == 200
    assert "/q/" in question.request.path
    check = client.get("/s/children/check")
    sent = client.post("/s/children/check", data=form_fields(parse(check)))
    assert sent.headers["Location"].endswith("/s/children/done")
    assert count(db, Response) == 1


def test_saved_answers_are_refused_once_the_time_to_finish_is_over(client, db):
    page = start(client, "children")
    answer(client, page, {"cares_about_opinion": "always"})
    closed_on = today_in_london() - timedelta(days=FINISHING_DAYS + 1)
    change(db, status="closed", closes_on=closed_on)
    draft = db.scalar(select(Draft))
    draft.created_at = datetime(closed_on.year, closed_on.month, closed_on.day, tzinfo=UTC)
    db.commit()

    check = client.get("/s/children/check")
    assert parse(check).h1.text == "This survey has closed"
    refused = client.post("/s/children/check", data={"csrf_token": csrf_token(client, "/resume")})
    assert parse(refused).h1.text == "This survey has closed"
    assert count(db, Response) == 0
