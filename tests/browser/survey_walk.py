"""Completing a survey in the browser, as a respondent would: one answer per question type."""

from playwright.sync_api import Page

from tests.browser.navigation import press

# What to answer on each kind of question; everything else is left to the defaults.
TEXT = "The teachers listen to me. I would like more clubs after school."


def answer_page(page: Page) -> None:
    """Answer the question on this page (the first option, or some text) and continue."""
    radios = page.locator("main input[type=radio]")
    checkboxes = page.locator("main input[type=checkbox]")
    textarea = page.locator("main textarea")
    if radios.count():
        page.locator("main .govuk-radios__label").first.click()
    elif checkboxes.count():
        page.locator("main .govuk-checkboxes__label").first.click()
    elif textarea.count():
        textarea.fill(TEXT)
    press(page, "Continue")


def complete_survey(page: Page, survey_id: str) -> tuple[str, int]:
    """Start, answer every question, check, send; returns (receipt code, questions seen)."""
    page.goto(f"/s/{survey_id}")
    press(page, "Start now")
    seen = 0
    while "/q/" in page.url:
        seen += 1
        assert page.locator("h1").first.inner_text().startswith(f"Question {seen} of ")
        answer_page(page)
    assert page.url.endswith(f"/s/{survey_id}/check")
    press(page, "Send my answers")
    assert page.url.endswith(f"/s/{survey_id}/done")
    return page.locator("[data-receipt-code]").inner_text().strip(), seen
