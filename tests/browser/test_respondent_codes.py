"""Resume links, the confirmation page's Finish button, the officer's bursts page and
erasing a paper response, driven in Chromium on a phone and a desktop screen; axe finds
nothing on any of them."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page
from sqlalchemy.orm import Session

from tests.browser.axe_check import violations
from tests.browser.navigation import press
from tests.browser.test_feedback_accessibility import sign_in_as
from tests.factories import make_response, make_user

WIDTHS = [360, 1280]


@pytest.fixture(scope="module")
def officer_data(live_app) -> dict[str, int]:
    """An officer, a burst of 25 identical online answers an hour ago, and a paper
    response waiting for the safeguarding lead."""
    start = (datetime.now(UTC) - timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    with live_app.app_context(), Session(live_app.extensions["db_engine"]) as db:
        make_user(db, "officer", "codes-officer@x.org")
        for n in range(25):
            make_response(
                db,
                answers={"cares_about_opinion": "never"},
                submitted_at=start + timedelta(seconds=n),
            )
        waiting = make_response(
            db, channel="paper", answers={"should_change": "my dad hits me at home"}
        )
        return {"waiting": waiting.id}


def paper_response(live_app) -> int:
    with live_app.app_context(), Session(live_app.extensions["db_engine"]) as db:
        return make_response(
            db, survey="parent-carers", channel="paper", answers={"told_how_views_used": "no"}
        ).id


@pytest.mark.parametrize("width", WIDTHS)
def test_resume_link_done_and_finish(new_page, width, tmp_path):
    found: dict[str, list[str]] = {}

    def check(page: Page, label: str) -> None:
        page.screenshot(path=tmp_path / f"{label.replace(' ', '-')}-{width}.png", full_page=True)
        found[label] = violations(page)

    page = new_page(width=width, height=800)
    page.goto("/s/children")
    press(page, "Start now")
    page.get_by_label("Sometimes").check()
    press(page, "Save and come back later")
    check(page, "saved")
    link = page.locator("main a[href*='/resume/']").first.get_attribute("href")

    other_phone = new_page(width=width, height=800)
    other_phone.goto(link)
    check(other_phone, "resume link")
    assert other_phone.get_by_label("Your code").input_value() == link.rsplit("/", 1)[1]
    press(other_phone, "Carry on")
    assert "/s/children/q/" in other_phone.url
    while "/q/" in other_phone.url:
        press(other_phone, "I don't want to answer")
    press(other_phone, "Send my answers")
    check(other_phone, "confirmation with finish")
    assert other_phone.locator("[data-receipt-code]").count() == 1
    press(other_phone, "Finish")
    check(other_phone, "start page after finish")
    other_phone.go_back()
    other_phone.wait_for_load_state("load")
    assert other_phone.locator("[data-receipt-code]").count() == 0
    assert found == {label: [] for label in found}


@pytest.mark.parametrize("width", WIDTHS)
def test_bursts_and_erasure_pages(new_page, live_app, officer_data, width, tmp_path):
    found: dict[str, list[str]] = {}

    def check(page: Page, label: str) -> None:
        page.screenshot(path=tmp_path / f"{label.replace(' ', '-')}-{width}.png", full_page=True)
        found[label] = violations(page)

    page = new_page(width=width, height=800)
    sign_in_as(page, live_app, "codes-officer@x.org")
    page.goto("/staff/bursts")
    check(page, "bursts")
    burst = page.locator("[data-burst^='children ']").first
    step = "quarantine" if burst.locator("[data-step=quarantine]").count() else "release"
    with page.expect_navigation():
        burst.locator(f"[data-step={step}]").click()
    check(page, "bursts after a step")
    page.goto(f"/staff/responses/{officer_data['waiting']}/erase")
    check(page, "erase waiting for safeguarding")
    paper = paper_response(live_app)
    page.goto("/staff/responses?survey=parent-carers")
    check(page, "responses with erase links")
    page.locator(f"[data-response='{paper}'] a[href$='/erase']").click()
    page.wait_for_url(f"**/responses/{paper}/erase")
    check(page, "erase confirmation")
    press(page, "Erase response")
    check(page, "responses after erasing")
    assert page.locator(f"[data-response='{paper}']").count() == 0
    assert found == {label: [] for label in found}
