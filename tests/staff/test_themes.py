"""Themes for the officer: each comment's themes, corrections, and nothing lost."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.models import ThemeCorrection
from tests.factories import load_shipped_surveys, make_response, sign_in_as
from tests.pages import csrf_token, parse

WHEN = datetime(2025, 10, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def comments(db):
    load_shipped_surveys(db)
    for text in (
        "We need a better bus to school",
        "I love my art club",
        "purple elephants <b>x</b>",
    ):
        make_response(db, survey="young-people", answers={"should_change": text}, submitted_at=WHEN)
    make_response(
        db,
        survey="young-people",
        submitted_at=WHEN,
        answers={"should_change": "my stepdad hurts me when mum is out"},
    )


def page(client):
    return parse(client.get("/staff/themes?survey=young-people&period=2025/26"))


def themes_of(html, text):
    comment = next(
        c for c in html.select(".app-comment") if text in c.select_one("[data-comment]").text
    )
    return [b.text.strip() for b in comment.select("button") if b.text.strip().startswith("Remove")]


def test_each_comment_shows_its_themes_and_uncaught_ones_are_listed(client, db):
    sign_in_as(client, db, "officer")
    html = page(client)
    assert themes_of(html, "bus to school") == ["Remove Transport and travel"]
    assert [p.text for p in html.select("[data-untagged]")] == ["purple elephants <b>x</b>"]


def test_a_flagged_disclosure_never_appears(client, db):
    sign_in_as(client, db, "officer")
    assert "stepdad" not in client.get("/staff/themes?survey=young-people&period=2025/26").get_data(
        as_text=True
    )


def test_the_officer_corrects_a_tag(client, db):
    sign_in_as(client, db, "officer")
    html = page(client)
    comment = next(c for c in html.select(".app-comment") if "bus to school" in c.text)
    response_id = comment.select_one("input[name=response_id]")["value"]
    url = "/staff/themes/correct?survey=young-people&period=2025/26"
    token = csrf_token(client, "/staff/themes?survey=young-people&period=2025/26")
    client.post(
        url,
        data={
            "csrf_token": token,
            "response_id": response_id,
            "question": "should_change",
            "theme": "transport",
            "action": "remove",
        },
    )
    client.post(
        url,
        data={
            "csrf_token": token,
            "response_id": response_id,
            "question": "should_change",
            "theme": "support_in_school",
            "action": "add",
        },
    )
    assert themes_of(page(client), "bus to school") == ["Remove Support in school"]
    assert len(db.scalars(select(ThemeCorrection)).all()) == 2


def test_a_bad_correction_changes_nothing(client, db):
    sign_in_as(client, db, "officer")
    token = csrf_token(client, "/staff/themes?survey=young-people&period=2025/26")
    client.post(
        "/staff/themes/correct",
        data={
            "csrf_token": token,
            "response_id": "1",
            "question": "should_change",
            "theme": "weather",
            "action": "add",
        },
    )
    assert db.scalars(select(ThemeCorrection)).all() == []


@pytest.mark.parametrize("role", ["forum", "safeguarding"])
def test_only_the_officer_reads_raw_comments(client, db, role):
    sign_in_as(client, db, role)
    assert client.get("/staff/themes").status_code == 403
