"""What the pages say matches what happened: a used or wrong link is not a green
"Success"; the start page gives one time estimate; help fits who is answering; someone
coming back is welcomed and told where they are."""

import re

import pytest

from app.config import Config
from app.surveys.files import read_survey_files
from tests.factories import load_shipped_surveys
from tests.pages import csrf_token, parse
from tests.respond.walk import answer, complete, start

SURVEYS = ["children", "young-people", "parent-carers"]


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def follow_link(client, code: str):
    """Open a resume link and confirm its code, as the page asks: the response to that."""
    page = parse(client.get(f"/resume/{code}"))
    fields = {i["name"]: i.get("value", "") for i in page.select("main form input")}
    return client.post("/resume", data=fields)


def banner(page):
    found = page.select_one(".govuk-notification-banner")
    return (
        found.select_one(".govuk-notification-banner__title").text.strip(),
        found.select_one(".govuk-notification-banner__heading").text.strip(),
        "govuk-notification-banner--success" in found["class"],
    )


@pytest.mark.parametrize("code", ["AAAA-AAAA", "used"])
def test_a_wrong_or_used_resume_link_is_not_a_success(client, code):
    if code == "used":
        answer(client, start(client, "children"), {}, action="save")
        code = parse(client.get("/s/children/saved")).select_one("[data-resume-code]").text
        complete(client, "children", {})
    page = parse(follow_link(client, code))
    assert page.select_one(".govuk-error-summary") is not None
    assert page.select_one(".govuk-notification-banner--success") is None
    assert page.select_one("main form input[name=code]") is not None  # to try another


def test_a_lost_draft_is_not_a_success_either(client):
    moved = client.get("/s/children/q/cares_about_opinion")
    title, _text, success = banner(parse(client.get(moved.headers["Location"])))
    assert (title, success) == ("Important", False)


def test_the_email_offer_still_says_success(client):
    done = complete(client, "parent-carers", {})
    fields = {"csrf_token": csrf_token(client, "/resume"), "email": "p@example.org"}
    client.post("/s/parent-carers/done", data={**fields, "consent": "y"})
    assert parse(client.get("/s/parent-carers/done")).select_one(
        ".govuk-notification-banner--success"
    )
    assert done.status_code == 200


@pytest.mark.parametrize("survey", SURVEYS)
def test_the_start_page_gives_one_time_estimate(client, survey):
    text = parse(client.get(f"/s/{survey}")).select_one("main").get_text(" ", strip=True)
    assert len(re.findall(r"\bminutes?\b", text)) == 1
    assert re.search(r"It takes about \d+ minutes?\.", text)


def test_survey_intros_leave_the_time_to_the_start_page():
    for survey in read_survey_files(Config.SURVEYS_DIR):
        words = f"{survey.definition.intro} {survey.definition.easy_read}"
        assert "minute" not in words, survey.definition.title


@pytest.mark.parametrize("survey", ["children", "young-people"])
def test_children_and_young_people_are_told_about_childline(client, survey):
    for page in (parse(client.get(f"/s/{survey}")), parse(complete(client, survey, {}))):
        help_now = " ".join(p.text for p in page.select("[data-help-now]"))
        assert "Childline free on 0800 1111" in help_now
        assert "999" in help_now


def test_parent_carers_are_told_about_local_send_advice_not_childline(client):
    start_page = parse(client.get("/s/parent-carers"))
    for page in (start_page, parse(complete(client, "parent-carers", {}))):
        help_now = " ".join(p.text for p in page.select("[data-help-now]"))
        for words in ("SENDIASS", "Parent Carer Voice Herefordshire", "NHS 111", "999"):
            assert words in help_now
        assert "Childline" not in page.select_one("main").text


def test_coming_back_by_link_says_welcome_back_and_where_you_were(app, client):
    first = start(client, "children")
    page = client.get(answer(client, first, {"cares_about_opinion": "always"}).headers["Location"])
    answer(client, page, {}, action="save")
    code = parse(client.get("/s/children/saved")).select_one("[data-resume-code]").text
    other_device = app.test_client()
    question = other_device.get(follow_link(other_device, code).headers["Location"])
    assert question.request.path == "/s/children/q/safe_in_community"
    title, text, success = banner(parse(question))
    assert (title, success) == ("Welcome back", False)
    assert text == "Your answers are saved. You are on question 3 of 16."


def test_coming_back_after_every_question_says_to_check_and_send(app, client):
    page = start(client, "children")
    while "/q/" in page.request.path:
        page = client.get(answer(client, page, {}, action="skip").headers["Location"])
    code = parse(client.get("/s/children/saved")).select_one("[data-resume-code]").text
    other_device = app.test_client()
    check = other_device.get(follow_link(other_device, code).headers["Location"])
    assert check.request.path == "/s/children/check"
    assert banner(parse(check))[1] == (
        "Your answers are saved. You have been to every question: check them, then send them."
    )
