"""Bad input of every kind gets a clear answer and changes nothing."""

import pytest
from sqlalchemy import func, select

from app.models import Draft, Response
from tests.factories import load_shipped_surveys
from tests.pages import error_summary, parse
from tests.respond.walk import answer, complete, form_fields, start


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def draft_answers(db):
    db.expire_all()
    answers = db.scalar(select(Draft)).answers
    db.commit()
    return answers


def test_an_oversized_body_is_refused_clearly_and_nothing_is_saved(client, db):
    first = start(client, "children")
    fields = {
        **form_fields(parse(first)),
        "cares_about_opinion": "always",
        "padding": "x" * (9 * 1024 * 1024),
    }
    refused = client.post(first.request.path, data=fields)
    assert refused.status_code == 413
    assert parse(refused).h1.text == "That was too much to send"
    assert draft_answers(db) == {}


@pytest.mark.parametrize("value", ["often", "always; never", "", "<script>", "\u0000"])
def test_a_wrong_option_id_is_refused(client, db, value):
    refused = answer(client, start(client, "children"), {"cares_about_opinion": value or "x"})
    assert error_summary(refused) == ["Select one of the options"]
    assert draft_answers(db) == {}


def test_several_values_for_a_single_choice_are_refused(client, db):
    first = start(client, "children")
    data = {
        **form_fields(parse(first)),
        "action": "continue",
        "cares_about_opinion": ["always", "never"],
    }
    client.post(first.request.path, data=data)
    assert draft_answers(db).get("cares_about_opinion") in (None, "always")


def test_a_page_not_shown_cannot_be_answered(client, db):
    first = start(client, "parent-carers")
    answer(client, first, {"told_how_views_used": "yes"})
    hidden = client.post(
        "/s/parent-carers/q/how_to_tell_you",
        data={
            **form_fields(parse(first)),
            "how_to_tell_you": "sneaky",
            "action": "continue",
        },
    )
    assert hidden.status_code == 302
    assert "how_to_tell_you" not in draft_answers(db)


def test_an_unknown_page_sends_the_respondent_on(client):
    start(client, "children")
    assert client.get("/s/children/q/no_such_page").status_code == 302


def test_a_tampered_draft_code_finds_nothing(app, db):
    stranger = app.test_client()
    token = parse(stranger.get("/resume")).select_one("input[name=csrf_token]")["value"]
    response = stranger.post(
        "/s/children/q/cares_about_opinion",
        data={
            "csrf_token": token,
            "draft": "ZZZZ-ZZZZ",
            "cares_about_opinion": "always",
        },
    )
    assert response.headers["Location"] == "/s/children"
    assert db.scalar(select(func.count()).select_from(Draft)) == 0


def test_unicode_and_emoji_are_kept_exactly(client, db):
    words = "Ysgol dda 👍🏽 — très bien, ŵ ŷ, 你好"
    complete(client, "young-people", {"going_well": words})
    assert db.scalar(select(Response)).answers["going_well"] == words


def test_html_in_free_text_is_shown_as_text_on_check_answers(client, db):
    page = start(client, "young-people")
    while "going_well" not in page.request.path:
        page = client.get(answer(client, page, {}, "skip").headers["Location"])
    answer(client, page, {"going_well": '<img src=x onerror="alert(1)">'})
    check = client.get("/s/young-people/check")
    assert '<img src=x onerror="alert(1)">' not in check.get_data(as_text=True)
    assert '<img src=x onerror="alert(1)">' in parse(check).select_one(".govuk-summary-list").text
