"""`flask --app wsgi measures`: JSON, CSV and Markdown, suppressed unless told otherwise.

The figures are worked out by hand from `make_small_dataset`:

- o2_opinion_cared_about (children and young people): 10 young people in Hereford
  answered always x7, sometimes x3; one child answered mostly and gave no area; one
  child answered not_sure (out of the base). Base 11, numerator 8: 72.7%, Wilson 95%
  interval 43.4 to 90.3. By audience: child 1/1 (under 10: hidden, "small"), so the
  only other category, young_person 7/10, is hidden too ("secondary"). By area:
  not_stated 1/1 (small), hereford 7/10 (secondary).
- o5_good_attendance (admin data, 2025/26): county 90/100 = 90.0%, Wilson 82.6 to
  94.5; Hereford 45/50, Leominster 30/42, Kington 5/8. Kington is small, so the next
  smallest, Leominster, is hidden as well; Hereford 45/50 = 90.0% is shown.
- Every other measure has no answers: base 0, hidden as "fewer than 10 answers".
"""

import csv
import datetime as dt
import io
import json

import pytest
from sqlalchemy import text

from app.models import AdminFigure
from tests.factories import load_shipped_surveys, make_response

IN_2024_25 = dt.datetime(2024, 11, 1, 12, tzinfo=dt.UTC)
HIDDEN = {"numerator": None, "base": None, "percent": None, "ci_low": None, "ci_high": None}


def make_small_dataset(db) -> None:
    """The responses and admin figures of this module's docstring, all in 2025/26."""
    load_shipped_surveys(db)
    for answer in ["always"] * 7 + ["sometimes"] * 3:
        make_response(
            db,
            "young-people",
            {"cares_about_opinion": answer, "area": "hereford", "going_well": "Clubs"},
        )
    make_response(db, "children", {"cares_about_opinion": "mostly"})
    make_response(db, "children", {"cares_about_opinion": "not_sure", "area": "kington"})
    db.add_all(
        [
            AdminFigure(
                measure="o5_good_attendance", period="2025/26", numerator=90, denominator=100
            ),
            *(
                AdminFigure(
                    measure="o5_good_attendance",
                    period="2025/26",
                    area=area,
                    numerator=numerator,
                    denominator=denominator,
                )
                for area, numerator, denominator in (
                    ("hereford", 45, 50),
                    ("leominster", 30, 42),
                    ("kington", 5, 8),
                )
            ),
        ]
    )
    db.commit()


def run(runner, *args):
    return runner.invoke(args=["measures", *args])


def entry(result, measure_id):
    return next(item for item in result["measures"] if item["id"] == measure_id)


def test_json_is_suppressed_for_publication(runner, db):
    make_small_dataset(db)

    result = run(runner, "--period", "2025/26", "--by", "audience,area")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["period"] == "2025/26"
    assert len(data["measures"]) == 12
    opinion = entry(data, "o2_opinion_cared_about")
    assert opinion["outcome"] == 2
    assert opinion["source"] == "survey"
    assert opinion["overall"] == {
        "numerator": 8,
        "base": 11,
        "percent": 72.7,
        "ci_low": 43.4,
        "ci_high": 90.3,
        "suppressed": False,
    }
    assert opinion["breakdowns"] == {
        "audience": {
            "child": {**HIDDEN, "suppressed": True, "reason": "small"},
            "young_person": {**HIDDEN, "suppressed": True, "reason": "secondary"},
        },
        "area": {
            "hereford": {**HIDDEN, "suppressed": True, "reason": "secondary"},
            "not_stated": {**HIDDEN, "suppressed": True, "reason": "small"},
        },
    }
    attendance = entry(data, "o5_good_attendance")
    assert attendance["overall"] == {
        "numerator": 90,
        "base": 100,
        "percent": 90.0,
        "ci_low": 82.6,
        "ci_high": 94.5,
        "suppressed": False,
    }
    assert list(attendance["breakdowns"]["area"]) == ["hereford", "leominster", "kington"]
    assert attendance["breakdowns"]["area"]["hereford"]["percent"] == 90.0
    assert attendance["breakdowns"]["area"]["leominster"]["reason"] == "secondary"
    assert attendance["breakdowns"]["area"]["kington"]["reason"] == "small"
    told = entry(data, "o2_told_how_views_used")
    assert told["overall"] == {**HIDDEN, "suppressed": True, "reason": "small"}
    assert told["breakdowns"] == {"audience": {}, "area": {}}


def test_unsuppressed_shows_every_figure_and_says_not_for_publication(runner, db):
    make_small_dataset(db)

    result = run(runner, "--by", "audience,area", "--unsuppressed")

    assert result.exit_code == 0, result.output
    assert "NOT FOR PUBLICATION" in result.stderr
    opinion = entry(json.loads(result.stdout), "o2_opinion_cared_about")
    assert opinion["breakdowns"]["audience"]["child"] == {
        "numerator": 1,
        "base": 1,
        "percent": 100.0,
        "ci_low": 20.7,
        "ci_high": 100.0,
        "suppressed": False,
    }
    assert opinion["breakdowns"]["audience"]["young_person"] == {
        "numerator": 7,
        "base": 10,
        "percent": 70.0,
        "ci_low": 39.7,
        "ci_high": 89.2,
        "suppressed": False,
    }
    assert opinion["breakdowns"]["area"]["not_stated"]["base"] == 1


