"""Ballot stuffing: answers sent past one address's allowance are kept but held out of the
measures, themes, quotes and exports; the officer sees bursts and quarantines or releases
them, every step audited."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from analysis.load import load_comments, load_responses
from app.models import AuditEvent, Response
from tests.factories import load_shipped_surveys, make_response
from tests.pages import csrf_token, parse
from tests.staff.workspace import sign_in_as

pytestmark = pytest.mark.postgres

# The documented production allowance of sends an hour from one address (README).
ALLOWANCE = 60


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def forge(client, answers: dict) -> str:
    """What the attacker's script did: start, answer the first page, send. Returns the
    receipt code the confirmation page shows."""
    token = csrf_token(client, "/s/children")
    begun = client.post("/s/children/start", data={"csrf_token": token})
    client.post(begun.headers["Location"], data={"csrf_token": token, **answers})
    sent = client.post("/s/children/check", data={"csrf_token": token})
    done = parse(client.get(sent.headers["Location"]))
    return done.select_one("[data-receipt-code]").text


def held_count(db) -> int:
    count = db.scalar(
        select(func.count()).select_from(Response).where(Response.quarantined_at.is_not(None))
    )
    db.commit()
    return count


def test_one_address_forging_past_the_allowance_is_held_but_never_refused(app, db):
    attacker = app.test_client()
    receipts = [forge(attacker, {"cares_about_opinion": "never"}) for _ in range(ALLOWANCE + 6)]
    # Nobody is turned away (a class on one school address must finish) ...
    assert len(set(receipts)) == ALLOWANCE + 6
    # ... but what is past the allowance waits for the officer, out of the measures.
    assert held_count(db) == 6
    engine = app.extensions["db_engine"]
    assert len(load_responses(engine)) == ALLOWANCE
    other_school = app.test_client()
    other_school.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    forge(other_school, {"cares_about_opinion": "always"})
    assert held_count(db) == 6


def test_a_class_of_30_on_one_address_is_counted_in_full(app, db):
    school = app.test_client()
    for _child in range(30):
        forge(school, {"cares_about_opinion": "mostly"})
    assert held_count(db) == 0
    assert len(load_responses(app.extensions["db_engine"])) == 30


def test_held_responses_leave_measures_themes_quotes_and_exports(app, client, runner, db):
    kept = make_response(db, answers={"cares_about_opinion": "always", "going_well": "Art club"})
    held = make_response(db, answers={"cares_about_opinion": "never", "going_well": "Forged words"})
    db.execute(
        update(Response)
        .where(Response.id == held.id)
        .values(quarantined_at=datetime.now(UTC), quarantine_reason="test")
    )
    db.commit()
    engine = app.extensions["db_engine"]
    assert list(load_responses(engine)["response_id"]) == [kept.id]
    with engine.connect() as connection:
        assert list(load_comments(connection)["text"]) == ["Art club"]
    sign_in_as(client, runner)
    body = client.get("/staff/responses/export?format=csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row.get("going_well") for row in rows] == ["Art club"]


def burst_of(db, count: int, hours_ago: int = 2) -> datetime:
    """COUNT online answers to the children's survey within one hour; that hour's start."""
    start = (datetime.now(UTC) - timedelta(hours=hours_ago)).replace(
        minute=0, second=0, microsecond=0
    )
    for n in range(count):
        make_response(
            db,
            answers={"cares_about_opinion": "never", "going_well": "Made up"},
            submitted_at=start + timedelta(seconds=n),
        )
    return start


def bursts_on(client) -> dict[str, dict[str, str]]:
    page = parse(client.get("/staff/bursts"))
    return {
        div["data-burst"]: {
            row.dt.get_text(strip=True): row.dd.get_text(strip=True)
            for row in div.select(".govuk-summary-list__row")
        }
        for div in page.select("[data-burst]")
    }


def press(client, step: str, burst: str):
    page = parse(client.get("/staff/bursts"))
    form = page.select_one(f"[data-burst='{burst}'] form:has([data-step={step}])")
    fields = {i["name"]: i["value"] for i in form.select("input")}
    return client.post(form["action"], data=fields, follow_redirects=True)


def test_the_officer_quarantines_a_burst_and_releases_it_audited(app, client, runner, db):
    start = burst_of(db, 25)
    burst_of(db, 3, hours_ago=5)  # a few answers in another hour: not a burst
    make_response(db, answers={"cares_about_opinion": "always"})
    engine = app.extensions["db_engine"]
    sign_in_as(client, runner)
    key = f"children {start.strftime('%Y-%m-%dT%H:%MZ')}"
    assert list(bursts_on(client)) == [key]
    assert bursts_on(client)[key]["Answers sent online"] == "25"
    assert bursts_on(client)[key]["Most answers the same, word for word"] == "25"

    held = press(client, "quarantine", key)
    assert "25 responses held out of the measures" in parse(held).select_one("main").text
    assert held_count(db) == 25
    assert len(load_responses(engine)) == 4
    # The officer still reads them, marked as held.
    browsed = parse(client.get("/staff/responses"))
    assert len(browsed.select("[data-response]:has([data-held])")) == 20  # a full page
    with engine.connect() as connection:
        # Only the three words of the hour that was not a burst are left for the themes.
        assert list(load_comments(connection)["text"]) == ["Made up"] * 3
    quarantined = db.scalar(select(AuditEvent).where(AuditEvent.action == "responses.quarantine"))
    assert quarantined.user.email == "officer@example.org"
    assert quarantined.detail["count"] == 25 and len(quarantined.detail["response_ids"]) == 25
    db.commit()

    press(client, "release", key)
    assert held_count(db) == 0
    assert len(load_responses(engine)) == 29
    released = db.scalar(select(AuditEvent).where(AuditEvent.action == "responses.release"))
    assert released.detail["response_ids"] == quarantined.detail["response_ids"]


def test_comments_of_a_quarantined_burst_leave_the_themes(app, client, runner, db):
    start = burst_of(db, 20)
    make_response(db, answers={"going_well": "Real words"})
    sign_in_as(client, runner)
    press(client, "quarantine", f"children {start.strftime('%Y-%m-%dT%H:%MZ')}")
    with app.extensions["db_engine"].connect() as connection:
        assert list(load_comments(connection)["text"]) == ["Real words"]


@pytest.mark.parametrize(
    "fields",
    [
        {"survey": "children", "starts_at": "yesterday"},
        {"survey": "children", "starts_at": "2026-12-05T10:30Z"},
        {"survey": "", "starts_at": "2026-12-05T10:00Z"},
    ],
)
def test_a_tampered_burst_form_changes_nothing(client, runner, db, fields):
    burst_of(db, 20)
    sign_in_as(client, runner)
    token = csrf_token(client, "/staff/bursts")
    refused = client.post("/staff/bursts/quarantine", data={"csrf_token": token, **fields})
    assert refused.status_code == 400
    assert held_count(db) == 0
