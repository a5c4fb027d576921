"""Done when, for the staff workspace (issue 13): signed in as each role, every page its
navigation reaches (and for the officer a survey's page and the pages it links to) has
no axe finding, WCAG 2.2 AA and best practice, in every colour theme, on a 360px phone and
a 1280px laptop, and no page scrolls sideways on the phone. The menu collapses behind
GOV.UK's toggle on a phone, and opens every page without JavaScript too."""

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy.orm import Session

from app.preferences import THEMES
from tests.browser.axe_check import violations
from tests.browser.navigation import press, sign_in
from tests.browser.staff_pages import workspace_walk
from tests.factories import make_user

WIDTHS = {360: 740, 1280: 800}
# What each role can reach, as a new colleague would be shown round.
REACHED = {
    "officer": {
        "/staff",
        "/staff/responses",
        "/staff/themes",
        "/staff/actions",
        "/staff/reports",
        "/staff/measures",
        "/staff/exports",
        "/staff/team",
        "/staff/two-factor/set-up",
        "/staff/outbox",
        "/staff/bursts",
        "/staff/surveys/young-people",
        "/staff/surveys/young-people/settings",
        "/staff/surveys/young-people/targets",
        "/staff/surveys/young-people/share",
        "/staff/surveys/young-people/paper",
        "/staff/surveys/young-people/paper-settings",
        "/staff/surveys/young-people/enter",
        "/staff/surveys/young-people/wording",
        "/staff/surveys/young-people/build",
    },
    "forum": {
        "/staff",
        "/staff/actions",
        "/staff/reports",
        "/staff/measures",
        "/staff/two-factor/set-up",
    },
    "safeguarding": {
        "/staff",
        "/staff/responses",
        "/staff/measures",
        "/staff/safeguarding",
        "/staff/two-factor/set-up",
    },
}


@pytest.fixture(scope="module")
def signed_in_as(browser: Browser, base_url: str, live_app) -> dict[str, list[dict]]:
    """Someone of each role signs in once, with both steps where their role needs them:
    the cookies of their sessions, by role."""
    cookies = {}
    with Session(live_app.extensions["db_engine"], expire_on_commit=False) as session:
        for role in REACHED:
            user = make_user(session, role, f"walk-{role}@example.org")
            context = browser.new_context(base_url=base_url)
            sign_in(context.new_page(), session, user)
            cookies[role] = context.cookies()
            context.close()
    return cookies


def open_as(browser: Browser, base_url: str, cookies: list[dict], width: int, js: bool = True):
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": width, "height": WIDTHS[width]},
        java_script_enabled=js,
    )
    context.add_cookies(cookies)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.mark.parametrize("role", REACHED)
def test_axe_finds_nothing_on_any_staff_page_in_any_theme_at_either_width(
    browser, base_url, signed_in_as, role
):
    found: dict[str, list[str]] = {}
    reached: dict[tuple[int, str], set[str]] = {}

    for width in WIDTHS:
        context, page = open_as(browser, base_url, signed_in_as[role], width)
        for theme in THEMES:
            context.add_cookies(
                [{"name": "display", "value": f"standard.{theme}.standard", "url": base_url}]
            )

            def check(page: Page, label: str, width=width, theme=theme) -> None:
                where = f"{label} at {width}px in {theme}"
                assert page.locator("header .govuk-service-navigation").count() == 1, where
                problems = violations(page, best_practice=True)
                sideways = page.evaluate("document.documentElement.scrollWidth") - width
                if sideways > 0:
                    problems.append(f"scrolls sideways by {sideways}px")
                if problems:
                    found[where] = problems

            reached[width, theme] = set(workspace_walk(page, check, role))
        context.close()

    assert all(pages == REACHED[role] for pages in reached.values())
    assert not found, "\n".join(f"{where}: {problems}" for where, problems in found.items())


def test_on_a_phone_the_menu_collapses_and_opens(browser, base_url, signed_in_as):
    context, page = open_as(browser, base_url, signed_in_as["officer"], 360)
    page.goto("/staff")
    toggle = page.get_by_role("button", name="Menu")
    reports = page.locator(".govuk-service-navigation").get_by_role("link", name="Reports")
    assert toggle.is_visible()
    assert not reports.is_visible()
    # The account and sign-out stay in view above it.
    assert page.get_by_role("button", name="Sign out").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    with page.expect_navigation():
        reports.click()
    assert page.url.endswith("/staff/reports")
    context.close()


def test_without_javascript_every_page_of_the_menu_shows(browser, base_url, signed_in_as):
    context, page = open_as(browser, base_url, signed_in_as["forum"], 360, js=False)
    page.goto("/staff")
    links = page.locator(".govuk-service-navigation a")
    assert page.locator(".govuk-service-navigation__toggle").is_hidden()
    assert [links.nth(n).inner_text() for n in range(links.count())] == [
        "Home",
        "Actions",
        "Reports",
        "Measures",
    ]
    assert all(links.nth(n).is_visible() for n in range(links.count()))
    with page.expect_navigation():
        links.nth(2).click()
    assert page.url.endswith("/staff/reports")
    context.close()


def test_sign_out_at_the_top_of_the_page_ends_the_session(new_page, live_app):
    with Session(live_app.extensions["db_engine"], expire_on_commit=False) as session:
        user = make_user(session, "forum", "leaving@example.org")
        page = new_page(width=360)
        sign_in(page, session, user)
    page.goto("/staff/measures")
    press(page, "Sign out")
    assert "/staff/sign-in" in page.url
    page.goto("/staff/measures")
    assert "/staff/sign-in" in page.url
