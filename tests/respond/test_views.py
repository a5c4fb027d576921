"""The respondent journey through the server: every step works without JavaScript."""

import pytest
from sqlalchemy import func, select

from app.models import ContactRequest, Draft, Response
from tests.factories import load_shipped_surveys
from tests.pages import error_summary, parse
from tests.respond.walk import answer, complete, form_fields, start

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def stored(db):
    rows = db.scalars(select(Response)).all()
    db.commit()
    return rows


def test_a_child_completes_the_survey_and_gets_a_receipt(client, db):
    done = complete(
        client,
        "children",
        {
            "cares_about_opinion": "always",
            "safe_in_community": "never",
            "going_well": "I like art <b>club</b>",
            "area": "ledbury",
        },
    )
    receipt = parse(done).select_one("[data-receipt-code]").text
    [response] = stored(db)
    assert response.answers == {
        "cares_about_opinion": "always",
        "safe_in_community": "never",
        "going_well": "I like art <b>club</b>",
        "area": "ledbury",
    }
    assert (response.audience, response.channel, response.receipt_code) == (
        "child",
        "online",
        receipt,
    )
    page = parse(client.get(f"/r/{receipt.lower().replace('-', '')}"))
    assert "What happened to your answers" in page.h1.text


def test_the_start_page_tells_children_what_they_need_to_know(client):
    page = parse(client.get("/s/children"))
    text = page.select_one("main").get_text(" ", strip=True)
    for words in (
        "It takes about",
        "You do not give your name",
        "Childline",
        "0800 1111",
        "999",
        "We will tell you what we did",
        "How we keep your answers private",
    ):
        assert words in text


def test_progress_shows_question_n_of_m(client):
    page = parse(start(client, "children"))
    assert page.select_one("legend .govuk-caption-l").text == "Question 1 of 16"
    assert page.select_one("h1").get_text(" ", strip=True).startswith("Question 1 of 16")


def test_faces_always_come_with_words(client):
    page = parse(start(client, "children"))
    labels = page.select(".app-faces .govuk-radios__label")
    assert len(labels) == 5
    for label in labels:
        assert label.select_one("svg.app-face")["aria-hidden"] == "true"
        assert label.select_one(".app-face__words").text.strip()


def test_i_dont_want_to_answer_is_always_offered_and_stores_nothing(client, db):
    first = start(client, "children")
    assert parse(first).select_one("button[value=skip]").text.strip() == "I don't want to answer"
    moved = answer(client, first, {"cares_about_opinion": "always"}, action="skip")
    assert moved.status_code == 302
    draft = db.scalar(select(Draft))
    assert draft.answers == {"cares_about_opinion": None}


def test_an_answer_that_is_not_an_option_is_refused_with_a_clear_message(client, db):
    moved = answer(client, start(client, "children"), {"cares_about_opinion": "often"})
    assert moved.status_code == 200
    assert error_summary(moved) == ["Select one of the options"]


def test_too_long_text_keeps_what_was_typed_and_says_the_limit(client):
    page = start(client, "children")
    while "going_well" not in page.request.path:
        page = client.get(answer(client, page, {}, "skip").headers["Location"])
    typed = "x" * 1001
    refused = answer(client, page, {"going_well": typed})
    assert error_summary(refused) == ["Your answer must be 1000 characters or fewer"]
    assert parse(refused).select_one("textarea").text == typed


def test_answers_are_saved_on_every_page_and_resume_on_another_device(app, client, db):
    first = start(client, "parent-carers")
    answer(client, first, {"told_how_views_used": "no"}, action="save")
    saved = parse(client.get("/s/parent-carers/saved"))
    code = saved.select_one("[data-resume-code]").text

    other_device = app.test_client()
    resume = parse(other_device.get("/resume"))
    moved = other_device.post(
        "/resume",
        data={
            "csrf_token": resume.select_one("input[name=csrf_token]")["value"],
            "code": code.lower().replace("-", " "),
        },
    )
    assert moved.headers["Location"] == "/s/parent-carers/q/how_to_tell_you"
    page = parse(other_device.get("/s/parent-carers/q/told_how_views_used"))
    assert page.select_one("input[value=no]").has_attr("checked")


def test_resume_codes_avoid_letters_that_look_alike(client):
    from app.respond.drafts import new_code

    codes = "".join(new_code() for _ in range(500)).replace("-", "")
    assert not set(codes) & set("0O1IL5S2Z8B")


def test_a_wrong_resume_code_is_refused_clearly(client):
    resume = parse(client.get("/resume"))
    moved = client.post(
        "/resume",
        data={
            "csrf_token": resume.select_one("input[name=csrf_token]")["value"],
            "code": "AAAA-AAAA",
        },
    )
    assert error_summary(moved) == ["We could not find that code. Check it and try again"]


def test_double_click_back_button_and_resend_store_one_response(client, db):
    done = complete(client, "young-people", {"cares_about_opinion": "mostly"})
    receipt = parse(done).select_one("[data-receipt-code]").text
    # Resend the check page's form, as a double click or the back button would.
    token = parse(client.get("/resume")).select_one("input[name=csrf_token]")["value"]
    again = client.post("/s/young-people/check", data={"csrf_token": token})
    assert again.headers["Location"] == "/s/young-people/done"
    back = client.get("/s/young-people/q/cares_about_opinion")
    assert back.headers["Location"] == "/s/young-people/done"
    assert len(stored(db)) == 1
    assert (
        parse(client.get("/s/young-people/done")).select_one("[data-receipt-code]").text == receipt
    )


