"""The survey builder in Chromium: an officer builds a new survey from a template, sees
the reading age follow their words, previews it at phone width, and opens it; a
respondent answers it on a 360 px phone; the answer shows on the Responses page. axe
finds nothing on any builder page at 360 and 1280 px."""

import re
import shutil

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from app.config import Config
from tests.browser.axe_check import violations
from tests.browser.navigation import press, sign_in
from tests.factories import make_user

SURVEY = "short-breaks"
ANSWER = "The breaks at the farm are the best part of my month."
WIDTHS = (360, 1280)


@pytest.fixture(scope="module")
def surveys_dir(live_app, tmp_path_factory):
    """The builder writes each survey's file: into a copy, never the repository's folder."""
    folder = tmp_path_factory.mktemp("builder") / "surveys"
    shutil.copytree(Config.SURVEYS_DIR, folder)
    before = live_app.config["SURVEYS_DIR"]
    live_app.config["SURVEYS_DIR"] = folder
    yield folder
    live_app.config["SURVEYS_DIR"] = before


@pytest.fixture(scope="module")
def builder_cookies(browser, base_url, live_app, surveys_dir) -> list[dict]:
    with Session(live_app.extensions["db_engine"], expire_on_commit=False) as session:
        user = make_user(session, "officer", "builder@example.org")
        context = browser.new_context(base_url=base_url)
        page = context.new_page()
        sign_in(page, session, user)
    cookies = context.cookies()
    context.close()
    return cookies


def as_officer(new_page, cookies, width=1280) -> Page:
    page = new_page(width=width)
    page.context.add_cookies(cookies)
    return page


def test_an_officer_builds_previews_and_opens_a_survey_a_child_answers_on_a_phone(
    new_page, builder_cookies, surveys_dir
):
    page = as_officer(new_page, builder_cookies)
    page.goto("/staff/surveys/new")
    page.get_by_label("Young people aged 11 to 25").check()
    page.get_by_label("Title").fill("Short breaks")
    page.get_by_label("Web address of the survey").fill(SURVEY)
    press(page, "Make the draft survey")
    assert page.url.endswith(f"/staff/surveys/{SURVEY}/build")
    expect(page.locator(".govuk-tag")).to_contain_text(["Draft"])

    press(page, "Add a question", "link")
    page.get_by_label("Question", exact=True).fill("Do you enjoy your short breaks?")
    # The reading age follows the words as they are typed, before anything is saved.
    expect(page.locator("[data-reading-age]")).to_contain_text("Reading age")
    page.get_by_label("Question", exact=True).fill(
        "Considering the comprehensive organisational arrangements, is communication satisfactory?"
    )
    expect(page.locator("[data-reading-age] .govuk-warning-text")).to_contain_text("older than 12")
    page.get_by_label("Question", exact=True).fill("What do you like about your short breaks?")
    page.get_by_label("Their own words (a text box)").check()
    press(page, "Save question")
    expect(page.get_by_role("status")).to_contain_text("Saved as version 2")
    # Asked first: moved up past the six questions of the template.
    for _ in range(6):
        with page.expect_navigation():
            card = page.locator("#what_do_you_like_about_your_short_breaks")
            card.get_by_role("button", name="Move up").click()
    first_card = page.locator(".govuk-summary-card").first
    expect(first_card).to_contain_text("What do you like about your short breaks?")

    press(page, "Preview the survey", "link")
    with page.expect_navigation():
        page.get_by_role("link", name="Question 1", exact=True).click()
    frame = page.frame_locator("iframe.app-phone-preview")
    expect(frame.locator("h1")).to_contain_text("What do you like about your short breaks?")
    assert frame.locator("html").evaluate("() => window.innerWidth") == 360
    press(page, "Dark: light text on dark grey", "link")
    expect(frame.locator("html")).to_have_class(re.compile("app-theme-dark"))

    page.goto(f"/staff/surveys/{SURVEY}/build")
    press(page, "Open it to answers")
    expect(page.locator(".govuk-tag").first).to_have_text("Open")

    phone = new_page(width=360, height=740)
    phone.goto(f"/s/{SURVEY}")
    press(phone, "Start now")
    phone.locator("textarea").fill(ANSWER)
    press(phone, "Continue")
    while "/q/" in phone.url:
        press(phone, "I don't want to answer")
    press(phone, "Send my answers")
    assert phone.url.endswith(f"/s/{SURVEY}/done")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto(f"/staff/responses?survey={SURVEY}")
    expect(page.locator("main")).to_contain_text(ANSWER)


@pytest.fixture(scope="module")
def builder_urls(browser, base_url, builder_cookies) -> list[str]:
    """A survey of the axe test's own, and the address of every builder page."""
    context = browser.new_context(base_url=base_url)
    context.add_cookies(builder_cookies)
    page = context.new_page()
    page.goto("/staff/surveys/new")
    page.get_by_label("Parent carers").check()
    page.get_by_label("Title").fill("Transport")
    page.get_by_label("Web address of the survey").fill("transport")
    press(page, "Make the draft survey")
    context.close()
    build = "/staff/surveys/transport/build"
    return [
        "/staff/surveys/new",
        "/staff/surveys/import",
        build,
        f"{build}/details",
        f"{build}/questions/new",
        f"{build}/questions/area",
        f"{build}/questions/area/remove",
        "/staff/surveys/children/build/questions/cares_about_opinion",
        f"{build}/preview",
        f"{build}/preview?page=area&theme=high-contrast",
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_nothing_on_the_builder_pages(new_page, builder_cookies, builder_urls, width):
    page = as_officer(new_page, builder_cookies, width)
    found = {}
    for url in builder_urls:
        page.goto(url)
        found[url] = violations(page)
        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
    # And with their errors showing.
    page.goto("/staff/surveys/new")
    press(page, "Make the draft survey")
    found["new, with errors"] = violations(page)
    page.goto("/staff/surveys/transport/build/questions/new")
    press(page, "Save question")
    found["question, with errors"] = violations(page)
    assert {url: problems for url, problems in found.items() if problems} == {}


def test_without_javascript_the_officer_adds_checks_and_moves_a_question(
    new_page, builder_cookies, builder_urls
):
    page = new_page(js=False)
    page.context.add_cookies(builder_cookies)
    page.goto("/staff/surveys/transport/build/questions/new")
    page.get_by_label("Question", exact=True).fill("How do you get to school?")
    page.get_by_label("Your own options: people pick one").check()
    page.get_by_label("Answer 1").fill("By bus")
    page.get_by_label("Answer 2").fill("In a taxi")
    # Without a script, the reading age is measured when asked (or on saving).
    press(page, "Check the reading age")
    expect(page.locator("[data-reading-age]")).to_contain_text("Easy to read")
    press(page, "Save question")
    card = page.locator(".govuk-summary-card").last
    expect(card).to_contain_text("How do you get to school?")
    with page.expect_navigation():
        card.get_by_role("button", name="Move up").click()
    expect(page.locator(".govuk-summary-card").nth(-2)).to_contain_text("How do you get to school?")
