"""The engagement officer in Chromium: opens a survey, shares it, types in a paper response,
watches the count rise and downloads the responses; and axe finds nothing on any page of
the workspace, in any colour theme, errors included."""

import csv
from datetime import timedelta

import pytest
from playwright.sync_api import Page
from sqlalchemy.orm import Session

from app.preferences import THEMES
from app.time import today_in_london
from tests.browser.axe_check import violations
from tests.browser.navigation import press, sign_in
from tests.factories import make_user

SURVEY = "young-people"


@pytest.fixture(scope="session")
def officer(browser, base_url, live_app) -> list[dict]:
    """A new officer signs in, once: the cookies of their session.

    Once, because sign-in is rate limited by address, and every test here comes from one.
    """
    with Session(live_app.extensions["db_engine"], expire_on_commit=False) as session:
        user = make_user(session, "officer", "officer@example.org")
        context = browser.new_context(base_url=base_url)
        page = context.new_page()
        sign_in(page, session, user)
    assert page.url.endswith("/staff")
    cookies = context.cookies()
    context.close()
    return cookies


@pytest.fixture(scope="session")
def colleague(live_app) -> int:
    """Someone on the officer's team, whose Team pages the tour opens (and leaves as they are)."""
    with Session(live_app.extensions["db_engine"]) as session:
        return make_user(session, "forum", "colleague@example.org").id


def signed_in(page: Page, officer: list[dict]) -> Page:
    page.context.add_cookies(officer)
    page.goto("/staff")
    assert page.url.endswith("/staff")
    return page


def fill_date(page: Page, legend: str, day) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def follow(page: Page, link) -> None:
    with page.expect_navigation():
        link.click()


def survey_card(page: Page):
    return page.locator(f".app-card[data-survey='{SURVEY}']")


def answers_so_far(page: Page) -> int:
    page.goto("/staff")
    return int(survey_card(page).locator("[data-total]").get_attribute("data-total"))


def kington(page: Page):
    page.goto(f"/staff/surveys/{SURVEY}")
    return page.locator("[data-group='area-kington'] td .app-responsive-table__value").first


def test_an_officer_opens_shares_enters_a_paper_response_and_exports(new_page, officer):
    page = signed_in(new_page(), officer)

    # Open the survey's page from its card, then its settings.
    follow(page, survey_card(page).get_by_role("link"))
    assert page.url.endswith(f"/staff/surveys/{SURVEY}")
    follow(page, page.get_by_role("link", name="Change status").first)
    page.get_by_label("Open: people can answer it between its dates").check()
    today = today_in_london()
    fill_date(page, "Opening date", today)
    fill_date(page, "Closing date", today + timedelta(days=30))
    fill_date(page, "Date people will hear what was done", today + timedelta(days=90))
    press(page, "Save settings")
    assert page.url.endswith(f"/staff/surveys/{SURVEY}")
    assert page.locator("main .govuk-tag").inner_text().strip() == "Open"
    closes = (today + timedelta(days=30)).strftime("%-d %B %Y")
    assert closes in page.locator("main .govuk-summary-list").inner_text()
    page.goto("/staff")
    assert survey_card(page).locator(".govuk-tag").inner_text().strip() == "Open"
    assert closes in survey_card(page).inner_text()
    before = answers_so_far(page)

    # A target for Kington, so the gap shows.
    page.goto(f"/staff/surveys/{SURVEY}")
    follow(page, page.get_by_role("link", name="Set targets"))
    page.get_by_label("Kington").fill("20")
    press(page, "Save targets")
    kington_before = int(kington(page).inner_text().split()[0])
    assert kington(page).inner_text() == f"{kington_before} of 20"

    # Share it: the link and the QR code.
    follow(page, page.get_by_role("link", name="Share it"))
    link = page.locator("[data-survey-link]")
    assert link.is_visible()
    assert link.inner_text().endswith(f"/s/{SURVEY}")
    qr = page.get_by_role("img", name="QR code that opens")
    assert qr.is_visible()
    assert qr.locator("svg").bounding_box()["width"] > 100
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download the paper version (PDF)").click()
    assert pdf.value.suggested_filename.startswith(f"{SURVEY}-paper-version-")

    # Type in a response given on paper.
    press(page, "Type in a response", role="link")
    page.get_by_label("On paper").check()
    fill_date(page, "Date it was filled in", today)
    page.get_by_role("group", name="Where do you live?").get_by_label("Kington").check()
    page.locator("textarea[name=going_well]").fill("The youth club = brilliant")
    press(page, "Save this response")
    assert "The response is saved" in page.locator(".govuk-notification-banner").inner_text()

    # The count rises.
    assert answers_so_far(page) == before + 1
    assert kington(page).inner_text() == f"{kington_before + 1} of 20"

    # Download the responses as CSV.
    page.goto(f"/staff/exports?survey={SURVEY}")
    with page.expect_download() as download:
        page.locator("[data-export-csv]").click()
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    typed_in = [row for row in rows if row["going_well"] == "The youth club = brilliant"]
    assert [(row["channel"], row["area"]) for row in typed_in] == [("paper", "kington")]


