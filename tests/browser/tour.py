"""A tour of every kind of page a respondent can meet, error states included, calling
`check(page, label)` at each stop."""

from collections.abc import Callable

from playwright.sync_api import Page

from tests.browser.navigation import press

Check = Callable[[Page, str], None]


def _skip_to(page: Page, question_id: str) -> None:
    while f"/q/{question_id}" not in page.url:
        press(page, "I don't want to answer")


def tour(page: Page, given_check: Check) -> None:
    def check(page: Page, label: str) -> None:
        page.wait_for_load_state("load")
        given_check(page, label)

    page.goto("/")
    check(page, "home")
    page.goto("/s/children")
    check(page, "start page (children)")
    press(page, "Start now")
    check(page, "question: face scale")
    press(page, "Continue")
    check(page, "question: face scale, second")
    _skip_to(page, "going_well")
    check(page, "question: free text")
    page.locator("main textarea").fill("x" * 1001)
    press(page, "Continue")
    assert page.locator(".govuk-error-summary").is_visible()
    check(page, "question: free text with an error")
    page.locator("main textarea").fill("Art club is fun")
    press(page, "Continue")
    _skip_to(page, "area")
    check(page, "question: plain radios")
    press(page, "Save and come back later")
    check(page, "saved")
    press(page, "Carry on now", role="link")
    while "/q/" in page.url:
        press(page, "I don't want to answer")
    check(page, "check answers")
    press(page, "Send my answers")
    check(page, "confirmation")
    receipt = page.locator("[data-receipt-code]").inner_text().strip()
    page.goto(f"/r/{receipt}")
    check(page, "receipt")
    page.goto("/r/AAAA-AAAA")
    check(page, "receipt not found")

    page.goto("/s/parent-carers")
    press(page, "Start now")
    while "/q/" in page.url:
        press(page, "I don't want to answer")
    press(page, "Send my answers")
    check(page, "confirmation with email offer")
    page.get_by_role("textbox", name="Email address").fill("parent@example.org")
    press(page, "Email me the results")
    check(page, "email offer with an error")

    page.goto("/resume")
    check(page, "resume")
    press(page, "Carry on")
    check(page, "resume with an error")
    page.goto("/display-settings")
    check(page, "display settings")
    page.goto("/privacy")
    check(page, "privacy")
    page.goto("/staff/sign-in")
    check(page, "staff sign in")
    press(page, "Sign in")
    check(page, "staff sign in with an error")
