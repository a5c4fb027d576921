"""The workspace's front page (a card per survey), and each survey's page: status, dates
and targets."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from app.models import Survey, SurveyTarget
from app.time import today_in_london
from tests.factories import load_shipped_surveys, make_response
from tests.pages import error_summary, parse
from tests.staff.workspace import send, sign_in_as

pytestmark = pytest.mark.postgres

SETTINGS = "/staff/surveys/children/settings"
TARGETS = "/staff/surveys/children/targets"


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def date_fields(name: str, day: date | None) -> dict[str, str]:
    parts = (day.day, day.month, day.year) if day else ("", "", "")
    return {
        f"{name}-{part}": str(value)
        for part, value in zip(("day", "month", "year"), parts, strict=True)
    }


def settings(status="open", opens_on=None, closes_on=None, feedback_by=None, **overrides):
    return {
        "status": status,
        **date_fields("opens_on", opens_on),
        **date_fields("closes_on", closes_on),
        **date_fields("feedback_by", feedback_by),
        **overrides,
    }


def survey_row(db, survey_id="children") -> Survey:
    db.expire_all()
    survey = db.get(Survey, survey_id)
    db.commit()
    return survey


def figures(row) -> list[str]:
    """The figures in a row of the survey page's table (each cell also holds its column's
    heading, for phones)."""
    return [value.get_text(strip=True) for value in row.select("td .app-responsive-table__value")]


@pytest.mark.parametrize("url", ["/staff", "/staff/surveys/children", SETTINGS, TARGETS])
def test_anyone_not_signed_in_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/sign-in")


@pytest.mark.parametrize("role", ["forum", "safeguarding"])
def test_only_the_officer_runs_surveys(client, runner, role):
    sign_in_as(client, runner, role)
    for url in (SETTINGS, TARGETS):
        assert client.get(url).status_code == 403
        assert client.post(url, data=settings()).status_code in (400, 403)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("forum", {"/staff/reports", "/staff/actions", "/staff/measures"}),
        ("safeguarding", {"/staff/safeguarding", "/staff/responses", "/staff/measures"}),
    ],
)
def test_forum_and_safeguarding_see_a_list_of_what_they_may_open(client, runner, role, expected):
    sign_in_as(client, runner, role)
    page = parse(client.get("/staff"))
    assert not page.select("[data-survey]")
    links = {a["href"] for a in page.select("main ul a")}
    assert expected <= links
    assert "/staff/exports" not in links


def test_the_officer_sees_a_card_for_every_survey_with_its_status_and_answers(client, runner, db):
    survey = db.get(Survey, "young-people")
    survey.status = "draft"
    db.commit()
    make_response(db, answers={"area": "kington"})
    make_response(db, answers={"area": "prefer_not_to_say"})
    make_response(db, survey="parent-carers", answers={"area": "hereford"})
    sign_in_as(client, runner)

    page = parse(client.get("/staff"))

    cards = {card["data-survey"]: card for card in page.select(".app-card[data-survey]")}
    assert set(cards) == {"children", "young-people", "parent-carers"}
    assert cards["young-people"].select_one(".govuk-tag").text.strip() == "Draft"
    assert cards["children"].select_one(".govuk-tag").text.strip() == "Open"
    total = cards["children"].select_one("[data-total]")
    assert total.get_text(" ", strip=True) == "2 answers, no target set"
    assert cards["children"].h2.a["href"] == "/staff/surveys/children"
    # Progress by group is on the survey's own page, not repeated here.
    assert not page.select("[data-group]")


def test_the_survey_page_shows_who_has_answered(client, runner, db):
    make_response(db, answers={"area": "kington"})
    make_response(db, answers={"area": "prefer_not_to_say"})
    make_response(db, survey="parent-carers", answers={"area": "hereford"})
    sign_in_as(client, runner)

    page = parse(client.get("/staff/surveys/children"))

    assert page.h1.get_text(strip=True) == "Tell us what you think"
    rows = {row["data-group"]: figures(row)[0] for row in page.select("[data-group]")}
    assert rows["audience-child"] == "2"
    assert rows["area-kington"] == "1"
    assert rows["area-not_stated"] == "1"
    assert rows["area-hereford"] == "0"
    links = {a["href"] for a in page.select("main a")}
    assert {
        SETTINGS,
        TARGETS,
        "/staff/surveys/children/share",
        "/staff/surveys/children/enter",
        "/staff/surveys/children/wording",
        "/staff/responses?survey=children",
    } <= links


@pytest.mark.parametrize("role", ["forum", "safeguarding"])
def test_only_the_officer_opens_a_survey_page(client, runner, role):
    sign_in_as(client, runner, role)
    assert client.get("/staff/surveys/children").status_code == 403


def test_the_card_shows_answers_against_the_target_in_words_and_as_a_bar(client, runner, db):
    for _ in range(3):
        make_response(db, answers={"area": "kington"})
    sign_in_as(client, runner)
    # Audiences' targets add up to the whole; areas' count only when no audience has one.
    send(client, TARGETS, {"audience-child": "4", "area-kington": "40"})

    card = parse(client.get("/staff")).select_one(".app-card[data-survey=children]")

    assert card.select_one("[data-total]").get_text(" ", strip=True) == (
        "3 answers of a target of 4 (75%)"
    )
    meter = card.select_one("svg.app-meter")
    assert meter["aria-hidden"] == "true"
    assert meter.select_one(".app-meter__done")["width"] == "75"


def test_a_card_caps_its_bar_when_the_target_is_passed(client, runner, db):
    for _ in range(3):
        make_response(db, answers={"area": "kington"})
    sign_in_as(client, runner)
    send(client, TARGETS, {"area-kington": "2"})

    card = parse(client.get("/staff")).select_one(".app-card[data-survey=children]")

    assert "3 answers of a target of 2 (100%)" in card.get_text(" ", strip=True)
    assert card.select_one(".app-meter__done")["width"] == "100"


def test_the_card_charts_answers_per_week_with_the_figures_in_words(client, runner, db):
    now = datetime.now(UTC)
    for days_ago in (0, 0, 14):
        make_response(db, submitted_at=now - timedelta(days=days_ago))
    make_response(db, submitted_at=now - timedelta(days=400))  # long before the chart
    sign_in_as(client, runner)

    card = parse(client.get("/staff")).select_one(".app-card[data-survey=children]")

    chart = card.select_one("svg[role=img]")
    labels = [chart.select_one(f"#{name}") for name in chart["aria-labelledby"].split()]
    assert labels[0].name == "title"
    weeks = labels[1].get_text().rstrip(".").split("; ")
    assert len(weeks) == 8
    counts = [int(week.rsplit(": ", 1)[1]) for week in weeks]
    assert counts[-1] == 2
    assert counts[-3] == 1
    assert sum(counts) == 3
    assert sorted(int(bar["data-count"]) for bar in chart.select("rect[data-count]")) == [1, 2]
    assert card.select_one("[data-total]")["data-total"] == "4"


def test_the_dashboard_counts_in_the_database_not_per_response(client, runner, db, app):
    for _ in range(30):
        make_response(db)
    sign_in_as(client, runner)
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement.lower())

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert client.get("/staff").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    # Per survey, a total and a total per week (GROUP BY), added up from the daily tallies
    # (app/tallies.py): not one response is counted or read, at any number of them.
    assert not any("from responses" in s for s in statements)
    adding_up = [s for s in statements if "from response_tallies" in s]
    assert len(adding_up) == 6
    assert all(s.startswith("select") and "sum(" in s for s in adding_up)
    assert sum("group by" in s for s in adding_up) == 3


def test_counts_start_from_the_opening_date(client, runner, db):
    survey = db.get(Survey, "children")
    survey.opens_on = date(2025, 10, 1)
    db.commit()
    # 23:30 UTC on 30 September is 00:30 on 1 October in London: counted.
    make_response(db, submitted_at=datetime(2025, 9, 30, 23, 30, tzinfo=UTC))
    make_response(db, submitted_at=datetime(2025, 9, 30, 22, 30, tzinfo=UTC))
    sign_in_as(client, runner)
    page = parse(client.get("/staff/surveys/children"))
    assert page.select_one("[data-total]").get_text(" ", strip=True) == "1 since 1 October 2025"
    card = parse(client.get("/staff")).select_one(".app-card[data-survey=children]")
    assert card.select_one("[data-total]")["data-total"] == "1"


def test_targets_show_the_gaps(client, runner, db):
    for _ in range(3):
        make_response(db, answers={"area": "kington"})
    sign_in_as(client, runner)

    response = send(client, TARGETS, {"area-kington": " 20 ", "audience-child": "3"})

    assert response.headers["Location"] == "/staff/surveys/children"
    stored = {(t.dimension, t.category): t.target for t in db.scalars(select(SurveyTarget))}
    assert stored == {("area", "kington"): 20, ("audience", "child"): 3}
    db.commit()
    page = parse(client.get("/staff/surveys/children"))
    kington = page.select_one("[data-group=area-kington]")
    assert kington.th.text.strip() == "Kington"
    assert figures(kington) == ["3 of 20", "17"]
    child = page.select_one("[data-group=audience-child]")
    assert figures(child) == ["3 of 3", "Target met"]


def test_an_empty_target_box_removes_the_target(client, runner, db):
    sign_in_as(client, runner)
    send(client, TARGETS, {"area-kington": "20"})
    send(client, TARGETS, {"area-kington": ""})
    assert db.scalars(select(SurveyTarget)).all() == []


def test_a_target_that_is_not_a_whole_number_is_refused(client, runner, db):
    sign_in_as(client, runner)
    response = send(client, TARGETS, {"area-kington": "twenty", "area-hereford": "-3"})
    assert response.status_code == 200
    assert error_summary(response) == [
        "Target for Hereford must be a whole number, like 20",
        "Target for Kington must be a whole number, like 20",
    ]
    assert db.scalars(select(SurveyTarget)).all() == []


def test_the_officer_opens_a_survey_with_its_dates(client, runner, db):
    sign_in_as(client, runner)
    today = today_in_london()
    response = send(
        client,
        SETTINGS,
        settings("open", today, today + timedelta(days=30), today + timedelta(days=90)),
    )
    assert response.headers["Location"] == "/staff/surveys/children"
    survey = survey_row(db)
    assert (survey.status, survey.opens_on, survey.closes_on, survey.feedback_by) == (
        "open",
        today,
        today + timedelta(days=30),
        today + timedelta(days=90),
    )


def test_the_settings_form_shows_the_current_settings(client, runner, db):
    survey = db.get(Survey, "children")
    survey.closes_on = date(2030, 3, 31)
    db.commit()
    sign_in_as(client, runner)
    page = parse(client.get(SETTINGS))
    assert page.select_one("input[name=status][checked]")["value"] == "open"
    assert [
        page.select_one(f"input[name=closes_on-{p}]")["value"] for p in ("day", "month", "year")
    ] == ["31", "3", "2030"]


def test_closing_a_survey_by_hand_records_the_day_it_closed(client, runner, db):
    sign_in_as(client, runner)
    later = today_in_london() + timedelta(days=30)
    send(client, SETTINGS, settings("closed", closes_on=later))
    assert survey_row(db).closes_on == today_in_london()


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"status": ""}, ["Select the survey's status"]),
        ({"status": "paused"}, ["Select the survey's status"]),
        ({"opens_on-month": ""}, ["Opening date must include a month"]),
        ({"opens_on-day": "31", "opens_on-month": "2"}, ["Opening date must be a real date"]),
        ({"opens_on-day": "x"}, ["Opening date must be a real date"]),
        ({"opens_on-year": "25"}, ["Year must include 4 numbers"]),
        (
            {"closes_on-day": "1", "closes_on-month": "1", "closes_on-year": "2031"},
            ["Closing date must be the same as or after the opening date"],
        ),
        (
            {"feedback_by-day": "1", "feedback_by-month": "1", "feedback_by-year": "2031"},
            ["Date people will hear what was done must be the same as or after the closing date"],
        ),
    ],
)
def test_bad_settings_are_refused_with_clear_errors(client, runner, db, changes, errors):
    sign_in_as(client, runner)
    good = settings("open", date(2031, 6, 1), date(2031, 7, 1), date(2031, 9, 1))
    response = send(client, SETTINGS, {**good, **changes})
    assert response.status_code == 200
    assert error_summary(response) == errors
    assert parse(response).title.text.startswith("Error: ")
    assert survey_row(db).opens_on is None


def test_an_open_survey_cannot_close_in_the_past(client, runner, db):
    sign_in_as(client, runner)
    yesterday = today_in_london() - timedelta(days=1)
    response = send(client, SETTINGS, settings("open", closes_on=yesterday))
    assert error_summary(response) == [
        "Closing date must be today or later for an open survey, or choose Closed"
    ]
    assert survey_row(db).closes_on is None


def test_an_unknown_survey_is_not_found(client, runner):
    sign_in_as(client, runner)
    assert client.get("/staff/surveys/nope/settings").status_code == 404


def test_held_answers_are_not_counted_on_the_card(client, runner, db):
    make_response(db)
    held = make_response(db)
    held.quarantined_at = datetime.now(UTC)
    db.commit()
    sign_in_as(client, runner)
    card = parse(client.get("/staff")).select_one(".app-card[data-survey=children]")
    assert card.select_one("[data-total]")["data-total"] == "1"
