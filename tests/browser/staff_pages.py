"""Every staff page a person can reach from the workspace's navigation, for each role: the
pages its service navigation and account bar link to, and (for the officer) a survey's own
page and the pages it links to. Calls `check(page, label)` at each stop; the browser tests
check each page (tests/browser/test_staff_pages.py) and `make screenshots` photographs it."""

from datetime import UTC, datetime

import pyotp
from playwright.sync_api import Page

from tests.browser.navigation import press
from tests.browser.sample import Sample
from tests.browser.tour import Check
from tests.factories import PASSWORD, TOTP_SECRET

ROLES = ("officer", "forum", "safeguarding")
SURVEY = "young-people"
# The survey's own page links to these; the rest of what it links to is in the navigation.
SURVEY_PAGES = (
    "settings",
    "targets",
    "share",
    "paper",
    "paper-settings",
    "enter",
    "wording",
    "build",
)

# The last step of the authenticator app each account used, so no code is used twice.
_last_steps: dict[str, int] = {}


def reachable(page: Page) -> list[tuple[str, str]]:
    """(address, label) of each page the navigation and account bar of PAGE link to, in order."""
    links = page.locator(".govuk-service-navigation a, .app-account a")
    found: dict[str, str] = {}
    for number in range(links.count()):
        link = links.nth(number)
        found.setdefault(link.get_attribute("href"), link.inner_text().strip())
    return list(found.items())


def workspace_walk(page: Page, check: Check, role: str) -> list[str]:
    """Visit every page reachable from the navigation of someone signed in with ROLE, from
    the workspace's front page; returns the addresses visited."""
    page.goto("/staff")
    page.wait_for_load_state("load")
    stops = [(url, f"{role} {label}") for url, label in reachable(page)]
    if role == "officer":
        survey = f"/staff/surveys/{SURVEY}"
        stops.append((survey, "officer survey page"))
        stops.extend((f"{survey}/{name}", f"officer survey {name}") for name in SURVEY_PAGES)
    for url, label in stops:
        page.goto(url)
        page.wait_for_load_state("load")
        check(page, label)
    return [url for url, _label in stops]


def sign_in_with_app(page: Page, email: str) -> None:
    """Sign in with the password and, when asked, the next unused code of the app every
    sample account has (tests.factories.TOTP_SECRET)."""
    page.goto("/staff/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    press(page, "Sign in")
    if page.url.endswith("/staff/two-factor"):
        totp = pyotp.TOTP(TOTP_SECRET)
        # The server also takes the step after now's, for a phone whose clock is fast.
        step = max(totp.timecode(datetime.now(UTC)), _last_steps.get(email, 0) + 1)
        _last_steps[email] = step
        page.get_by_label("Code", exact=True).fill(totp.generate_otp(step))
        press(page, "Continue")


def staff_walk(page: Page, check: Check, sample: Sample) -> None:
    """Each role in turn signs in, walks its pages and signs out."""
    for role in ROLES:
        sign_in_with_app(page, sample.staff[role])
        workspace_walk(page, check, role)
        press(page, "Sign out")
