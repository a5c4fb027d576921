"""The report workflow: each step only from the status before it, by the right role, from
a page showing the report as it is now; nothing the officer types is ever lost."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.models import Action, OutboxMessage, Report
from app.outbox.messages import REPORT_WITH_FORUM, RESULTS_PUBLISHED
from app.respond.contacts import add_contact
from tests.factories import load_shipped_surveys, make_response, make_user, sign_in_as
from tests.pages import csrf_token, error_summary, parse
from tests.staff.report_pages import form_on, save_text, step

INTRO = "Thank you to the 40 parent carers who told us what they think."
SUMMARY = "You told us waits are long.\nWe are opening a new clinic."


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)
    for survey in ("children", "parent-carers"):
        make_response(db, survey=survey, answers={"going_well": "The school listens"})


def start(client, survey="children", period="2025/26"):
    return client.post(
        "/staff/reports",
        data={
            "csrf_token": csrf_token(client, "/staff/reports"),
            "survey_id": survey,
            "period": period,
        },
    )


def report(db) -> Report:
    db.expire_all()
    found = db.scalar(select(Report))
    db.commit()
    return found


def outbox(db, kind):
    found = db.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)).all()
    db.commit()
    return found


def banner(response) -> str:
    """The notification banners' text: one for each press not yet followed by a page."""
    found = parse(response).select(".govuk-notification-banner")
    return " ".join(b.get_text(" ", strip=True) for b in found)


def boxes(response) -> dict[str, str]:
    return {area["name"]: area.get_text() for area in parse(response).select("main textarea")}


@pytest.fixture
def officer(client, db):
    sign_in_as(client, db, "officer")
    return client


@pytest.fixture
def forum(app, db):
    member = app.test_client()
    sign_in_as(member, db, "forum")
    return member


@pytest.fixture
def url(officer):
    return start(officer).headers["Location"]


# Sending saves first; nothing typed is lost.


def test_sending_saves_what_was_typed_first(officer, db, url):
    sent = officer.get(
        save_text(officer, url, send=True, introduction=INTRO, child_summary=SUMMARY).headers[
            "Location"
        ]
    )
    assert "Saved and sent to the parent carer forum" in banner(sent)
    found = report(db)
    assert (found.status, found.introduction, found.child_summary) == ("with_forum", INTRO, SUMMARY)
    assert found.published_content["introduction"] == INTRO
    assert found.published_content["child_summary"] == SUMMARY


def test_the_send_button_is_part_of_the_text_form(officer, url):
    [form] = [f for f in parse(officer.get(url)).select("form") if f.select("textarea")][:1]
    buttons = {b.get_text(strip=True): b.get("name") for b in form.select("button")}
    assert buttons == {"Save and send to the parent carer forum": "send", "Save draft": None}


def test_a_validation_error_keeps_what_was_typed_and_sends_nothing(officer, db, url):
    too_long = "x" * 5001
    refused = save_text(officer, url, send=True, introduction=too_long, child_summary=SUMMARY)
    assert refused.status_code == 400
    assert error_summary(refused) == ["Introduction must be 5000 characters or fewer"]
    assert boxes(refused)["introduction"].strip() == too_long
    assert boxes(refused)["child_summary"].strip() == SUMMARY
    found = report(db)
    assert (found.status, found.introduction) == ("draft", "")


def test_an_expired_form_token_keeps_what_was_typed(officer, db, url):
    fields = {**form_on(officer, url), "introduction": INTRO, "child_summary": SUMMARY}
    refused = officer.post(url, data={**fields, "csrf_token": "from-a-session-long-gone"})
    assert "open too long" in error_summary(refused)[0]
    assert boxes(refused)["introduction"].strip() == INTRO
    assert report(db).introduction == ""
    # The page came back with a fresh token: pressing again saves.
    again = {field["name"]: field["value"] for field in parse(refused).select("main form input")}
    officer.post(url, data={**again, **boxes(refused)})
    assert report(db).introduction.strip() == INTRO


def test_text_sent_after_the_session_timed_out_is_given_back_to_copy(app, officer, db, url, clock):
    fields = {**form_on(officer, url), "introduction": INTRO, "child_summary": SUMMARY}
    clock.advance(seconds=(app.config["STAFF_IDLE_TIMEOUT"] + timedelta(minutes=5)).total_seconds())
    given_back = officer.post(url, data=fields, headers={"Referer": f"http://localhost{url}"})

    assert given_back.status_code == 401
    page = parse(given_back)
    assert page.h1.get_text(strip=True) == "You were signed out, so this was not saved"
    assert "had not used the workspace for a while" in page.get_text()
    texts = [area.get_text().strip() for area in page.select("main textarea")]
    assert texts == [INTRO, SUMMARY]
    assert all(area.has_attr("readonly") for area in page.select("main textarea"))
    assert page.select_one("a.govuk-button")["href"] == f"/staff/sign-in?next={url}"
    assert report(db).introduction == ""
    # Signed out for good: the next page asks for the password.
    assert officer.get(url).headers["Location"].startswith("/staff/sign-in")


