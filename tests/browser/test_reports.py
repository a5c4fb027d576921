"""The report pages in Chromium, on a phone and a laptop: nothing scrolls sideways and axe
finds nothing, with a validation error, a second tab's clash, the forum's review and the
confirmations on them.

And closing the loop with a parent carer: they answer on a phone and leave their address
for the results; the officer drafts the report and sends it, the forum signs it off and
the officer publishes it (each through its confirmation page); the outbox worker sends;
the email arrives at a real SMTP server on loopback (aiosmtpd), with nothing from anyone's
answers in it, and its links work in the browser."""

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.periods import period_containing
from app.models import ContactRequest, User
from app.time import today_in_london
from tests.browser.axe_check import violations
from tests.browser.live import live_app as serve_database
from tests.browser.live import serving
from tests.browser.navigation import press, sign_in
from tests.factories import make_response, make_user
from tests.outbox.mailserver import mail_server

ADDRESS = "results.please@example.org"
# Written in the survey; it must never reach the email.
PRIVATE = "Our SENCO Mrs Quill-Ashdown at Ledbury Primary has been wonderful"
INTRO = "Thank you to every parent carer who told us what they think this year."
SUMMARY = "You told us the school listens.\nWe will keep doing that."


@pytest.fixture(scope="module")
def site(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """An app of its own, so no other test's answers or addresses reach this report."""
    path = tmp_path_factory.mktemp("results-email") / "live.db"
    shutil.copy(sqlite_template, path)
    app = serve_database(path)
    with Session(app.extensions["db_engine"]) as db:
        make_user(db, "officer", "officer@results.example.org")
        make_user(db, "forum", "chair@forum.example.org")
        for _ in range(3):
            make_response(
                db,
                survey="children",
                submitted_at=datetime.now(UTC),
                answers={"going_well": "My teacher helps me"},
            )
        db.commit()
    with serving(app) as url:
        yield app, url


@pytest.fixture
def open_page(browser, site):
    contexts = []

    def opened(width: int):
        context = browser.new_context(base_url=site[1], viewport={"width": width, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield opened
    for context in contexts:
        context.close()


def signed_in(open_page, app, email: str, width: int = 1280):
    page = open_page(width)
    with Session(app.extensions["db_engine"], expire_on_commit=False) as db:
        user = db.scalar(select(User).where(User.email == email))
        db.commit()
        sign_in(page, db, user)
    return page


def fits(page, width: int, shots: Path | None = None, name: str = "") -> None:
    """Nothing scrolls sideways and axe finds nothing; a screenshot in SHOTS to look at."""
    if shots:
        page.screenshot(path=shots / f"{name}-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
    assert violations(page) == [], page.url


@pytest.mark.parametrize("width", [360, 1280])
def test_the_report_pages_fit_and_pass_axe(open_page, site, width, tmp_path_factory):
    app, _url = site
    shots = tmp_path_factory.mktemp(f"report-pages-{width}")
    officer = signed_in(open_page, app, "officer@results.example.org", width)
    officer.goto("/staff/reports")
    fits(officer, width, shots, "reports")
    officer.get_by_label("Survey").select_option(label="Tell us what you think")
    press(officer, "Start the report")
    report_url = officer.url
    officer.get_by_label("Introduction").fill("x" * 5001)
    press(officer, "Save draft")
    assert officer.locator(".govuk-error-summary").is_visible()
    fits(officer, width, shots, "draft-with-error")

    # Two tabs: the second one's save clashes with the first's.
    second = officer.context.new_page()
    second.goto(report_url)
    officer.get_by_label("Introduction").fill("Saved from the first tab")
    press(officer, "Save draft")
    second.get_by_label("Introduction").fill("Typed in the second tab")
    press(second, "Save draft")
    assert "saved a new version of the text" in second.inner_text(".govuk-error-summary")
    assert second.get_by_label("Introduction").input_value() == "Typed in the second tab"
    fits(second, width, shots, "second-tab-clash")
    press(second, "Save and send to the parent carer forum")

    forum = signed_in(open_page, app, "chair@forum.example.org", width)
    forum.goto(report_url)
    fits(forum, width, shots, "forum-review")
    press(forum, "Sign off this report")
    fits(forum, width, shots, "sign-off-confirmation")
    press(forum, "Sign off")
    officer.goto(report_url)
    press(officer, "Publish")
    fits(officer, width, shots, "publish-confirmation")
    # Back to draft, so that the other width can start the same report again.
    officer.goto(report_url)
    press(officer, "Return to draft for changes")


def answer_and_leave_address(page) -> None:
    page.goto("/s/parent-carers")
    press(page, "Start now")
    while "/q/" in page.url:
        if page.locator("main textarea").count():
            page.locator("main textarea").fill(PRIVATE)
        elif page.locator("main input[type=radio]").count():
            page.locator("main .govuk-radios__label").first.click()
        press(page, "Continue")
    press(page, "Send my answers")
    page.get_by_role("textbox", name="Email address").fill(ADDRESS)
    page.get_by_label("I agree that you keep my email address").check()
    press(page, "Email me the results")
    assert "We will email you when the results are published" in page.inner_text("main")


def addresses_left(app) -> list[str]:
    with Session(app.extensions["db_engine"]) as db:
        return list(db.scalars(select(ContactRequest.email)))


def test_a_parent_carer_gets_the_results_email_and_its_links_work(open_page, site):
    app, base_url = site
    year = period_containing(today_in_london())
    parent = open_page(360)
    answer_and_leave_address(parent)
    fits(parent, 360)
    assert addresses_left(app) == [ADDRESS]

    officer = signed_in(open_page, app, "officer@results.example.org")
    officer.goto("/staff/reports")
    officer.get_by_label("Survey").select_option(label="Working together - parent carer survey")
    officer.get_by_label("Year").select_option(year)
    press(officer, "Start the report")
    report_url = officer.url
    officer.get_by_label("Introduction").fill(INTRO)
    officer.get_by_label("For children and young people").fill(SUMMARY)
    press(officer, "Save and send to the parent carer forum")
    assert "Saved and sent to the parent carer forum" in officer.inner_text("main")

    forum = signed_in(open_page, app, "chair@forum.example.org")
    forum.goto(report_url)
    assert INTRO in forum.inner_text("section:has(#the-report)")
    assert "We will keep doing that." in forum.inner_text("section:has(#easy-read)")
    fits(forum, 1280)
    press(forum, "Sign off this report")
    assert forum.locator("h1").inner_text() == "Sign off this report?"
    fits(forum, 1280)
    press(forum, "Sign off")
    assert "Signed off" in forum.inner_text("main")

    officer.goto(report_url)
    press(officer, "Publish")
    assert officer.locator("h1").inner_text() == "Publish this report?"
    next_steps = officer.inner_text(".app-next-steps")
    assert "1 parent carer who left their email address" in next_steps
    fits(officer, 1280)
    press(officer, "Publish")
    assert "Published." in officer.inner_text("main")
    assert addresses_left(app) == []

    with mail_server() as server:
        server.configure(app)
        sent = app.test_cli_runner().invoke(args=["outbox", "send"])
        assert sent.exit_code == 0, sent.output
    [mail] = [m for m in server.received if m["To"] == ADDRESS]
    assert mail["Subject"] == "Results published: Working together - parent carer survey"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    for private in ("Quill-Ashdown", "SENCO", "Ledbury"):
        assert private not in text + html
    links = {a.get_text(strip=True): a["href"] for a in BeautifulSoup(html, "html.parser")("a")}
    read, remove = links["Read the results"], links["Remove my email address"]
    assert read in text and remove in text
    assert read.startswith(base_url) and remove.startswith(base_url)

    parent.goto(read)
    assert parent.locator("h1").inner_text() == (
        f"You said, we did: Working together - parent carer survey, {year}"
    )
    assert INTRO in parent.inner_text("main")
    fits(parent, 360)

    # Answering again, the parent carer leaves the address again, then uses the email's
    # link to take it off every list.
    answer_and_leave_address(parent)
    assert addresses_left(app) == [ADDRESS]
    parent.goto(remove)
    fits(parent, 360)
    press(parent, "Remove my email address")
    assert parent.locator("h1").inner_text() == "Your email address has been removed"
    assert addresses_left(app) == []
