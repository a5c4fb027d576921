"""The Team page in Chromium, on a phone and a laptop: an officer invites someone, changes
their role (confirming it), disables and enables the account; nothing scrolls sideways."""

import pytest
from playwright.sync_api import Page
from sqlalchemy.orm import Session

from tests.browser.navigation import press, sign_in
from tests.browser.test_officer import signed_in
from tests.factories import make_user

ROLE = "Safeguarding lead: sees answers that show a child may be at risk"


@pytest.fixture(scope="module")
def team_officer(browser, base_url, live_app) -> list[dict]:
    """The cookies of an officer of its own (signing out or changing roles elsewhere in
    the browser tests must not end this one's session)."""
    with Session(live_app.extensions["db_engine"], expire_on_commit=False) as session:
        user = make_user(session, "officer", "team.officer@example.org")
        context = browser.new_context(base_url=base_url)
        page = context.new_page()
        sign_in(page, session, user)
    cookies = context.cookies()
    context.close()
    return cookies


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [360, 1280])
def test_an_officer_manages_the_team(new_page, team_officer, width, tmp_path):
    email = f"parent.carer.forum.member.{width}@longdomain-example.org.uk"
    page = signed_in(new_page(width=width, height=800), team_officer)

    def shot(name: str) -> None:
        no_sideways_scroll(page)
        page.screenshot(path=tmp_path / f"{width}-{name}.png", full_page=True)

    # From the service navigation, behind its Menu button on a phone.
    menu = page.locator(".govuk-service-navigation__toggle")
    if menu.is_visible():
        menu.click()
    with page.expect_navigation():
        page.locator(".govuk-service-navigation").get_by_role("link", name="Team").click()
    press(page, "Invite someone")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Parent carer forum: sees results").check()
    press(page, "Create the account")
    link = page.locator("[data-set-password-link]").inner_text()
    assert "/staff/set-password/" in link
    shot("invited")

    press(page, "Back to the team", role="link")
    card = page.locator(f"[data-member='{email}']")
    assert "Waiting for a password" in card.inner_text()
    shot("team")
    with page.expect_navigation():
        card.get_by_role("link", name=f"Manage {email}").click()
    shot("member")

    press(page, "Change role", role="link")
    page.get_by_label(ROLE).check()
    press(page, "Continue")
    shot("role-confirm")
    press(page, "Yes, change the role")
    assert page.locator("[data-role]").inner_text() == "Safeguarding lead"

    press(page, "Disable account")
    shot("disable-confirm")
    press(page, "Yes, disable this account")
    assert page.locator("[data-status]").inner_text().strip() == "Disabled"
    assert (
        "is disabled and signed out everywhere"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    shot("disabled")
    press(page, "Enable account")
    assert page.locator("[data-status]").inner_text().strip() != "Disabled"
