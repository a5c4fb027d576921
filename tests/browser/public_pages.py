"""Every public page, in one walk: the respondent's tour (tests/browser/tour.py), then the
start page of each survey, the measures with each breakdown, "You said, we did", a
published report and its easy-read version, a receipt with a report, and the code box's
answers. Calls `check(page, label)` at each stop; the browser tests check each page and
`make screenshots` photographs it."""

from playwright.sync_api import Page

from tests.browser.navigation import press
from tests.browser.sample import Sample
from tests.browser.tour import Check, tour

BREAKDOWNS = ("", "audience", "area", "age_band", "setting", "support")


def public_tour(page: Page, check: Check, sample: Sample) -> None:
    def visit(url: str, label: str) -> None:
        page.goto(url)
        page.wait_for_load_state("load")
        check(page, label)

    tour(page, check)
    for survey_id in ("young-people", "parent-carers"):
        visit(f"/s/{survey_id}", f"start page ({survey_id})")
    for by in BREAKDOWNS:
        # The sample's last full year: the tour's own answers start this year.
        visit(f"/measures?period=2025/26&by={by}", f"measures by {by or 'nothing'}")
    visit("/you-said-we-did", "you said, we did")
    report = f"/you-said-we-did/{sample.survey_id}/{sample.period}"
    visit(report, "published report")
    visit(f"{report}/easy-read", "published report, easy read")
    visit(f"/r/{sample.receipt_code}", "receipt with a report")
    visit("/resume/AAAA-AAAA", "resume link not right")
    visit("/no-such-page", "page not found")

    visit("/code", "code box")
    page.locator("#code").fill("O0O0-AAAA")
    press(page, "Use my code")
    check(page, "code box with an error")
    page.goto("/")
    page.locator("#home-code").fill(sample.receipt_code.lower())
    press(page, "Use my code")
    check(page, "receipt from the home page's code box")
    page.goto("/s/parent-carers")
    press(page, "Start now")
    press(page, "Save and come back later")
    code = page.locator("[data-resume-code]").inner_text().strip()
    page.goto("/privacy")
    page.locator("#footer-code").fill(code)
    press(page, "Use my code")
    check(page, "welcome back, from the footer's code box")
