"""Every shipped survey completed in Chromium on a phone and a laptop, with JavaScript on
and off, and one by keyboard alone."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Response
from tests.browser.survey_walk import TEXT, complete_survey

SURVEYS = ["children", "young-people", "parent-carers"]
SIZES = {"phone": (360, 740), "laptop": (1280, 800)}


def stored(live_app, receipt):
    with Session(live_app.extensions["db_engine"]) as session:
        return session.scalar(select(Response).where(Response.receipt_code == receipt))


@pytest.mark.parametrize("js", [True, False], ids=["js-on", "js-off"])
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("survey_id", SURVEYS)
def test_each_survey_can_be_completed(new_page, live_app, survey_id, size, js):
    width, height = SIZES[size]
    page = new_page(width, height, js=js)
    receipt, seen = complete_survey(page, survey_id)
    response = stored(live_app, receipt)
    assert response is not None and response.survey_id == survey_id
    assert response.answers["going_well"] == TEXT
    assert len(response.answers) == seen
    page.goto(f"/r/{receipt}")
    assert page.locator("h1").inner_text() == "What happened to your answers"


def test_the_childrens_survey_by_keyboard_alone(new_page, live_app):
    page = new_page(360, 740)
    page.goto("/s/children")

    def tab_to(selector: str, limit: int = 60) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"Tab never reached {selector} on {page.url}")

    tab_to("button.govuk-button--start")
    page.keyboard.press("Enter")
    page.wait_for_url("**/q/**")
    while "/q/" in page.url:
        current = page.url
        if page.locator("main input[type=radio]").count():
            tab_to("main input[type=radio]")
            page.keyboard.press("Space")
        elif page.locator("main textarea").count():
            tab_to("main textarea")
            page.keyboard.type("Typed with the keyboard")
        tab_to("button[value=continue]")
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url, current=current: url != current)
    tab_to("form button.govuk-button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/done")
    receipt = page.locator("[data-receipt-code]").inner_text().strip()
    answers = stored(live_app, receipt).answers
    assert answers["cares_about_opinion"] == "always"
    assert answers["should_change"] == "Typed with the keyboard"


def test_read_aloud_appears_only_where_the_browser_can_speak(new_page):
    page = new_page()
    page.goto("/s/children")
    has_speech = page.evaluate("'speechSynthesis' in window")
    assert page.locator("[data-read-aloud]").is_visible() == has_speech
    off = new_page(js=False)
    off.goto("/s/children")
    assert not off.locator("[data-read-aloud]").is_visible()


def test_childrens_answer_targets_are_at_least_44_pixels(new_page):
    page = new_page(360, 740)
    page.goto("/s/children")
    page.get_by_role("button", name="Start now").click()
    page.wait_for_url("**/q/**")
    faces = page.locator(".app-faces .govuk-radios__label").all()
    buttons = page.locator("main .govuk-button:visible").all()
    assert len(faces) == 5 and len(buttons) >= 2
    targets = faces + buttons
    for target in targets:
        box = target.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, target.inner_text()
