"""The code boxes: on the home page, the done page and every page's footer, each takes a
receipt code or a save-and-resume code and goes to the right place; a mistyped code gets a
clear message and is kept in the box."""

import pytest

from tests.factories import load_shipped_surveys
from tests.pages import csrf_token, error_summary, parse
from tests.respond.walk import answer, complete, start

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def use_code(client, code: str, page: str = "/"):
    return client.post("/code", data={"csrf_token": csrf_token(client, page), "code": code})


def receipt_code(client) -> str:
    return parse(complete(client, "children", {})).select_one("[data-receipt-code]").text


def saved_code(client, survey: str = "parent-carers") -> str:
    answer(client, start(client, survey), {"told_how_views_used": "no"}, action="save")
    return parse(client.get(f"/s/{survey}/saved")).select_one("[data-resume-code]").text


def test_the_home_page_the_done_page_and_the_footer_have_a_code_box(client):
    boxes = {
        "home": parse(client.get("/")).select("main form[action='/code'] input[name=code]"),
        "footer": parse(client.get("/privacy")).select(
            "footer form[action='/code'] input[name=code]"
        ),
        "done": parse(complete(client, "children", {})).select(
            "main form[action='/code'] input[name=code]"
        ),
    }
    assert {page: len(inputs) for page, inputs in boxes.items()} == {
        "home": 1,
        "footer": 1,
        "done": 1,
    }
    home = parse(client.get("/"))
    assert "See what happened because of your answers" in home.select_one("main").text
    # One box a page: the footer's is left out where the page has its own.
    assert len(home.select("input[name=code]")) == 1


def test_a_receipt_code_goes_to_what_happened(client):
    code = receipt_code(client)
    moved = use_code(client, f" {code.lower().replace('-', ' ')} ")
    assert moved.headers["Location"] == f"/r/{code}"
    assert parse(client.get(moved.headers["Location"])).h1.text == "What happened to your answers"


def test_a_saved_answers_code_carries_on_and_says_welcome_back(app, client):
    code = saved_code(client)
    other_device = app.test_client()
    moved = use_code(other_device, code.lower(), page="/privacy")
    # Typing the code was counted against the limit on codes, so the answers open at once.
    assert moved.headers["Location"] == "/s/parent-carers/q/how_to_tell_you"
    question = other_device.get(moved.headers["Location"])
    banner = parse(question).select_one(".govuk-notification-banner")
    assert banner.select_one(".govuk-notification-banner__title").text.strip() == "Welcome back"
    # "No" brings in the one question asked only after some answers: all 13 are shown.
    assert "You are on question 2 of 13" in banner.text
    assert "govuk-notification-banner--success" not in banner["class"]


def test_the_carry_on_page_takes_a_receipt_code_too(client):
    code = receipt_code(client)
    moved = client.post("/resume", data={"csrf_token": csrf_token(client, "/resume"), "code": code})
    assert moved.headers["Location"] == f"/r/{code}"


def test_a_code_whose_answers_were_sent_says_which_code_to_use(client):
    code = saved_code(client, "children")
    complete(client, "children", {})
    refused = use_code(client, code)
    assert error_summary(refused) == [
        "The answers saved with that code have been sent. To see what happened because of "
        "them, use the code you were given when you sent them"
    ]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your code"),
        ("KX4T-9MP", "Your code has 8 letters and numbers, like KX4T-9MPA"),
        ("KX4T-9MPAA", "Your code has 8 letters and numbers, like KX4T-9MPA"),
        ("KO4T-9MP0", "Check your code. Codes never have the letter O or the number 0 in them"),
        ("kx4t-9mp1", "Check your code. Codes never have the number 1 in them"),
        ("KX4T-9MPA", "We could not find that code. Check it and try again"),
        ("<script>alert(1)</script>", "Your code has 8 letters and numbers, like KX4T-9MPA"),
        ("K" * 10_000, "Your code has 8 letters and numbers, like KX4T-9MPA"),
    ],
)
def test_a_mistyped_code_is_refused_clearly_and_kept(client, typed, message):
    refused = use_code(client, typed)
    assert refused.status_code == 200
    assert error_summary(refused)[0] == message
    page = parse(refused)
    assert page.select_one("#code")["value"] == typed
    assert page.select("script:-soup-contains('alert')") == []


def test_the_code_box_needs_the_form_token(client):
    refused = client.post("/code", data={"code": "KX4T-9MPA"})
    assert refused.status_code == 400


def test_guessing_codes_is_rate_limited(app, client):
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "codes": (3, 600)}
    token = csrf_token(client, "/code")
    answers = [
        client.post("/code", data={"csrf_token": token, "code": "KX4T-9MPA"}).status_code
        for _ in range(4)
    ]
    assert answers == [200, 200, 200, 429]