def workspace_tour(page: Page, check, colleague: int) -> None:
    """Every page of the workspace, and each form with its errors showing."""
    page.goto("/staff")
    check(page, "front page")
    for path, label in [
        (f"/staff/surveys/{SURVEY}", "survey page"),
        (f"/staff/surveys/{SURVEY}/settings", "settings"),
        (f"/staff/surveys/{SURVEY}/targets", "targets"),
        (f"/staff/surveys/{SURVEY}/share", "share"),
        (f"/staff/surveys/{SURVEY}/paper", "paper version"),
        (f"/staff/surveys/{SURVEY}/enter", "data entry"),
        ("/staff/responses", "responses"),
        ("/staff/exports", "downloads and charts"),
        ("/staff/responses/import", "import"),
        (f"/staff/surveys/{SURVEY}/wording", "wording"),
        ("/staff/team", "team"),
        (f"/staff/team/{colleague}", "team member"),
        (f"/staff/team/{colleague}/disable", "disable confirmation"),
        (f"/staff/team/{colleague}/reset", "reset confirmation"),
    ]:
        page.goto(path)
        check(page, label)

    page.goto(f"/staff/surveys/{SURVEY}/settings")
    page.get_by_role("group", name="Opening date").get_by_label("Month").fill("13")
    press(page, "Save settings")
    check(page, "settings with an error")
    page.goto(f"/staff/surveys/{SURVEY}/targets")
    page.get_by_label("Kington").fill("lots")
    press(page, "Save targets")
    check(page, "targets with an error")
    page.goto(f"/staff/surveys/{SURVEY}/enter")
    press(page, "Save this response")
    check(page, "data entry with errors")
    page.goto("/staff/responses?survey=nope")
    check(page, "responses with an error")
    page.goto("/staff/responses/import")
    press(page, "Import responses")
    check(page, "import with an error")
    page.goto(f"/staff/surveys/{SURVEY}/wording")
    page.get_by_label("Survey title").fill("")
    press(page, "Save as a new version")
    check(page, "wording with an error")
    page.goto("/staff/team/invite")
    press(page, "Create the account")
    check(page, "invitation with errors")
    page.goto(f"/staff/team/{colleague}/role")
    page.get_by_label("Safeguarding lead", exact=False).check()
    press(page, "Continue")
    check(page, "role change confirmation")


@pytest.mark.parametrize("theme", THEMES)
def test_axe_finds_no_violations_in_the_workspace(new_page, officer, colleague, theme):
    found: dict[str, list[str]] = {}
    stops: list[str] = []

    def check(page: Page, label: str) -> None:
        stops.append(label)
        problems = violations(page)
        if problems:
            found[label] = problems

    page = signed_in(new_page(theme=None if theme == "default" else theme), officer)
    workspace_tour(page, check, colleague)
    assert len(stops) == 23
    assert found == {}
