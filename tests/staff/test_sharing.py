"""Sharing a survey: its link, its QR code, and its paper version as a page and a PDF."""

import pytest

from app.staff.paper import paper_questions
from app.surveys.versions import definition_of, latest_version
from tests.factories import load_shipped_surveys
from tests.pages import parse
from tests.staff.workspace import sign_in_as

SHARE = "/staff/surveys/children/share"
URLS = [
    SHARE,
    "/staff/surveys/children/qr.png",
    "/staff/surveys/children/qr.svg",
    "/staff/surveys/children/paper",
    "/staff/surveys/children/paper.pdf",
    "/staff/surveys/children/paper-settings",
]


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


@pytest.mark.parametrize("url", URLS)
def test_anyone_not_signed_in_is_sent_to_sign_in(client, url):
    assert client.get(url).headers["Location"].startswith("/staff/sign-in")


@pytest.mark.parametrize("role", ["forum", "safeguarding"])
def test_only_the_officer_shares_surveys(client, runner, role):
    sign_in_as(client, runner, role)
    assert {client.get(url).status_code for url in URLS} == {403}


def test_the_share_page_has_the_link_and_the_qr_code(app, client, runner):
    app.config["BASE_URL"] = "https://yourvoice.example.org/"
    sign_in_as(client, runner)
    page = parse(client.get(SHARE))
    link = page.select_one("[data-survey-link]")
    assert link.text == link["href"] == "https://yourvoice.example.org/s/children"
    qr = page.select_one("[data-qr-code]")
    assert qr["role"] == "img"
    assert qr["aria-label"] == "QR code that opens https://yourvoice.example.org/s/children"
    assert qr.select_one("svg path")
    hrefs = {a["href"] for a in page.select("main a")}
    assert set(URLS[1:]) <= hrefs
    assert "/staff/surveys/children/enter" in hrefs


def test_the_share_page_warns_when_the_survey_is_not_open(client, runner, db):
    from app.models import Survey

    db.get(Survey, "children").status = "closed"
    db.commit()
    sign_in_as(client, runner)
    assert parse(client.get(SHARE)).select_one(".govuk-warning-text")


@pytest.mark.parametrize(
    ("kind", "starts", "mimetype"),
    [("png", b"\x89PNG\r\n\x1a\n", "image/png"), ("svg", b"<?xml", "image/svg+xml")],
)
def test_the_qr_code_downloads_as_a_picture(client, runner, kind, starts, mimetype):
    sign_in_as(client, runner)
    response = client.get(f"/staff/surveys/children/qr.{kind}")
    assert response.mimetype == mimetype
    assert response.data.startswith(starts)
    assert "children-qr-code" in response.headers["Content-Disposition"]


def test_an_unknown_picture_kind_is_not_found(client, runner):
    sign_in_as(client, runner)
    assert client.get("/staff/surveys/children/qr.gif").status_code == 404


def test_the_paper_version_is_a_pdf(client, runner):
    sign_in_as(client, runner)
    response = client.get("/staff/surveys/children/paper.pdf")
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert response.data.count(b"/Type /Page\n") >= 2
    assert "children-paper-version-1.pdf" in response.headers["Content-Disposition"]


def test_the_paper_page_numbers_every_question_with_boxes_to_tick(client, runner):
    sign_in_as(client, runner)
    page = parse(client.get("/staff/surveys/parent-carers/paper"))
    questions = page.select(".app-paper__question")
    assert [q.h2.text.split(".")[0] for q in questions] == [str(n) for n in range(1, 14)]
    first = questions[0]
    assert not page.select("svg[data-face]")
    assert [li.get_text(strip=True) for li in first.select(".app-paper__options li")] == [
        "Yes",
        "A little",
        "No",
        "Not sure",
    ]
    follow_up = questions[1]
    assert follow_up.select_one(".app-paper__write")
    assert (
        "Only answer this if you answered “A little” or “No” or “Not sure” to question 1."
        in follow_up.text
    )


def test_paper_questions_say_how_to_answer_each_kind(db):
    questions = paper_questions(definition_of(latest_version(db, "young-people")))
    instructions = {item.question.type: item.instruction for item in questions}
    assert instructions["free_text"] == "Write your answer in the box."
    assert instructions["single_choice"] == "Tick one box."
    assert all(3 <= item.lines <= 8 for item in questions)
