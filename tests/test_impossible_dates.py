"""Dates no answer can have: refused on the way in (CSV import, paper entry, admin data),
and, for rows stored before they were refused, never able to break a page or move the
default year. Both databases: they store and compare `submitted_at` differently."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.models import AdminFigure, Response
from app.time import today_in_london
from tests.factories import load_shipped_surveys, make_response, write_csv
from tests.pages import error_summary, parse
from tests.staff.test_entry import enter
from tests.staff.workspace import sign_in_as

pytestmark = pytest.mark.postgres

HEADER = ["survey", "submitted_at", "cares_about_opinion"]
STAFF_PAGES = [
    "/staff",
    "/staff/responses",
    "/staff/exports",
    "/staff/reports",
    "/staff/themes",
    "/staff/measures",
    "/staff/responses/export?format=csv",
    "/staff/responses/export?format=xlsx",
    "/staff/charts/area.svg",
]


@pytest.fixture
def surveys(db):
    load_shipped_surveys(db)


def count(db) -> int:
    number = db.scalar(select(func.count()).select_from(Response))
    db.commit()
    return number


def this_year() -> str:
    today = today_in_london()
    start = today.year if today.month >= 9 else today.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def twelve_answers_this_year(db) -> None:
    """Enough answers this year for the public figures to show (10 or more)."""
    noon = datetime.combine(today_in_london(), datetime.min.time(), UTC).replace(hour=12)
    for _ in range(12):
        make_response(db, submitted_at=noon - timedelta(days=1))


def tomorrow_but_one() -> str:
    return (today_in_london() + timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("0001-01-01", "before 1 January 2000"),
        ("0001-01-01T00:00+01:00", "before 1 January 2000"),
        ("1999-12-31T23:00", "before 1 January 2000"),
        ("2099-06-01", "after tomorrow"),
        ("9999-12-31T23:59:59-05:00", "after tomorrow"),
        (None, "after tomorrow"),
    ],
)
def test_an_imported_row_with_an_impossible_date_is_refused_by_its_row(
    runner, db, surveys, tmp_path, backend, written, says
):
    written = written or tomorrow_but_one()
    rows = [["children", "2025-10-01", "always"], ["children", written, "always"]]
    path = write_csv(tmp_path / "dates.csv", HEADER, rows)

    result = runner.invoke(args=["responses", "import", str(path)])

    assert result.exit_code == 1
    assert f"row 3, column submitted_at: '{written}' is {says}" in result.output
    assert "Traceback" not in result.output
    assert count(db) == 0


def test_dates_from_1_january_2000_to_tomorrow_are_imported(runner, db, surveys, tmp_path):
    tomorrow = (today_in_london() + timedelta(days=1)).isoformat()
    rows = [["children", "2000-01-01T00:00", "always"], ["children", tomorrow, "always"]]
    path = write_csv(tmp_path / "dates.csv", HEADER, rows)
    result = runner.invoke(args=["responses", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert count(db) == 2


@pytest.mark.parametrize("year", ["0001", "1999"])
def test_a_paper_form_dated_before_2000_is_refused(client, runner, db, surveys, backend, year):
    sign_in_as(client, runner)
    response = enter(client, {"area": "kington", "filled_in_on-year": year}, on=date(2025, 12, 31))
    assert response.status_code == 200
    assert error_summary(response) == ["Date it was filled in must be 1 January 2000 or later"]
    assert count(db) == 0


@pytest.mark.parametrize(
    ("period", "says"),
    [("1998/99", "starts before 1 January 2000"), ("2098/99", "has not started yet")],
)
def test_admin_figures_for_a_year_before_2000_or_still_to_come_are_refused(
    runner, db, tmp_path, backend, period, says
):
    path = write_csv(
        tmp_path / "admin.csv",
        ["measure", "period", "area", "numerator", "denominator"],
        [["o5_good_attendance", period, "", "8", "10"]],
    )
    result = runner.invoke(args=["admin-data", "import", str(path)])
    assert result.exit_code == 1
    assert f"row 2, column period: '{period}' {says}" in result.output
    assert db.scalar(select(func.count()).select_from(AdminFigure)) == 0


@pytest.mark.parametrize(
    "stored_at", [datetime(1, 1, 1, 12, tzinfo=UTC), datetime(2099, 6, 1, 12, tzinfo=UTC)]
)
def test_a_row_stored_with_an_impossible_date_breaks_no_staff_page(
    client, runner, db, surveys, backend, stored_at
):
    twelve_answers_this_year(db)
    make_response(db, submitted_at=stored_at, answers={"going_well": "Good"})
    sign_in_as(client, runner)
    for url in STAFF_PAGES:
        assert client.get(url).status_code == 200, url
    years = [o["value"] for o in parse(client.get("/staff/responses")).select("#period option")]
    assert this_year() in years
    assert not {"0/01", "2098/99"} & set(years)
    assert len(years) <= 3  # "all years", this year and perhaps the year before


@pytest.mark.parametrize(
    "stored_at", [datetime(1, 1, 1, 12, tzinfo=UTC), datetime(2099, 6, 1, 12, tzinfo=UTC)]
)
def test_a_row_stored_with_an_impossible_date_neither_breaks_nor_moves_the_measures(
    client, db, surveys, backend, stored_at
):
    twelve_answers_this_year(db)
    make_response(db, submitted_at=stored_at)

    api = client.get("/api/measures")
    page = client.get("/measures")

    assert api.status_code == 200
    assert json.loads(api.data)["period"] == this_year()
    assert page.status_code == 200
    assert this_year() in parse(page).select_one("h1, main").text
    offered = [o["value"] for o in parse(page).select("select#period option")]
    assert "2098/99" not in offered


def test_an_admin_figure_stored_for_a_future_year_does_not_move_the_default(
    client, db, surveys, backend
):
    twelve_answers_this_year(db)
    db.add(
        AdminFigure(
            measure="o5_good_attendance", period="2098/99", area="", numerator=8, denominator=10
        )
    )
    db.commit()
    assert json.loads(client.get("/api/measures").data)["period"] == this_year()


@pytest.mark.parametrize(
    "query",
    [
        "from=0001-01-01",
        "to=0001-01-01",
        "to=9999-12-31",
        "from=1999-08-31",
        "period=1677/78",
        "period=9999/00",
        "from=2025-09-01&to=2262-01-01",
    ],
)
def test_a_date_or_year_out_of_range_is_a_json_400(client, db, surveys, backend, query):
    twelve_answers_this_year(db)
    response = client.get(f"/api/measures?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    error = json.loads(response.data)["error"]
    assert "1999" in error or "2000" in error
    page = client.get(f"/measures?{query}")
    assert page.status_code == 400
    assert error_summary(page)
