"""Guessing resume and receipt codes: every try of a code is counted per address, and a
resume link shows the same page whether its code exists or not."""

import pytest
from sqlalchemy import select

from app.models import Draft
from tests.factories import load_shipped_surveys
from tests.pages import parse
from tests.respond.walk import answer, complete, start

pytestmark = pytest.mark.postgres

# The documented production limit on code tries from one address (README).
LIMIT = 200


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def saved_code(client, db) -> str:
    """A child writes something, saves, and is given a code."""
    first = start(client, "children")
    answer(client, first, {"cares_about_opinion": "never"}, action="save")
    code = parse(client.get("/s/children/saved")).select_one("[data-resume-code]").text
    db.commit()
    return code


def test_resume_links_and_receipts_are_counted_per_address_as_the_posts_are(app, db):
    """700 guesses in 7 s went through: now the production limit refuses them."""
    attacker = app.test_client()
    statuses = [
        attacker.get(f"/resume/AAAA-{n:04d}" if n % 2 else f"/r/AAAA-{n:04d}").status_code
        for n in range(LIMIT)
    ]
    assert 429 not in statuses
    assert attacker.get("/r/CCCC-CCCC").status_code == 429
    assert attacker.get("/resume/CCCC-CCCC").status_code == 429
    refused = attacker.get("/r/CCCC-CCCC")
    assert parse(refused).h1.text == "Too many tries"
    # Another address (another school) is not affected.
    other = app.test_client()
    assert other.get("/r/CCCC-CCCC", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 404


def test_typed_codes_count_against_the_same_limit(app, db):
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "codes": (3, 600)}
    client = app.test_client()
    assert client.get("/r/AAAA-AAAA").status_code == 404
    assert client.get("/resume/AAAA-AAAA").status_code == 200
    token = parse(client.get("/resume")).select_one("input[name=csrf_token]")["value"]
    typed = {"csrf_token": token, "code": "AAAA-AAAA"}
    assert client.post("/resume", data=typed).status_code == 200
    assert client.post("/resume", data=typed).status_code == 429


def test_a_class_of_30_resuming_at_once_from_one_address_is_not_refused(app, db):
    """Each child opens their link and presses Carry on, and a third of them mistype it
    once and try again: all from the school's one address, within the limit."""
    school = {"REMOTE_ADDR": "192.0.2.10"}
    codes = []
    for _child in range(30):
        child = app.test_client()
        child.environ_base.update(school)
        codes.append((child, saved_code(child, db)))
    for number, (child, code) in enumerate(codes):
        page = parse(child.get(f"/resume/{code}"))
        fields = {i["name"]: i.get("value", "") for i in page.select("form input")}
        if number % 3 == 0:
            mistyped = child.post("/resume", data={**fields, "code": "AAAA-AAAA"})
            assert mistyped.status_code == 200
        moved = child.post("/resume", data=fields)
        assert moved.status_code == 302
        assert "/s/children/q/" in moved.headers["Location"]


def _page_shape(response) -> tuple:
    page = parse(response)
    main = page.select_one("main")
    for token in main.select("input[name=csrf_token]"):
        token.decompose()
    code = main.select_one("input[name=code]")
    code["value"] = "CODE"
    return response.status_code, response.headers.get("Location"), str(main)


def test_a_resume_link_looks_the_same_whether_its_code_exists_or_not(app, client, db):
    first = start(client, "children")
    while "going_well" not in first.request.path:
        first = client.get(answer(client, first, {}, "skip").headers["Location"])
    answer(client, first, {"going_well": "My secret about art club"}, action="save")
    code = parse(client.get("/s/children/saved")).select_one("[data-resume-code]").text

    stranger = app.test_client()
    hit = stranger.get(f"/resume/{code}")
    miss = stranger.get("/resume/AAAA-AAAA")
    assert _page_shape(hit) == _page_shape(miss)
    assert "My secret" not in hit.get_data(as_text=True)
    # The link's page asks to confirm; only then (counted) are the answers opened.
    fields = {i["name"]: i.get("value", "") for i in parse(hit).select("form input")}
    assert fields["code"] == code
    moved = stranger.post(parse(hit).select_one("form")["action"], data=fields)
    assert "/s/children/q/" in moved.headers["Location"]
    shown = stranger.get("/s/children/q/going_well").get_data(as_text=True)
    assert "My secret about art club" in shown


def test_a_sent_drafts_link_opens_nothing(app, client, db):
    complete(client, "children", {"going_well": "Art club"})
    code = db.scalar(select(Draft.resume_code))
    db.commit()
    stranger = app.test_client()
    page = parse(stranger.get(f"/resume/{code}"))
    fields = {i["name"]: i.get("value", "") for i in page.select("form input")}
    refused = stranger.post("/resume", data=fields)
    assert refused.status_code == 200
    # It says the answers were sent (the code box's help), and shows none of them.
    assert "have been sent" in parse(refused).select_one(".govuk-error-summary").text
    assert "Art club" not in refused.get_data(as_text=True)
