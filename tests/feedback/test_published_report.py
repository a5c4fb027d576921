"""A published report as a council would print it: each headline for the survey's own
audience, "You said" in what is going well and what should change, distinct quotes,
dates in words on every page and format, and reports published before all this still
shown as they were published."""

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from app.feedback import reports as workflow
from app.feedback.pdf import report_as_pdf
from app.models import Action, Report
from app.time import date_in_words
from tests.factories import load_shipped_surveys, make_response, make_user
from tests.pages import parse

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
LISTENED = [f"The teachers listen to me and I feel heard in class {n}" for n in range(12)]
WAITING = [f"The wait for CAMHS was {n} months, far too long for us" for n in range(3, 15)]
SAME = "The wait for CAMHS was far too long for us"


def publish(app, db: Session, survey: str, answers: list[dict], period: str = "2025/26") -> Report:
    with app.app_context():
        return _publish(db, survey, answers, period)


def _publish(db: Session, survey: str, answers: list[dict], period: str) -> Report:
    load_shipped_surveys(db)
    for number, given in enumerate(answers):
        make_response(
            db,
            survey=survey,
            submitted_at=datetime(2025, 10, 1 + number % 28, 12, tzinfo=UTC),
            answers=given,
        )
    db.add(
        Action(
            survey_id=survey,
            you_said="Waits are too long",
            we_will="Two new clinics",
            owner="CAMHS team",
            due_on=date(2027, 1, 15),
            success_measure="Waits under 18 weeks",
        )
    )
    officer, forum = make_user(db, "officer"), make_user(db, "forum")
    report = Report(survey_id=survey, period=period, child_summary="You told us waits are long.")
    db.add(report)
    db.flush()
    workflow.send_to_forum(report, officer, db, report.version)
    workflow.sign_off(report, forum, db, report.version)
    workflow.publish(report, officer, db, report.version)
    report.published_at = datetime(2027, 1, 15, 10, tzinfo=UTC)
    # A new dict, not a change inside the old one: a JSON column only notices assignment.
    report.published_content = {
        **report.published_content,
        "published_at": report.published_at.isoformat(),
    }
    db.commit()
    return report


def parent_carer_answers() -> list[dict]:
    told = ["yes"] * 7 + ["a_little"] * 6 + ["no"] * 7 + ["not_sure"] * 4
    return [
        {
            "told_how_views_used": told[n],
            "going_well": LISTENED[n % 12],
            "should_change": (WAITING + [SAME] * 12)[n],
        }
        for n in range(24)
    ]


def test_the_headline_speaks_for_parent_carers_alone_and_leaves_out_not_sure(app, db):
    report = publish(app, db, "parent-carers", parent_carer_answers())
    headline = next(
        h for h in report.published_content["headlines"] if h["id"] == "o2_told_how_views_used"
    )
    # 13 of the 20 who answered yes, a little or no; the 4 "not sure" are not counted.
    assert headline["base"] == 20 and headline["percent"] == 65.0
    assert headline["sentence"] == (
        "65 in every 100 parent carers said they were told how their views had been used."
    )
    assert "children" not in headline["sentence"] and "young people" not in headline["sentence"]
    assert "20 parent carers" in headline["note"] and '"Not sure"' in headline["note"]


def test_a_childrens_headline_speaks_for_children(app, db):
    answers = [{"cares_about_opinion": "always"}] * 8 + [{"cares_about_opinion": "never"}] * 4
    report = publish(app, db, "children", answers)
    headline = next(
        h for h in report.published_content["headlines"] if h["id"] == "o2_opinion_cared_about"
    )
    assert headline["sentence"].startswith("67 in every 100 children said")
    assert "young people" not in headline["sentence"]


def test_you_said_separates_going_well_from_should_change(app, db, client):
    report = publish(app, db, "parent-carers", parent_carer_answers())
    groups = {g["question"]: g for g in report.published_content["comment_groups"]}
    assert "being_listened_to" in [t["id"] for t in groups["going_well"]["themes"]]
    assert "waiting_times" in [t["id"] for t in groups["should_change"]["themes"]]
    assert "waiting_times" not in [t["id"] for t in groups["going_well"]["themes"]]
    page = parse(client.get("/you-said-we-did/parent-carers/2025-26"))
    sections = page.select("[data-comment-group]")
    assert [s["data-comment-group"] for s in sections] == ["going_well", "should_change"]
    assert sections[0].select_one("h3").text == "What is going well"
    assert sections[1].select_one("h3").text == "What should change"
    assert "Being listened to" in sections[0].text and "Being listened to" not in sections[1].text
    easy = parse(client.get("/you-said-we-did/parent-carers/2025-26/easy-read"))
    assert [h.text for h in easy.select("main h3")] == ["Good things", "Things to make better"]


def test_a_quote_written_twelve_times_is_printed_once(app, db, client):
    publish(app, db, "parent-carers", parent_carer_answers())
    page = parse(client.get("/you-said-we-did/parent-carers/2025-26"))
    for section in page.select("[data-comment-group]"):
        quotes = [q.text.strip("“”") for q in section.select(".app-quote")]
        assert len(quotes) == len(set(quotes)), quotes
    assert [q.text.strip("“”") for q in page.select(".app-quote")].count(SAME) <= 1


