"""The officer pages through responses and comments with filters kept, and tags several
comments at once, at 360 and 1280 px: axe finds nothing, the pages stay short."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.feedback.comments import catch_up
from app.models import ThemedResponse
from app.preferences import THEMES
from tests.browser.axe_check import violations
from tests.browser.navigation import press, sign_in
from tests.factories import make_response, make_user

# A year no other browser test writes in, so the counts here are this module's alone.
YEAR = "2023/24"
START = datetime(2024, 2, 1, 12, tzinfo=UTC)
SURVEY = "young-people"
PER_WIDTH = 30
# The most a page of twenty responses or twenty-five comments may take, in pixels, at
# each width: before, twenty responses took 19,574 px and the themes page 50,000 and more.
TALLEST = {360: 10_000, 1280: 6_000}


@pytest.fixture(scope="module")
def officer(browser, base_url, live_app) -> list[dict]:
    with Session(live_app.extensions["db_engine"], expire_on_commit=False) as session:
        user = make_user(session, "officer", "browse-themes@example.org")
        context = browser.new_context(base_url=base_url)
        page = context.new_page()
        sign_in(page, session, user)
    cookies = context.cookies()
    context.close()
    return cookies


@pytest.fixture(scope="module", autouse=True)
def comments(live_app):
    """Sixty responses with a comment no theme catches and a long one about buses."""
    with Session(live_app.extensions["db_engine"]) as session:
        for number in range(2 * PER_WIDTH):
            make_response(
                session,
                survey=SURVEY,
                submitted_at=START + timedelta(minutes=number),
                answers={
                    "going_well": f"Purple elephant number {number} sings on Tuesdays",
                    "should_change": "The bus to college is late most mornings. " * 12,
                },
            )


def check(page: Page, label: str, folder, width: int) -> int:
    """No axe finding; a screenshot to look at; the page's height in pixels."""
    assert violations(page) == [], label
    page.screenshot(path=folder / f"{label}-{width}.png", full_page=True)
    return page.evaluate("document.documentElement.scrollHeight")


def transport_count(page: Page) -> int:
    """How many comments the counts table says mention transport."""
    return int(page.locator('[data-count$="/transport"]').inner_text().split(" / ")[0])


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query, keep_blank_values=True)


@pytest.mark.parametrize("width", [360, 1280])
def test_the_officer_pages_with_filters_and_tags_comments_in_bulk(
    new_page, officer, width, tmp_path
):
    page = new_page(width=width)
    page.context.add_cookies(officer)

    page.goto("/staff/responses")
    page.get_by_label("Survey").select_option(SURVEY)
    page.get_by_label("Year").select_option(YEAR)
    press(page, "Show responses")
    expect(page.locator("[data-response]")).to_have_count(20)
    assert check(page, "responses", tmp_path, width) < TALLEST[width]
    press(page, "Next page", role="link")
    assert query(page) == {"survey": [SURVEY], "period": [YEAR], "page": ["2"]}
    assert "Showing 21 to 40 of" in page.locator("[data-total]").inner_text()
    details = page.locator("details[data-answers]").first
    details.locator("summary").click()
    expect(details.locator(".govuk-summary-list")).to_be_visible()
    check(page, "responses-page-2", tmp_path, width)

    page.goto(f"/staff/themes?survey={SURVEY}&period={YEAR}")
    expect(page.locator("[data-gap]")).to_have_text("… more pages")
    expect(page.locator("[data-gap]")).to_be_visible()
    check(page, "themes-all", tmp_path, width)
    page.get_by_label("Theme", exact=True).select_option(label="No theme yet")
    press(page, "Show comments")
    assert query(page)["theme"] == ["none"]
    untagged = int(page.locator("[data-total]").get_attribute("data-total"))
    before = transport_count(page)
    assert check(page, "themes", tmp_path, width) < TALLEST[width]
    press(page, "Next page", role="link")
    assert query(page) == {"survey": [SURVEY], "period": [YEAR], "theme": ["none"], "page": ["2"]}
    ticked = page.locator(".app-comment").nth(0), page.locator(".app-comment").nth(1)
    keys = [comment.get_attribute("data-key") for comment in ticked]
    for comment in ticked:
        comment.locator("input[type=checkbox]").check()

    press(page, "Add theme")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a theme to add")
    for key in keys:
        expect(page.locator(f'input[value="{key}"]')).to_be_checked()
    check(page, "themes-error", tmp_path, width)

    page.get_by_label("Theme to add to the selected comments").select_option(
        label="Transport and travel"
    )
    press(page, "Add theme")
    assert query(page) == {"survey": [SURVEY], "period": [YEAR], "theme": ["none"], "page": ["2"]}
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Theme added to 2")
    assert int(page.locator("[data-total]").get_attribute("data-total")) == untagged - 2
    for key in keys:
        expect(page.locator(f'[data-key="{key}"]')).to_have_count(0)
    check(page, "themes-tagged", tmp_path, width)

    assert transport_count(page) == before + 2


@pytest.mark.parametrize("theme", [t for t in THEMES if t != "default"])
def test_both_pages_pass_axe_in_every_colour_theme(new_page, officer, theme):
    page = new_page(theme=theme)
    page.context.add_cookies(officer)
    for path in (
        f"/staff/responses?survey={SURVEY}&period={YEAR}&page=2",
        f"/staff/themes?survey={SURVEY}&period={YEAR}",
    ):
        page.goto(path)
        assert violations(page) == [], (theme, path)
    page.locator(".app-comment input[type=checkbox]").first.check()
    press(page, "Add theme")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert violations(page) == [], (theme, "themes with an error")


@pytest.mark.parametrize("width", [360, 1280])
def test_the_page_says_when_tags_are_behind_the_codebook(
    new_page, officer, width, tmp_path, live_app
):
    """Until `./manage themes tag` has run (after an upgrade, or a changed codebook), the
    page says the tags are behind, in a banner that reads well at both widths."""
    engine = live_app.extensions["db_engine"]
    with Session(engine) as session:
        oldest = session.scalar(select(func.min(ThemedResponse.response_id)))
        session.execute(delete(ThemedResponse).where(ThemedResponse.response_id == oldest))
        session.commit()
    page = new_page(width=width)
    page.context.add_cookies(officer)
    page.goto(f"/staff/themes?survey={SURVEY}&period={YEAR}")
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("not yet tagged with the current codebook")
    check(page, "themes-behind", tmp_path, width)
    with live_app.app_context(), Session(engine) as session:
        assert catch_up(session) >= 1
        session.commit()
    page.reload()
    expect(page.locator(".govuk-notification-banner")).to_have_count(0)