def test_help_marks_the_unsuppressed_flag_not_for_publication(runner):
    result = run(runner, "--help")
    assert result.exit_code == 0
    assert "NOT FOR PUBLICATION" in " ".join(result.output.split())


def test_csv_has_one_row_per_cell_with_hidden_figures_empty(runner, db):
    make_small_dataset(db)

    result = run(runner, "--period", "2025/26", "--by", "audience,area", "--format", "csv")

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    opinion = [list(row.values())[2:] for row in rows if row["measure"] == "o2_opinion_cared_about"]
    assert rows[0]["outcome"] == "2"
    assert opinion == [
        ["overall", "all", "8", "11", "72.7", "43.4", "90.3", "false"],
        ["audience", "child", "", "", "", "", "", "true"],
        ["audience", "young_person", "", "", "", "", "", "true"],
        ["area", "hereford", "", "", "", "", "", "true"],
        ["area", "not_stated", "", "", "", "", "", "true"],
    ]
    hereford = next(
        row
        for row in rows
        if row["measure"] == "o5_good_attendance" and row["category"] == "hereford"
    )
    assert (hereford["numerator"], hereford["base"], hereford["percent"]) == ("45", "50", "90.0")


def test_markdown_says_why_a_figure_is_hidden(runner, db):
    make_small_dataset(db)

    result = run(runner, "--period", "2025/26", "--by", "audience", "--format", "md")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "# Outcome measures, 2025/26"
    assert "| overall | all | 72.7% | 43.4 to 90.3 | 8 | 11 |" in lines
    assert "| audience | child | fewer than 10 answers | | | | |" in lines
    assert "| audience | young_person | hidden to protect a small group | | | | |" in lines
    assert not any("| 1 | 1 |" in line for line in lines)


def test_without_a_period_the_latest_is_used(runner, db):
    make_small_dataset(db)
    make_response(db, "young-people", {"cares_about_opinion": "never"}, submitted_at=IN_2024_25)

    latest = json.loads(run(runner, "--by", "").stdout)
    earlier = json.loads(run(runner, "--period", "2024/25", "--by", "").stdout)

    assert latest["period"] == "2025/26"
    assert entry(latest, "o2_opinion_cared_about")["overall"]["base"] == 11
    assert entry(earlier, "o2_opinion_cared_about")["overall"]["reason"] == "small"
    assert entry(latest, "o2_opinion_cared_about")["breakdowns"] == {}


def test_a_date_range(runner, db):
    make_small_dataset(db)

    result = run(runner, "--from", "2025-09-01", "--to", "2025-10-01", "--by", "")

    data = json.loads(result.stdout)
    assert data["period"] == "2025-09-01..2025-10-01"
    assert entry(data, "o2_opinion_cared_about")["overall"]["base"] == 11
    assert entry(data, "o5_good_attendance")["overall"]["base"] == 100
    empty = json.loads(run(runner, "--from", "2025-10-02", "--by", "").stdout)
    assert entry(empty, "o2_opinion_cared_about")["overall"]["reason"] == "small"


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--period", "2025-26"], "period must be written like 2025/26"),
        (["--period", "2025/27"], "period must be written like 2025/26"),
        (["--from", "2025-10-02", "--to", "2025-10-01"], "starts (2025-10-02) after it ends"),
        (["--from", "yesterday"], "dates must be written like 2025-09-01"),
        (["--by", "audience,colour"], "cannot break down by colour"),
        (["--period", "2025/26", "--to", "2025-10-01"], "not both"),
    ],
)
def test_bad_input_exits_non_zero_with_a_one_line_reason(runner, db, args, reason):
    make_small_dataset(db)

    result = run(runner, *args)

    assert result.exit_code != 0
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: ")
    assert reason in result.stderr


def test_an_unknown_format_is_refused(runner):
    result = run(runner, "--format", "xml")
    assert result.exit_code != 0
    assert "xml" in result.stderr


def test_nothing_to_measure_yet(runner):
    result = run(runner)
    assert result.exit_code == 1
    assert result.stderr == "Error: there are no responses or admin data to measure yet\n"


def test_counts_check_finds_rows_loaded_around_the_app_and_rebuild_counts_them(app, db, runner):
    make_small_dataset(db)
    assert runner.invoke(args=["counts", "check"]).exit_code == 0
    before = runner.invoke(args=["measures", "--unsuppressed"]).output
    with app.extensions["db_engine"].begin() as connection:
        connection.execute(text("DELETE FROM measure_counts"))
    checked = runner.invoke(args=["counts", "check"])
    assert checked.exit_code == 1
    assert "differ from the responses" in checked.output
    assert runner.invoke(args=["measures", "--unsuppressed"]).output != before
    rebuilt = runner.invoke(args=["counts", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert runner.invoke(args=["counts", "check"]).exit_code == 0
    assert runner.invoke(args=["measures", "--unsuppressed"]).output == before
