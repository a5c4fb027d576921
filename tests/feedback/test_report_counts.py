"""A report's figures come from the kept counts (app/counts.py' survey cells and
app/choice_counts.py), not from a read of every response: a multiple choice counts once
under each option ticked, an edit of the survey needs no recount, and the survey cells
are never a public breakdown. On both databases."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from app import choice_counts
from app.counts import differences, survey_measures
from app.surveys.versions import store_surveys
from tests.factories import load_shipped_surveys, make_response, sign_in_as
from tests.pages import csrf_token, parse
from tests.test_counts import SURVEY_FILES, edited_survey

pytestmark = pytest.mark.postgres

# Ticked by 12 parent carers: way_0 by 8, way_1 by 6, way_2 by none, way_3 by 2.
TICKED = [["way_0", "way_1"]] * 4 + [["way_0"]] * 4 + [["way_1"]] * 2 + [["way_3"]] * 2


def ask_ways_to_take_part(db, number: int = 1) -> None:
    """A new version of the parent carers' survey: edited_survey's multiple-choice
    question "How?" (way_0 to way_3; NUMBER 2 drops way_3 and a single choice's last
    option)."""
    file = SURVEY_FILES["parent-carers"]
    store_surveys(db, [type(file)(file.id, file.path, edited_survey(file.id, number))])
    db.commit()


def tick(db, ticked: list[list[str]], **answers) -> None:
    for number, ways in enumerate(ticked):
        make_response(
            db,
            "parent-carers",
            {"ways_to_take_part": ways, "told_how_views_used": "yes", **answers},
            submitted_at=datetime(2025, 10, 1 + number, 12, tzinfo=UTC),
        )


def draft(client, db) -> str:
    """A draft report of the parent carers' survey for 2025/26, made as the officer
    makes one; its page's path."""
    sign_in_as(client, db)
    made = client.post(
        "/staff/reports",
        data={
            "csrf_token": csrf_token(client, "/staff/reports"),
            "survey_id": "parent-carers",
            "period": "2025/26",
        },
    )
    assert made.status_code == 302
    return made.headers["Location"]


def table(page, caption: str) -> dict[str, tuple[str, str]]:
    """The rows of the option table captioned CAPTION: {label: (count, percent)}."""
    found = next(
        found
        for found in page.select("main table")
        if found.caption and found.caption.get_text(strip=True) == caption
    )
    rows = {}
    for row in found.select("tbody tr"):
        label, count, percent = (
            value.get_text(strip=True) for value in row.select(".app-responsive-table__value")
        )
        rows[label] = (count, percent)
    return rows


@pytest.fixture
def surveys(db):
    load_shipped_surveys(db)


def test_a_multiple_choice_counts_once_under_each_option_ticked(client, db, surveys):
    ask_ways_to_take_part(db)
    tick(db, TICKED)
    page = parse(client.get(draft(client, db)))
    # Shares of the 12 who answered, not of the 20 ticks; before, every option showed 0.
    assert table(page, "How?") == {
        "Way 0": ("8", "66.7"),
        "Way 1": ("6", "50.0"),
        "Way 2": ("0", "0.0"),
        "Way 3": ("2", "16.7"),
    }


def test_an_option_taken_out_of_the_survey_still_counts_in_the_base(client, db, surveys):
    ask_ways_to_take_part(db)
    tick(db, TICKED)
    ask_ways_to_take_part(db, 2)
    page = parse(client.get(draft(client, db)))
    # way_3 is no longer offered: not shown, but its 2 people still answered.
    assert table(page, "How?") == {
        "Way 0": ("8", "66.7"),
        "Way 1": ("6", "50.0"),
        "Way 2": ("0", "0.0"),
    }


def test_the_draft_is_added_up_from_the_counts_not_read_from_the_responses(
    app, client, db, surveys
):
    """Responses taken away behind the app's back (raw SQL, no counting) leave the draft's
    figures as they were: its headlines and tables come from the kept counts alone."""
    ask_ways_to_take_part(db)
    tick(db, TICKED)
    path = draft(client, db)
    before = parse(client.get(path))
    headline = before.select_one("main").get_text(" ", strip=True)
    assert "100 in every 100 parent carers" in headline
    with app.extensions["db_engine"].begin() as connection:
        connection.execute(text("DELETE FROM comment_themes"))
        connection.execute(text("DELETE FROM comments"))
        connection.execute(text("DELETE FROM responses"))
    after = parse(client.get(path))
    assert table(after, "How?") == table(before, "How?")
    assert after.select_one("main").get_text(" ", strip=True) == headline


@pytest.mark.parametrize("path", ["/api/measures?by=survey", "/measures?by=survey"])
def test_the_survey_cells_are_no_public_breakdown(client, db, surveys, path):
    tick(db, [["way_0"]] * 12)
    refused = client.get(path)
    assert refused.status_code == 400
    assert "survey" not in client.get("/api/measures").json["measures"][0]["breakdowns"]


def test_the_upgrade_counts_the_responses_already_stored_and_the_downgrade_undoes_it(
    app, db, surveys
):
    from app import migrations

    ask_ways_to_take_part(db)
    tick(db, TICKED)
    db.close()
    engine = app.extensions["db_engine"]
    migrations.downgrade(engine, "8b2f6c1d4e70")
    with engine.connect() as connection:
        assert "choice_counts" not in engine.dialect.get_table_names(connection)
        survey_cells = text("SELECT count(*) FROM measure_counts WHERE dimension = 'survey'")
        assert connection.execute(survey_cells).scalar() == 0
    migrations.upgrade(engine)
    with engine.connect() as connection:
        assert choice_counts.differences(connection) == {}
        assert differences(connection).empty
        assert survey_measures(connection, "parent-carers", "2025/26").responses == 12
        ticked = choice_counts.choice_totals(
            connection, "parent-carers", date(2025, 9, 1), date(2026, 8, 31), ["ways_to_take_part"]
        )
    assert ticked.answered == {"ways_to_take_part": 12}
    assert ticked.chosen == {
        ("ways_to_take_part", "way_0"): 8,
        ("ways_to_take_part", "way_1"): 6,
        ("ways_to_take_part", "way_3"): 2,
    }