def test_a_signed_out_post_never_gives_back_passwords_codes_or_the_form_token(
    app, client, db, clock
):
    sign_in_as(client, db, "officer")
    token = csrf_token(client, "/staff")
    clock.advance(seconds=(app.config["STAFF_IDLE_TIMEOUT"] + timedelta(minutes=5)).total_seconds())
    typed = {
        "csrf_token": token,
        "password": "correct horse battery staple",
        "new_password": "another long pass phrase",
        "code": "123 456",
        "description": "Meet the school nurses in March",
    }
    page = parse(client.post("/staff/actions/new", data=typed))
    assert [area.get_text().strip() for area in page.select("main textarea")] == [
        "Meet the school nurses in March"
    ]
    assert "horse" not in str(page) and "pass phrase" not in str(page)


def test_a_double_click_on_send_sends_once(officer, db, url):
    make_user(db, "forum", "chair@forum.example.org")
    fields = {**form_on(officer, url), "introduction": INTRO, "send": "yes"}
    officer.post(url, data=fields)
    second = officer.get(officer.post(url, data=fields).headers["Location"])
    assert "already with the parent carer forum" in banner(second)
    assert len(outbox(db, REPORT_WITH_FORUM)) == 1
    assert report(db).status == "with_forum"


def test_a_second_tab_does_not_overwrite_the_first(officer, app, db, url):
    first_tab, second_tab = form_on(officer, url), form_on(officer, url)
    officer.post(url, data={**first_tab, "introduction": "From the first tab"})
    refused = officer.post(url, data={**second_tab, "introduction": "From the second tab"})
    assert refused.status_code == 409
    [problem] = error_summary(refused)
    assert "officer@herefordshire.gov.uk saved a new version of the text" in problem
    assert "Nothing was saved" in problem
    assert boxes(refused)["introduction"].strip() == "From the second tab"
    stored = parse(refused).select_one(".app-stored-text").get_text(strip=True)
    assert stored == "From the first tab"
    assert report(db).introduction == "From the first tab"
    # Having seen both, the officer saves the second tab's text on purpose.
    again = {field["name"]: field["value"] for field in parse(refused).select("main form input")}
    officer.post(url, data={**again, **boxes(refused)})
    assert report(db).introduction.strip() == "From the second tab"


def test_a_save_from_before_the_report_was_sent_keeps_the_text_to_copy(officer, db, url):
    stale = form_on(officer, url)
    save_text(officer, url, send=True, introduction=INTRO)
    refused = officer.post(url, data={**stale, "introduction": "Typed in another tab"})
    assert "sent it to the parent carer forum" in error_summary(refused)[0]
    area = parse(refused).select_one("textarea[name=introduction]")
    assert area.get_text().strip() == "Typed in another tab" and area.has_attr("readonly")
    assert not parse(refused).select("main form button[name=send]")
    assert report(db).introduction == INTRO


def test_only_the_officer_saves_the_text(forum, db, url):
    fields = {"csrf_token": csrf_token(forum, url), "version": "1", "introduction": "Forum's"}
    assert forum.post(url, data=fields).status_code == 403
    assert report(db).introduction == ""


# Sign-off and publish: a confirmation page each, saying what happens next.


def test_the_forum_is_asked_before_signing_off(app, officer, forum, db, url):
    app.config["BASE_URL"] = "https://send.example.gov.uk"
    save_text(officer, url, send=True)
    page = parse(forum.get(f"{url}/sign-off"))
    assert page.select_one("h1").get_text(strip=True) == "Sign off this report?"
    steps = page.select_one(".app-next-steps").get_text(" ", strip=True)
    assert "officer gets an email" in steps
    assert "https://send.example.gov.uk/you-said-we-did/children/2025-26" in steps
    assert report(db).status == "with_forum"  # opening the page changed nothing
    forum.post(f"{url}/sign-off", data=form_on(forum, f"{url}/sign-off"))
    assert report(db).status == "signed_off"