def test_submitting_the_same_draft_twice_at_once_stores_one_response(app, db):
    from app.db import session_scope
    from app.respond.drafts import start_draft, submit
    from app.surveys.versions import latest_version

    draft = start_draft(db, latest_version(db, "children"))
    db.commit()
    engine = app.extensions["db_engine"]
    with session_scope(engine) as one:
        first = submit(one, one.get(Draft, draft.id))
    with session_scope(engine) as two:
        second = submit(two, two.get(Draft, draft.id))
    assert first.id == second.id
    assert db.scalar(select(func.count()).select_from(Response)) == 1


def test_an_expired_form_token_keeps_what_the_child_typed(app, client, db):
    first = start(client, "children")
    fields = form_fields(parse(first))
    with client.session_transaction() as session:
        session.clear()  # the session (and its CSRF secret) is gone, as after a long wait
    refused = client.post(
        first.request.path,
        data={**fields, "cares_about_opinion": "sometimes", "action": "continue"},
    )
    assert refused.status_code == 400
    page = parse(refused)
    assert "still here" in page.select_one(".govuk-notification-banner").text
    assert page.select_one("input[value=sometimes]").has_attr("checked")
    retried = answer(client, refused, {"cares_about_opinion": "sometimes"})
    assert retried.status_code == 302
    assert db.scalar(select(Draft)).answers == {"cares_about_opinion": "sometimes"}


def test_parent_carers_may_leave_an_email_kept_apart_and_remove_it(client, db):
    done = complete(client, "parent-carers", {"told_how_views_used": "yes"})
    form = parse(done)
    fields = {**form_fields(form), "email": "parent@example.org"}
    refused = client.post("/s/parent-carers/done", data=fields)
    assert error_summary(refused) == ["Tick the box to say you agree, or leave this page"]
    client.post("/s/parent-carers/done", data={**fields, "consent": "y"})
    [contact] = db.scalars(select(ContactRequest)).all()
    db.commit()
    assert (contact.survey_id, contact.email) == ("parent-carers", "parent@example.org")
    assert not any(hasattr(contact, name) for name in ("response_id", "receipt_code"))

    page = parse(client.get("/s/parent-carers/done"))
    link = page.select_one("a[href^='/email/remove/']")["href"]
    remove = parse(client.get(link))
    client.post(link, data={"csrf_token": remove.select_one("input[name=csrf_token]")["value"]})
    assert db.scalar(select(func.count()).select_from(ContactRequest)) == 0


def test_children_are_not_asked_for_an_email(client):
    done = complete(client, "children", {})
    assert parse(done).select_one("input[type=email]") is None


def test_display_choices_are_remembered_and_rendered_by_the_server(client):
    settings = parse(client.get("/display-settings?next=/s/children"))
    moved = client.post(
        "/display-settings",
        data={
            "csrf_token": settings.select_one("input[name=csrf_token]")["value"],
            "text_size": "largest",
            "theme": "cream",
            "spacing": "wide",
            "next": "/s/children",
        },
    )
    assert moved.headers["Location"] == "/s/children"
    html_classes = parse(client.get("/s/children")).html["class"]
    assert {"app-text-largest", "app-theme-cream", "app-spacing-wide"} <= set(html_classes)


def test_a_tampered_display_cookie_falls_back_to_the_defaults(client):
    client.set_cookie("display", "huge.<script>.x")
    assert parse(client.get("/")).html["class"] == ["govuk-template"]


def test_read_aloud_button_is_hidden_until_javascript_finds_speech(client):
    button = parse(start(client, "children")).select_one("[data-read-aloud]")
    assert button.has_attr("hidden")


def test_saving_a_page_sends_the_session_cookie_again_only_when_it_changes(client, db):
    """Issue 11: the session names the draft from the start; saving each page leaves it
    as it was, so it is not signed and sent again (the answers are in the database), and
    the next page still finds them."""
    first = start(client, "children")
    moved = answer(client, first, {"cares_about_opinion": "always"})
    assert moved.status_code == 302
    assert "session=" not in " ".join(moved.headers.getlist("Set-Cookie"))
    following = client.get(moved.headers["Location"])
    assert following.status_code == 200
    [draft] = db.scalars(select(Draft)).all()
    assert draft.answers == {"cares_about_opinion": "always"}
    # Another browser carrying only the page's draft code is remembered on its first save.
    other = client.application.test_client()
    token = parse(other.get("/s/children")).select_one("input[name=csrf_token]")["value"]
    fields = {**form_fields(parse(following)), "csrf_token": token, "action": "skip"}
    carried = other.post(following.request.path, data=fields)
    assert carried.status_code == 302
    assert "session=" in " ".join(carried.headers.getlist("Set-Cookie"))


def test_reading_a_question_page_sends_no_cookie(client):
    """Issue 11: drawing a page changes nothing in a respondent's session, so no cookie is
    signed and sent again, and no staff "remember me" cookie is deleted on every page."""
    first = start(client, "children")
    again = client.get(first.request.path)
    assert again.status_code == 200
    assert again.headers.getlist("Set-Cookie") == []
    assert parse(again).select_one("input[name=csrf_token]")["value"]
