"""analysis/load.py: database rows into the analysis's frames, on SQLite and PostgreSQL."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.load import (
    CHOICE_QUESTIONS,
    NothingToMeasure,
    latest_period,
    load_admin,
    load_responses,
    measures_from_database,
    questions_needed,
)
from analysis.periods import periods_present
from analysis.results import compute_measures
from app.models import AdminFigure
from tests.factories import load_shipped_surveys, make_response

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
UTC = dt.UTC


def engine_of(app):
    return app.extensions["db_engine"]


def overall(result, measure_id):
    entry = next(entry for entry in result["measures"] if entry["id"] == measure_id)
    return entry["overall"]


def test_one_row_per_response_with_its_choice_answers(app, db):
    load_shipped_surveys(db)
    first = make_response(
        db,
        "young-people",
        {
            "cares_about_opinion": "always",
            "area": "hereford",
            "going_well": "My key worker listens to me",
        },
        submitted_at=dt.datetime(2025, 10, 1, 12, 30, 15, 123456, tzinfo=UTC),
    )
    second = make_response(
        db,
        "parent-carers",
        {"coproduction_overall": "effective", "charter_partnership": "not_sure"},
        submitted_at=dt.datetime(2026, 1, 5, 9, tzinfo=UTC),
    )

    frame = load_responses(engine_of(app))

    assert list(frame.columns) == [
        "response_id",
        "survey",
        "audience",
        "submitted_at",
        *CHOICE_QUESTIONS,
    ]
    assert frame["response_id"].tolist() == [first.id, second.id]
    assert frame["survey"].tolist() == ["young-people", "parent-carers"]
    assert frame["audience"].tolist() == ["young_person", "parent_carer"]
    assert str(frame["submitted_at"].dtype) == "datetime64[ns, UTC]"
    assert frame["submitted_at"].tolist() == [
        pd.Timestamp("2025-10-01 12:30:15.123456", tz="UTC"),
        pd.Timestamp("2026-01-05 09:00:00", tz="UTC"),
    ]
    assert frame.loc[0, "cares_about_opinion"] == "always"
    assert frame.loc[0, "area"] == "hereford"
    assert pd.isna(frame.loc[1, "cares_about_opinion"])
    assert frame.loc[1, "coproduction_overall"] == "effective"
    assert frame.loc[1, "charter_partnership"] == "not_sure"
    assert all(str(frame[question].dtype) == "str" for question in CHOICE_QUESTIONS)


def test_free_text_is_never_loaded(app, db):
    load_shipped_surveys(db)
    make_response(db, "children", {"cares_about_opinion": "always", "going_well": "Lunch"})

    frame = load_responses(engine_of(app))

    assert "going_well" not in frame.columns
    assert "Lunch" not in frame.astype("str").to_numpy()
    with pytest.raises(ValueError, match="going_well"):
        load_responses(engine_of(app), questions=["cares_about_opinion", "going_well"])


def test_only_the_questions_and_surveys_asked_for(app, db):
    load_shipped_surveys(db)
    make_response(db, "children", {"cares_about_opinion": "mostly", "area": "kington"})
    make_response(db, "parent-carers", {"told_how_views_used": "yes"})

    with engine_of(app).connect() as connection:
        frame = load_responses(connection, questions=["area"], surveys=["children"])

    assert list(frame.columns) == ["response_id", "survey", "audience", "submitted_at", "area"]
    assert frame["area"].tolist() == ["kington"]
    assert questions_needed(by=["audience", "area"]) == (
        "cares_about_opinion",
        "told_how_views_used",
        "coproduction_overall",
        "charter_welcome_care",
        "charter_value_include",
        "charter_communicate_respectfully",
        "charter_partnership",
        "safe_in_community",
        "belong_in_community",
        "safe_at_setting",
        "belong_at_setting",
        "area",
    )


def test_an_option_added_since_is_loaded_as_it_is_not_lost(app, db):
    # Known options travel as codes; anything else, however short, comes back unchanged.
    load_shipped_surveys(db)
    make_response(db, "children", {"cares_about_opinion": "always", "area": "new_town"})
    make_response(db, "children", {"cares_about_opinion": "lots", "area": "7"})
    make_response(db, "children", {"cares_about_opinion": "never", "area": "prefer_not_to_say"})

    frame = load_responses(engine_of(app), questions=["cares_about_opinion", "area"])

    assert frame["cares_about_opinion"].tolist() == ["always", "lots", "never"]
    assert frame["area"].tolist() == ["new_town", "7", "prefer_not_to_say"]


def test_an_empty_database_gives_empty_frames_of_the_same_shape(app):
    responses = load_responses(engine_of(app), questions=["area"])
    admin = load_admin(engine_of(app))

    assert list(responses.columns) == ["response_id", "survey", "audience", "submitted_at", "area"]
    assert len(responses) == 0
    assert str(responses["submitted_at"].dtype) == "datetime64[ns, UTC]"
    assert list(admin.columns) == ["measure", "period", "area", "numerator", "denominator"]
    assert latest_period(engine_of(app)) is None
    with pytest.raises(NothingToMeasure):
        measures_from_database(engine_of(app))


def test_31_august_in_summer_time_belongs_to_the_year_of_its_london_date(app, db):
    # 31 August 2026 is in British Summer Time (UTC+1): 22:59:59 UTC is 23:59:59 on the
    # 31st in London, still 2025/26; 23:00 and 23:30 UTC are already 1 September, 2026/27.
    load_shipped_surveys(db)
    for moment in (
        dt.datetime(2026, 8, 31, 22, 59, 59, tzinfo=UTC),
        dt.datetime(2026, 8, 31, 23, 0, tzinfo=UTC),
        dt.datetime(2026, 8, 31, 23, 30, tzinfo=UTC),
    ):
        make_response(db, "young-people", {"cares_about_opinion": "always"}, submitted_at=moment)
    engine = engine_of(app)

    by_date_to = load_responses(engine, date_to=dt.date(2026, 8, 31))
    by_date_from = load_responses(engine, date_from=dt.date(2026, 9, 1))
    everything = load_responses(engine)
    earlier = measures_from_database(engine, period="2025/26", suppress=False)
    later = measures_from_database(engine, period="2026/27", suppress=False)

    assert by_date_to["submitted_at"].tolist() == [pd.Timestamp("2026-08-31 22:59:59", tz="UTC")]
    assert len(by_date_from) == 2
    assert periods_present(everything) == ["2025/26", "2026/27"]
    assert overall(earlier, "o2_opinion_cared_about")["base"] == 1
    assert overall(later, "o2_opinion_cared_about")["base"] == 2
    assert latest_period(engine) == "2026/27"


def test_admin_figures_with_areas(app, db):
    db.add_all(
        [
            AdminFigure(
                measure="o5_good_attendance", period="2025/26", numerator=90, denominator=100
            ),
            AdminFigure(
                measure="o5_good_attendance",
                period="2025/26",
                area="hereford",
                numerator=45,
                denominator=50,
            ),
            AdminFigure(
                measure="o5_ehcp_short_breaks", period="2024/25", numerator=3, denominator=12
            ),
        ]
    )
    db.commit()

    admin = load_admin(engine_of(app))
    only_2025 = load_admin(engine_of(app), periods=["2025/26"])

    assert admin.to_dict("records") == [
        {
            "measure": "o5_ehcp_short_breaks",
            "period": "2024/25",
            "area": "",
            "numerator": 3,
            "denominator": 12,
        },
        {
            "measure": "o5_good_attendance",
            "period": "2025/26",
            "area": "",
            "numerator": 90,
            "denominator": 100,
        },
        {
            "measure": "o5_good_attendance",
            "period": "2025/26",
            "area": "hereford",
            "numerator": 45,
            "denominator": 50,
        },
    ]
    assert admin["numerator"].dtype == "int64"
    assert only_2025["period"].unique().tolist() == ["2025/26"]
    # With no responses at all, the latest period comes from the admin data.
    assert latest_period(engine_of(app)) == "2025/26"
    result = measures_from_database(engine_of(app), by=["area"])
    attendance = next(e for e in result["measures"] if e["id"] == "o5_good_attendance")
    assert (attendance["overall"]["numerator"], attendance["overall"]["base"]) == (90, 100)
    assert attendance["breakdowns"]["area"]["hereford"]["percent"] == 90.0


def test_measures_from_database_equals_computing_over_every_response(app, db):
    load_shipped_surveys(db)
    for index in range(30):
        make_response(
            db,
            ("children", "young-people", "parent-carers")[index % 3],
            {
                "cares_about_opinion": ("always", "never", "not_sure")[index % 3],
                "told_how_views_used": ("yes", "no", "a_little", "not_sure")[index % 4],
                "area": ("hereford", "kington", "prefer_not_to_say")[index % 3],
            },
            submitted_at=dt.datetime(2024 + index % 2, 10, 1, tzinfo=UTC),
        )
    engine = engine_of(app)
    everything = load_responses(engine)
    admin = load_admin(engine)

    for options in (
        {"period": "2024/25"},
        {"date_from": "2025-09-01", "date_to": "2025-12-31"},
        {"date_from": "2025-01-01"},
        {},
    ):
        for suppress in (True, False):
            expected = compute_measures(
                everything, admin, by=["audience", "area"], suppress=suppress, **options
            )
            got = measures_from_database(
                engine, by=["audience", "area"], suppress=suppress, **options
            )
            assert got == expected, (options, suppress)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"period": "2025-26"}, "period must be written like 2025/26"),
        ({"date_from": "2025-10-02", "date_to": "2025-10-01"}, "starts"),
        ({"date_from": "1 October"}, "dates must be written like 2025-09-01"),
        ({"period": "2025/26", "date_from": "2025-10-01"}, "not both"),
        ({"by": ["colour"]}, "cannot break down by colour"),
    ],
)
def test_bad_options_are_refused_with_a_reason(app, db, options, message):
    load_shipped_surveys(db)
    make_response(db)
    with pytest.raises(ValueError, match=message):
        measures_from_database(engine_of(app), **options)


def test_load_never_imports_flask():
    script = (
        "import sys, analysis.load; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'app'}))"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "[]"
