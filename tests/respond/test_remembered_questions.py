"""Issue 11: a choice question is drawn by GOV.UK's macros once a process for each answer
and error it can show, and the page is then exactly the page drawn afresh: same HTML
(apart from the form token and nonce), for every question of every shipped survey, answered or
not, with an error, and after another respondent's answers were drawn."""

import re

import pytest
from bs4 import BeautifulSoup

from app import templating
from tests.factories import load_shipped_surveys
from tests.pages import csrf_token, parse

# What differs on every request anyway: the form token and the scripts' nonce.
TOKEN = re.compile(r'name="csrf_token" value="[^"]*"|nonce="[^"]*"')


@pytest.fixture
def surveys(db):
    load_shipped_surveys(db)


def fresh_and_remembered(client, url: str, monkeypatch) -> tuple[str, str]:
    """URL drawn with the remembered fragments, then drawn afresh with nothing kept."""
    remembered = client.get(url).get_data(as_text=True)
    with monkeypatch.context() as patch:
        patch.setattr(templating, "_remembered", {})
        patch.setattr(templating, "REMEMBERED_AT_MOST", 0)
        fresh = client.get(url).get_data(as_text=True)
    return TOKEN.sub("", remembered), TOKEN.sub("", fresh)


def walk(client, survey_id: str, choose) -> list[str]:
    """Answer every page of SURVEY_ID, CHOOSE picking an option from each list of
    options; the question pages' URLs."""
    urls = []
    response = client.post(
        f"/s/{survey_id}/start", data={"csrf_token": csrf_token(client, f"/s/{survey_id}")}
    )
    location = response.location
    while "/q/" in location:
        urls.append(location)
        page = parse(client.get(location))
        data = {"csrf_token": page.select_one("input[name=csrf_token]")["value"]}
        data["draft"] = page.select_one("input[name=draft]")["value"]
        names: dict[str, list[str]] = {}
        for option in page.select("main input[type=radio], main input[type=checkbox]"):
            names.setdefault(option["name"], []).append(option["value"])
        for name, values in names.items():
            data[name] = choose(values)
        for box in page.select("main textarea"):
            data[box["name"]] = "Art club"
        location = client.post(location, data={**data, "action": "continue"}).location
    return urls


@pytest.mark.parametrize("survey_id", ["children", "young-people", "parent-carers"])
def test_every_question_page_is_the_page_drawn_afresh(app, surveys, survey_id, monkeypatch):
    first, other = app.test_client(), app.test_client()
    pages = walk(first, survey_id, lambda values: values[0])
    walk(other, survey_id, lambda values: values[-1])
    assert len(pages) >= 5
    compared = 0
    for url in pages:
        for client in (first, other):
            remembered, fresh = fresh_and_remembered(client, url, monkeypatch)
            assert remembered == fresh, url
            compared += 1
        # Each respondent sees their own answer ticked, whoever's page was drawn first.
        ticked = [
            [box["value"] for box in parse(client.get(url)).select("main input[checked]")]
            for client in (first, other)
        ]
        options = parse(first.get(url)).select("main input[type=radio], main input[type=checkbox]")
        if options:
            assert ticked[0] != ticked[1], url
    assert compared == 2 * len(pages)


def test_a_page_with_an_error_is_the_page_drawn_afresh(app, client, surveys, monkeypatch):
    url = walk(client, "parent-carers", lambda values: values[0])[0]
    page = parse(client.get(url))
    data = {
        "csrf_token": page.select_one("input[name=csrf_token]")["value"],
        "draft": page.select_one("input[name=draft]")["value"],
        "action": "continue",
    }
    names = {option["name"] for option in page.select("main input[type=radio]")}
    for name in names:
        data[name] = "not-an-option"
    drawn = []
    for _ in range(2):
        drawn.append(TOKEN.sub("", client.post(url, data=data).get_data(as_text=True)))
    with monkeypatch.context() as patch:
        patch.setattr(templating, "_remembered", {})
        patch.setattr(templating, "REMEMBERED_AT_MOST", 0)
        fresh = TOKEN.sub("", client.post(url, data=data).get_data(as_text=True))
    assert BeautifulSoup(drawn[0], "html.parser").select(".govuk-error-message")
    assert drawn == [fresh, fresh]


def test_a_choice_question_is_drawn_once_however_often_its_page_is_shown(
    app, client, surveys, monkeypatch
):
    drawn = []
    choice_items = app.jinja_env.globals["choice_items"]

    def counted(question, chosen, language):
        drawn.append(question.id)
        return choice_items(question, chosen, language)

    monkeypatch.setitem(app.jinja_env.globals, "choice_items", counted)
    monkeypatch.setattr(templating, "_remembered", {})
    url = walk(client, "young-people", lambda values: values[0])[0]
    drawn.clear()
    for _ in range(3):
        assert parse(client.get(url)).select("main input[type=radio]")
    assert len(drawn) == 1