def test_the_officer_is_asked_before_publishing(app, officer, forum, db, url):
    app.config["BASE_URL"] = "https://send.example.gov.uk"
    add_contact(db, "children", "one@example.org")
    add_contact(db, "children", "two@example.org")
    add_contact(db, "parent-carers", "other@example.org")
    db.commit()
    save_text(officer, url, send=True)
    step(forum, url, "sign-off")
    page = parse(officer.get(f"{url}/publish"))
    assert page.select_one("h1").get_text(strip=True) == "Publish this report?"
    steps = [li.get_text(" ", strip=True) for li in page.select(".app-next-steps li")]
    assert "frozen" in steps[0]
    assert page.select_one(".app-next-steps a")["href"] == (
        "https://send.example.gov.uk/you-said-we-did/children/2025-26"
    )
    assert steps[2].startswith("2 parent carers who left their email address")
    assert report(db).status == "signed_off"
    officer.post(f"{url}/publish", data=form_on(officer, f"{url}/publish"))
    assert report(db).status == "published"
    assert len(outbox(db, RESULTS_PUBLISHED)) == 2


def test_a_forged_sign_off_by_the_officer_is_refused(officer, db, url):
    save_text(officer, url, send=True)
    assert officer.get(f"{url}/sign-off").status_code == 403
    assert step(officer, url, "sign-off").status_code == 403
    assert report(db).status == "with_forum"


def test_the_forum_cannot_publish(officer, forum, db, url):
    save_text(officer, url, send=True)
    step(forum, url, "sign-off")
    assert forum.get(f"{url}/publish").status_code == 403
    assert step(forum, url, "publish").status_code == 403
    assert report(db).status == "signed_off"


def test_publishing_twice_publishes_once(officer, forum, db, url):
    add_contact(db, "children", "parent@example.org")
    db.commit()
    save_text(officer, url, send=True)
    step(forum, url, "sign-off")
    confirm = form_on(officer, f"{url}/publish")
    officer.post(f"{url}/publish", data=confirm)
    published_at = report(db).published_at
    again = officer.get(officer.post(f"{url}/publish", data=confirm).headers["Location"])
    assert "already published" in banner(again)
    assert report(db).published_at == published_at
    assert len(outbox(db, RESULTS_PUBLISHED)) == 1


def test_the_forum_cannot_sign_off_a_report_changed_since_they_opened_it(officer, forum, db, url):
    save_text(officer, url, send=True, introduction="First version")
    opened = form_on(forum, f"{url}/sign-off")
    step(officer, url, "return")
    save_text(officer, url, send=True, introduction="Second version")
    refused = forum.get(forum.post(f"{url}/sign-off", data=opened).headers["Location"])
    assert "officer@herefordshire.gov.uk sent it to the parent carer forum" in banner(refused)
    assert report(db).status == "with_forum"
    step(forum, url, "sign-off")
    assert report(db).status == "signed_off"


def test_an_old_form_replayed_is_refused(officer, forum, db, url):
    save_text(officer, url, send=True)
    returned = form_on(officer, url, action=f"{url}/return")
    officer.post(f"{url}/return", data=returned)
    save_text(officer, url, send=True, introduction=INTRO)
    step(forum, url, "sign-off")
    officer.post(f"{url}/return", data=returned)
    assert report(db).status == "signed_off"
    without_version = {"csrf_token": returned["csrf_token"]}
    assert officer.post(f"{url}/return", data=without_version).status_code == 400
    assert report(db).status == "signed_off"


def test_a_report_cannot_be_published_before_the_forum_signs_it_off(officer, db, url):
    refused = officer.post(f"{url}/publish", data=form_on(officer, url))
    assert "published only after the forum signs it off" in banner(officer.get(url))
    assert refused.status_code == 302
    assert report(db).status == "draft"


def test_the_forum_signs_off_and_can_send_it_back(officer, forum, db, url):
    save_text(officer, url, send=True)
    step(forum, url, "return")
    assert report(db).status == "draft"
    assert report(db).published_content is None
    save_text(officer, url, send=True)
    step(forum, url, "sign-off")
    assert report(db).status == "signed_off"
    step(officer, url, "publish")
    assert report(db).status == "published"


# The forum reviews exactly what will be published.