def test_every_date_of_a_report_is_in_words(app, db, client, runner):
    publish(app, db, "parent-carers", parent_carer_answers())
    pages = {
        "page": client.get("/you-said-we-did/parent-carers/2025-26"),
        "easy read": client.get("/you-said-we-did/parent-carers/2025-26/easy-read"),
        "list": client.get("/you-said-we-did"),
    }
    for name, response in pages.items():
        text = parse(response).select_one("main").get_text(" ", strip=True)
        assert not ISO_DATE.search(text), name
    main = parse(pages["page"]).select_one("main").get_text(" ", strip=True)
    assert "Published 15 January 2027" in main and "By: 15 January 2027" in main
    for output in ("md", "html"):
        printed = runner.invoke(
            args=["report", "you-said-we-did", "parent-carers", "--format", output]
        ).output
        assert "Published 15 January 2027" in printed and "By: 15 January 2027" in printed
        assert not ISO_DATE.search(printed), output
    with app.test_request_context():
        printable = app.jinja_env.get_template("public/report_print.html").render(
            content=db.get(Report, 1).published_content
        )
    assert "Published 15 January 2027" in printable and not ISO_DATE.search(printable)
    pdf = client.get("/you-said-we-did/parent-carers/2025-26/report.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (date(2027, 1, 15), "15 January 2027"),
        ("2026-03-31", "31 March 2026"),
        # 23:30 UTC on 31 August is 00:30 on 1 September in London (BST).
        ("2026-08-31T23:30:00+00:00", "1 September 2026"),
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "31 December 2026"),
        (datetime(2026, 7, 1, 23, 30), "2 July 2026"),
    ],
)
def test_dates_in_words(value, words):
    assert date_in_words(value) == words


# A report as it was frozen before "You said" was split and headlines gained notes.
OLD_CONTENT = {
    "title": "You said, we did: Parent carers, 2024/25",
    "survey_id": "parent-carers",
    "survey_title": "Parent carers",
    "audience": "parent_carer",
    "period": "2024/25",
    "responses": 40,
    "introduction": "Thank you.",
    "child_summary": "You told us waits are long.",
    "headlines": [
        {
            "id": "o2_told_how_views_used",
            "heading": "Told how their views were used",
            "percent": 65.0,
            "base": 40,
            "sentence": "65 in every 100 children, young people and parent carers said so.",
            "suppressed": False,
        }
    ],
    "choices": [],
    "comments": 30,
    "themes": [
        {
            "id": "waiting_times",
            "label": "Waiting times",
            "count": 12,
            "percent": 40.0,
            "quotes": ["The wait is far too long"],
        }
    ],
    "themes_hidden": ["Transport"],
    "actions": [
        {
            "you_said": "Waits",
            "we_will": "Two clinics",
            "owner": "CAMHS team",
            "due_on": "2025-03-31",
            "status": "Planned",
            "overdue": False,
            "updates": [],
        }
    ],
    "published_at": "2025-01-10T10:00:00+00:00",
}


def test_a_report_published_before_these_changes_still_renders(app, db, client, runner):
    load_shipped_surveys(db)
    db.add(
        Report(
            survey_id="parent-carers",
            period="2024/25",
            status="published",
            published_at=datetime(2025, 1, 10, 10, tzinfo=UTC),
            published_content=OLD_CONTENT,
        )
    )
    db.commit()
    page = client.get("/you-said-we-did/parent-carers/2024-25")
    assert page.status_code == 200
    main = parse(page).select_one("main")
    text = main.get_text(" ", strip=True)
    assert "What people wrote about" in text and "The wait is far too long" in text
    assert "Fewer than 10 people also wrote about: Transport." in text
    assert "65 in every 100 children, young people and parent carers said so." in text
    assert '"Not sure" answers are left out' in text
    assert "By: 31 March 2025" in text and not ISO_DATE.search(text)
    easy = client.get("/you-said-we-did/parent-carers/2024-25/easy-read")
    assert "A lot of you talked about waiting times." in parse(easy).text
    assert client.get("/you-said-we-did/parent-carers/2024-25/report.pdf").status_code == 200
    printed = runner.invoke(
        args=["report", "you-said-we-did", "parent-carers", "--period", "2024/25", "--format", "md"]
    )
    assert printed.exit_code == 0 and "The wait is far too long" in printed.output
    with app.test_request_context():
        assert report_as_pdf(OLD_CONTENT).startswith(b"%PDF")


def test_the_easy_read_keeps_the_capitals_of_ehc(app, db, client):
    plans = [f"The EHC plan took {n} months to arrive" for n in range(3, 15)]
    publish(app, db, "parent-carers", [{"should_change": text} for text in plans])
    easy = parse(client.get("/you-said-we-did/parent-carers/2025-26/easy-read")).select_one("main")
    assert "A lot of you talked about EHC plans and reviews." in easy.text
    assert "ehc" not in easy.text
