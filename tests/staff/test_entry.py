"""Answers gathered away from the website: typed in from paper, or imported from a CSV."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.models import Response, SafeguardingFlag
from app.time import today_in_london
from tests.factories import load_shipped_surveys
from tests.pages import error_summary, parse
from tests.staff.test_surveys import date_fields
from tests.staff.workspace import send, sign_in_as

ENTER = "/staff/surveys/children/enter"
IMPORT = "/staff/responses/import"


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def enter(client, answers, survey="children", channel="paper", on=date(2025, 10, 3), key=None):
    url = f"/staff/surveys/{survey}/enter"
    page = parse(client.get(url))
    data = {
        "csrf_token": page.select_one("input[name=csrf_token]")["value"],
        "entry_key": key or page.select_one("input[name=entry_key]")["value"],
        "channel": channel,
        **date_fields("filled_in_on", on),
        **answers,
    }
    return client.post(url, data=data)


def stored(db) -> list[Response]:
    db.expire_all()
    rows = db.scalars(select(Response).order_by(Response.id)).all()
    db.commit()
    return rows


@pytest.mark.parametrize("url", [ENTER, IMPORT])
def test_anyone_not_signed_in_is_sent_to_sign_in(client, url):
    assert client.get(url).headers["Location"].startswith("/staff/sign-in")


@pytest.mark.parametrize("role", ["forum", "safeguarding"])
def test_only_the_officer_enters_responses(client, runner, role):
    sign_in_as(client, runner, role)
    assert client.get(ENTER).status_code == 403
    assert client.get(IMPORT).status_code == 403


def test_the_form_shows_every_question_numbered_as_on_paper(client, runner):
    sign_in_as(client, runner)
    page = parse(client.get(ENTER))
    captions = [c.text for c in page.select("form .govuk-caption-l")]
    assert captions == [f"Question {n}" for n in range(1, 17)]
    assert page.select_one("textarea[name=going_well]")
    assert {i["value"] for i in page.select("input[name=channel]")} == {"paper", "event", "phone"}


def test_a_paper_response_is_stored_with_its_channel_and_date(client, runner, db):
    sign_in_as(client, runner)
    response = enter(
        client,
        {"cares_about_opinion": "mostly", "going_well": "Art club\r\nand music", "area": "kington"},
        channel="event",
    )
    assert response.status_code == 302
    assert "channel=event" in response.headers["Location"]
    assert "on=2025-10-03" in response.headers["Location"]
    [row] = stored(db)
    assert row.answers == {
        "cares_about_opinion": "mostly",
        "going_well": "Art club\nand music",
        "area": "kington",
    }
    assert (row.channel, row.audience, row.receipt_code) == ("event", "child", None)
    assert row.submitted_at == datetime(2025, 10, 3, 11, tzinfo=UTC)  # midday in London (BST)
    following = parse(client.get(response.headers["Location"]))
    assert "The response is saved" in following.select_one(".govuk-notification-banner").text
    assert following.select_one("input[name=channel][value=event]").has_attr("checked")
    assert following.select_one("input[name=filled_in_on-day]")["value"] == "3"


def test_a_response_that_may_show_a_child_at_risk_is_flagged(client, runner, db):
    sign_in_as(client, runner)
    response = enter(client, {"should_change": "my dad hits me when I get home"})
    [row] = stored(db)
    flag = db.scalar(select(SafeguardingFlag))
    assert flag.response_id == row.id
    following = parse(client.get(response.headers["Location"]))
    assert "passed to the safeguarding lead" in following.text


def test_sending_the_same_form_twice_stores_it_once(client, runner, db):
    sign_in_as(client, runner)
    key = "a-fixed-key-for-this-form"
    enter(client, {"area": "ledbury"}, key=key)
    again = enter(client, {"area": "ledbury"}, key=key)
    assert len(stored(db)) == 1
    assert "already saved" in parse(client.get(again.headers["Location"])).text


@pytest.mark.parametrize(
    ("details", "answers", "errors"),
    [
        ({"channel": ""}, {"area": "kington"}, ["Select how it was filled in"]),
        ({"channel": "online"}, {"area": "kington"}, ["Select how it was filled in"]),
        ({"on": None}, {"area": "kington"}, ["Enter the date it was filled in"]),
        (
            {"on": today_in_london() + timedelta(days=1)},
            {"area": "kington"},
            ["Date it was filled in must be today or in the past"],
        ),
        ({}, {}, ["Enter at least one answer"]),
        ({}, {"area": "atlantis"}, ["Select one of the options"]),
        ({}, {"going_well": "x" * 1001}, ["Your answer must be 1000 characters or fewer"]),
    ],
)
def test_bad_input_is_refused_with_clear_errors_and_nothing_stored(
    client, runner, db, details, answers, errors
):
    sign_in_as(client, runner)
    response = enter(client, answers, **details)
    assert response.status_code == 200
    assert error_summary(response) == errors
    assert parse(response).title.text.startswith("Error: ")
    assert stored(db) == []


def test_a_date_typed_wrongly_comes_back_as_typed(client, runner, db):
    sign_in_as(client, runner)
    url = ENTER
    page = parse(client.get(url))
    response = client.post(
        url,
        data={
            "csrf_token": page.select_one("input[name=csrf_token]")["value"],
            "entry_key": page.select_one("input[name=entry_key]")["value"],
            "channel": "paper",
            "filled_in_on-day": "31",
            "filled_in_on-month": "Feb",
            "filled_in_on-year": "2025",
            "area": "kington",
        },
    )
    assert error_summary(response) == ["Date it was filled in must be a real date"]
    assert parse(response).select_one("input[name=filled_in_on-month]")["value"] == "Feb"
    assert parse(response).select_one(".govuk-error-summary a")["href"] == "#filled_in_on"
    assert stored(db) == []


def test_a_question_the_paper_says_to_skip_must_be_left_empty(client, runner, db):
    sign_in_as(client, runner)
    response = enter(
        client,
        {"told_how_views_used": "yes", "how_to_tell_you": "By email"},
        survey="parent-carers",
    )
    assert error_summary(response) == [
        "Leave question 2 empty: it is only for people who gave certain answers to question 1"
    ]
    assert stored(db) == []
    enter(client, {"told_how_views_used": "no", "how_to_tell_you": "By email"}, "parent-carers")
    assert stored(db)[0].answers == {"told_how_views_used": "no", "how_to_tell_you": "By email"}


def upload(client, text: str, name: str = "paper.csv"):
    return send(client, IMPORT, {"file": (io.BytesIO(text.encode()), name)})


def test_a_csv_file_is_imported(client, runner, db):
    sign_in_as(client, runner)
    csv_text = (
        "survey,submitted_at,channel,area,going_well\n"
        "children,2025-10-03,paper,kington,Art club\n"
        "young-people,2025-10-04,event,hereford,\n"
    )
    response = upload(client, csv_text)
    assert response.status_code == 302
    assert [(r.survey_id, r.channel) for r in stored(db)] == [
        ("children", "paper"),
        ("young-people", "event"),
    ]
    banner = parse(client.get(IMPORT)).select_one(".govuk-notification-banner")
    assert "Imported 2 responses" in banner.text
    upload(client, csv_text)
    assert len(stored(db)) == 2


def test_a_csv_file_with_mistakes_is_refused_whole_with_every_problem(client, runner, db):
    sign_in_as(client, runner)
    response = upload(
        client,
        "survey,submitted_at,area\nchildren,2025-10-03,kington\nnope,31/10/2025,atlantis\n",
    )
    assert response.status_code == 200
    assert error_summary(response) == [
        "The file was not imported: 2 problem(s) are listed below. Nothing was stored."
    ]
    problems = [li.text for li in parse(response).select("[data-import-problems] li")]
    assert problems[0].startswith("row 3, column survey: 'nope' is not a survey")
    assert problems[1].startswith("row 3, column submitted_at:")
    assert stored(db) == []


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("answers.txt", "The selected file must be a CSV or XLSX file"),
        (None, "Select a CSV or XLSX file"),
    ],
)
def test_the_upload_must_be_a_csv_file(client, runner, db, name, error):
    sign_in_as(client, runner)
    data = {"file": (io.BytesIO(b"x"), name)} if name else {}
    response = send(client, IMPORT, data)
    assert error_summary(response) == [error]
    assert stored(db) == []


def test_each_one_answer_question_has_no_answer_to_undo_a_choice_without_javascript(
    client, runner, db
):
    sign_in_as(client, runner)
    page = parse(client.get(ENTER))
    one_answer = [
        fieldset
        for fieldset in page.select("form fieldset")
        if fieldset.select("input[type=radio]") and not fieldset.select("input[name=channel]")
    ]
    assert len(one_answer) >= 10
    for fieldset in one_answer:
        clear = fieldset.select_one("input[data-no-answer]")
        label = fieldset.select_one(f"label[for={clear['id']}]").text.strip()
        assert (clear["value"], label, clear.has_attr("checked")) == ("", "No answer", True)
    # A choice made by mistake, then "No answer" chosen instead: not stored.
    response = enter(client, {"cares_about_opinion": "", "safe_in_community": "mostly"})
    assert response.status_code == 302
    [row] = stored(db)
    assert row.answers == {"safe_in_community": "mostly"}


def test_a_choice_is_kept_and_no_answer_unticked_when_the_form_comes_back(client, runner):
    sign_in_as(client, runner)
    refused = enter(client, {"cares_about_opinion": "mostly"}, on=date(1999, 1, 1))
    assert error_summary(refused)
    fieldset = parse(refused).select_one("input[name=cares_about_opinion]").find_parent("fieldset")
    assert fieldset.select_one("input[checked]")["value"] == "mostly"
    assert not fieldset.select_one("input[data-no-answer]").has_attr("checked")


def test_no_answer_everywhere_is_refused_as_an_empty_form(client, runner, db):
    sign_in_as(client, runner)
    refused = enter(client, {"cares_about_opinion": "", "safe_in_community": ""})
    assert error_summary(refused) == ["Enter at least one answer"]
    assert stored(db) == []
