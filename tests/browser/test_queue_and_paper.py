"""The safeguarding queue, the paper version and its hand-back settings, typing in a paper
response with "No answer", and the action tables, in Chromium at 360 and 1280 pixels:
nothing scrolls sideways, no word is broken across two lines, and axe finds nothing."""

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Page
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Action, ActionStatus, ActionUpdate, SafeguardingFlag
from tests.browser.axe_check import violations
from tests.browser.navigation import press
from tests.browser.test_feedback_accessibility import sign_in_as
from tests.factories import make_response, make_user

WIDTHS = [360, 1280]
ACCOUNTS = itertools.count()

# Every word in the matching elements whose letters are drawn on more than one line. A
# hyphenated word may break at its hyphen, so its parts are checked one by one; a web or
# email address (app/text.py `breakable`) may break anywhere.
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest(".app-breakable")) continue;
      for (const word of node.data.matchAll(/[^\\s\\-\\u2013\\u2014\\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(word[0]);
      }
    }
  }
  return broken;
}"""


@pytest.fixture(scope="module")
def staff(live_app):
    with live_app.app_context(), Session(live_app.extensions["db_engine"]) as db:
        now = datetime.now(UTC)
        for days, words in ((9, "i want to kill myself"), (0, "my dad hits me at home")):
            response = make_response(db, "children", {"should_change": words})
            flag = db.scalar(
                select(SafeguardingFlag).where(SafeguardingFlag.response_id == response.id)
            )
            flag.flagged_at = now - timedelta(days=days, hours=3)
        action = Action(
            survey_id="children",
            you_said="Clubs after school are too noisy for children with sensory needs",
            we_will=(
                "Quiet sessions at three youth clubs, listed at "
                "https://www.herefordshire.gov.uk/local-offer/short-breaks-and-activities"
            ),
            owner="youth.service.quiet.sessions@herefordshire.gov.uk",
            due_on=date(2020, 1, 1),
            success_measure="Children with sensory needs say the clubs feel comfortable",
            status=ActionStatus.IN_PROGRESS.value,
        )
        action.updates.append(
            ActionUpdate(
                at=datetime(2025, 11, 3, tzinfo=UTC),
                note="Staff training booked",
                status=ActionStatus.IN_PROGRESS.value,
            )
        )
        db.add(action)
        db.commit()


def signed_in(new_page, live_app, role: str, **options) -> Page:
    """A page signed in as a new account with ROLE (a code from an authenticator app is
    taken once, so each sign-in has an account of its own)."""
    email = f"queue-paper-{role}-{next(ACCOUNTS)}@x.org"
    with Session(live_app.extensions["db_engine"]) as db:
        make_user(db, role, email)
        db.commit()
    page = new_page(**options)
    sign_in_as(page, live_app, email)
    return page


def fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_the_safeguarding_queue(new_page, live_app, staff, width, tmp_path):
    page = signed_in(new_page, live_app, "safeguarding", width=width)
    page.goto("/staff/safeguarding")
    rows = page.locator("main tbody tr")
    assert "harm at home" in rows.first.inner_text()
    overdue = page.locator("tr.app-safeguarding-queue__overdue")
    assert "Not handled for more than a working day" in overdue.first.inner_text()
    assert "UTC" not in page.locator("main").inner_text()
    fits(page, width)
    assert page.evaluate(BROKEN_WORDS, "main table") == []
    page.screenshot(path=tmp_path / f"safeguarding-{width}.png", full_page=True)
    assert violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_paper_version_and_its_hand_back_settings(new_page, live_app, staff, width, tmp_path):
    page = signed_in(new_page, live_app, "officer", width=width)
    page.goto("/staff/surveys/children/paper-settings")
    found = {}
    for box in ("Where to hand it back", "Day", "Month", "Year"):
        page.get_by_label(box).fill("")
    press(page, "Save")
    assert page.locator(".govuk-error-summary").is_visible()
    found["settings with errors"] = violations(page)
    page.screenshot(path=tmp_path / f"paper-settings-errors-{width}.png", full_page=True)
    page.get_by_label("Where to hand it back").fill("your teacher or the box in the school office")
    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill(str(date.today().year + 1))
    press(page, "Save")
    assert page.url.endswith("/staff/surveys/children/paper")
    hand_back = page.locator("[data-hand-back]").first.inner_text()
    assert "the box in the school office by 20 December" in hand_back
    assert page.locator(".app-paper__options svg[data-face]").count() > 20
    fits(page, width)
    found["paper"] = violations(page)
    page.screenshot(path=tmp_path / f"paper-{width}.png", full_page=True)
    page.goto("/staff/surveys/children/paper-settings")
    found["settings"] = violations(page)
    assert found == {key: [] for key in found}


@pytest.mark.parametrize("width", WIDTHS)
def test_a_choice_typed_in_by_mistake_is_undone_with_no_answer(
    new_page, live_app, staff, width, tmp_path
):
    page = signed_in(new_page, live_app, "officer", width=width, js=False)
    page.goto("/staff/surveys/children/enter")
    question = page.get_by_role("group", name="care what you think")
    question.get_by_label("Mostly").check()
    question.get_by_label("No answer").check()
    assert not question.get_by_label("Mostly").is_checked()
    fits(page, width)
    page.screenshot(path=tmp_path / f"enter-{width}.png", full_page=True)
    # axe runs as JavaScript, so it checks the same page in a page that has it.
    checked = signed_in(new_page, live_app, "officer", width=width)
    checked.goto("/staff/surveys/children/enter")
    assert violations(checked) == []


# Phones and laptops, and the widths between where six columns of larger text did not fit
# (770 px with large text, up to 905 px with the largest).
@pytest.mark.parametrize(
    ("width", "text_size"),
    [
        (360, "standard"),
        (360, "largest"),
        (1280, "standard"),
        (1280, "largest"),
        (770, "large"),
        (900, "largest"),
        (1100, "largest"),
    ],
)
def test_no_word_in_the_action_tables_is_broken(
    new_page, live_app, base_url, staff, width, text_size, tmp_path
):
    officer = signed_in(new_page, live_app, "officer", width=width)
    public = new_page(width=width)
    for page in (officer, public):
        page.context.add_cookies(
            [{"name": "display", "value": f"{text_size}.default.standard", "url": base_url}]
        )
    for name, page, url in (
        ("staff", officer, "/staff/actions"),
        ("public", public, "/you-said-we-did"),
    ):
        page.goto(url)
        assert page.locator(".app-action-table").count() == 1
        page.screenshot(path=tmp_path / f"actions-{name}-{width}-{text_size}.png", full_page=True)
        assert page.evaluate(BROKEN_WORDS, ".app-action-table") == [], name
        fits(page, width)
        assert violations(page) == [], name