def test_the_forum_reviews_exactly_what_is_published(app, officer, forum, db, url):
    save_text(officer, url, send=True, introduction=INTRO, child_summary=SUMMARY)
    frozen = report(db).published_content
    review = parse(forum.get(url))
    pdf_link = review.select_one("a[href$='report.pdf']")["href"]
    preview = forum.get(pdf_link)
    assert preview.mimetype == "application/pdf" and preview.data.startswith(b"%PDF")
    # What changes after sending (an action, more answers) does not reach the report.
    db.add(
        Action(
            survey_id="children",
            you_said="Later",
            we_will="Added after sending",
            owner="x",
            due_on=datetime(2026, 1, 1).date(),
            success_measure="y",
        )
    )
    for _ in range(12):
        make_response(db, survey="children", answers={"cares_about_opinion": "always"})
    review_again = parse(forum.get(url))
    assert "Added after sending" not in review_again.get_text()
    assert without_dates(forum.get(pdf_link).data) == without_dates(preview.data)
    easy = review_again.select_one("#easy-read").find_parent("section").get_text(" ", strip=True)
    assert "You told us waits are long." in easy and "We are opening a new clinic." in easy
    reviewed = review_again.select_one("#the-report").find_parent("section")

    step(forum, url, "sign-off")
    step(officer, url, "publish")
    published = report(db).published_content
    assert {k: v for k, v in published.items() if k != "published_at"} == frozen
    public = app.test_client()
    page = parse(public.get("/you-said-we-did/children/2025-26"))
    public_text = page.select_one("main .govuk-grid-column-two-thirds").get_text(" ", strip=True)
    assert reviewed.get_text(" ", strip=True).removeprefix("The report ") in public_text
    public_easy = parse(public.get("/you-said-we-did/children/2025-26/easy-read"))
    assert easy.removeprefix("The short, easy version ") in public_easy.get_text(" ", strip=True)
    public_pdf = public.get("/you-said-we-did/children/2025-26/report.pdf").data
    assert without_dates(forum.get(pdf_link).data) == without_dates(public_pdf)


def without_dates(pdf: bytes) -> bytes:
    """A PDF without the moment it was made, which fpdf2 writes into each one (and into
    the file's ID, made from it)."""
    return re.sub(rb"/CreationDate \(D:[^)]*\)|/ID \[<[0-9A-F]+><[0-9A-F]+>\]", b"", pdf)


# The reports list and starting a report.


def test_the_list_names_surveys_by_their_titles(officer, db, url):
    rows = parse(officer.get("/staff/reports")).select("main table tbody tr")
    assert [row.select_one("a").get_text(strip=True) for row in rows] == ["Tell us what you think"]


def test_only_years_with_answers_are_offered(officer, db):
    make_response(db, survey="children", submitted_at=datetime(2023, 11, 2, tzinfo=UTC), answers={})
    page = parse(officer.get("/staff/reports"))
    years = [o["value"] for o in page.select("select[name=period] option")]
    assert years == ["2025/26", "2023/24"]
    refused = start(officer, survey="parent-carers", period="2023/24")
    assert error_summary(refused) == ["Select a year in which people answered this survey"]
    assert start(officer, survey="children", period="2023/24").status_code == 302


def test_starting_the_same_report_twice_opens_the_first(officer, db):
    assert start(officer).headers["Location"] == start(officer).headers["Location"]
    assert len(db.scalars(select(Report)).all()) == 1


def test_the_safeguarding_lead_does_not_see_reports(client, db):
    sign_in_as(client, db, "safeguarding")
    assert client.get("/staff/reports").status_code == 403


def test_a_draft_shows_suppressed_figures_only(officer, db):
    for _ in range(8):
        make_response(db, survey="children", answers={"cares_about_opinion": "always"})
    page = parse(officer.get(start(officer).headers["Location"]))
    text = page.select_one(".app-report").get_text(" ", strip=True)
    assert "Fewer than 10 people answered" in text
    assert "9 " not in text.split("You said")[1].split("We did")[0]


# Comments: a refused comment stays in its box.


@pytest.mark.parametrize(
    ("token", "error"),
    [
        (None, "Your comment must be 5000 characters or fewer"),
        ("from-a-session-long-gone", "This page was open too long to add from."),
    ],
)
def test_a_refused_comment_stays_in_its_box(forum, officer, db, url, token, error):
    long = "Please say when the clinics open. " * (150 if token is None else 1)
    fields = {"csrf_token": token or csrf_token(forum, url), "body": long}
    refused = forum.post(f"{url}/comments", data=fields)
    assert refused.status_code == 400
    assert error_summary(refused)[0].startswith(error)
    assert parse(refused).select_one("textarea[name=body]").get_text().strip() == long.strip()
    assert report(db).comments == []


def test_a_confirmation_page_opened_too_late_goes_back_to_the_report(officer, forum, db, url):
    assert forum.get(f"{url}/sign-off").headers["Location"] == url  # still a draft
    save_text(officer, url, send=True)
    step(forum, url, "sign-off")
    late = forum.get(forum.get(f"{url}/sign-off").headers["Location"])
    assert "already signed off" in banner(late)
