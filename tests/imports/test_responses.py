"""`responses import`: all or nothing, every fault listed, and re-import adds nothing."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.models import Response
from tests.factories import load_shipped_surveys, write_csv

pytestmark = pytest.mark.postgres

HEADER = [
    "survey",
    "submitted_at",
    "channel",
    "cares_about_opinion",
    "safe_in_community",
    "coproduction_overall",
    "area",
    "going_well",
]


def count(db):
    """How many responses are stored now (ending the read, so the next count sees new rows)."""
    number = db.scalar(select(func.count()).select_from(Response))
    db.commit()
    return number


@pytest.fixture
def surveys(db):
    load_shipped_surveys(db)


def good_rows():
    return [
        [
            "children",
            "2025-10-01",
            "paper",
            "always",
            "mostly",
            "",
            "hereford",
            "My teacher listens",
        ],
        ["young-people", "2025-10-02T14:30", "event", "sometimes", "", "", "", ""],
        [
            "parent-carers",
            "2026-08-31T23:30:00+01:00",
            "",
            "",
            "",
            "effective",
            "kington",
            "Better <b>now</b>",
        ],
    ]


def test_a_good_file_is_imported_with_the_answers_as_given(runner, db, surveys, tmp_path):
    path = write_csv(tmp_path / "paper.csv", HEADER, good_rows())

    result = runner.invoke(args=["responses", "import", str(path)])

    assert result.exit_code == 0, result.output
    assert "Imported 3 responses (children: 1, parent-carers: 1, young-people: 1)." in result.output
    rows = db.scalars(select(Response).order_by(Response.id)).all()
    assert [r.audience for r in rows] == ["child", "young_person", "parent_carer"]
    assert rows[0].answers == {
        "cares_about_opinion": "always",
        "safe_in_community": "mostly",
        "area": "hereford",
        "going_well": "My teacher listens",
    }
    assert rows[0].channel == "paper"
    assert rows[2].channel == "other"
    # A bare date is midday London time; 2025-10-02 14:30 London (BST) is 13:30 UTC.
    assert rows[0].submitted_at == datetime(2025, 10, 1, 11, tzinfo=UTC)
    assert rows[1].submitted_at == datetime(2025, 10, 2, 13, 30, tzinfo=UTC)
    assert rows[2].submitted_at == datetime(2026, 8, 31, 22, 30, tzinfo=UTC)


def test_importing_the_same_file_twice_adds_nothing_the_second_time(runner, db, surveys, tmp_path):
    path = write_csv(tmp_path / "paper.csv", HEADER, good_rows())
    runner.invoke(args=["responses", "import", str(path)])

    result = runner.invoke(args=["responses", "import", str(path)])

    assert result.exit_code == 0, result.output
    assert "Imported 0 responses; 3 row(s) were imported before and were skipped." in result.output
    assert count(db) == 3


def test_identical_rows_are_different_people_and_a_longer_file_adds_only_its_new_rows(
    runner, db, surveys, tmp_path
):
    same = ["children", "2025-10-01", "paper", "always", "", "", "", ""]
    parent = good_rows()[2]
    first = runner.invoke(
        args=[
            "responses",
            "import",
            str(write_csv(tmp_path / "a.csv", HEADER, [same, same, parent])),
        ]
    )
    assert first.exit_code == 0, first.output
    assert count(db) == 3

    longer = write_csv(tmp_path / "b.csv", HEADER, [same, same, same, *good_rows()])
    result = runner.invoke(args=["responses", "import", str(longer)])

    assert (
        "Imported 3 responses (children: 2, young-people: 1); 3 row(s) were imported"
        in result.output
    )
    assert count(db) == 6


# Each bad row, and the row/column and words its problem must name.
BAD_ROWS = {
    "unknown survey": (
        ["teachers", "2025-10-01", "", "", "", "", "", ""],
        "survey",
        "'teachers' is not a survey",
    ),
    "empty survey": (["", "2025-10-01", "", "", "", "", "", ""], "survey", "is empty"),
    "bad date": (
        ["children", "2025-13-01", "", "", "", "", "", ""],
        "submitted_at",
        "'2025-13-01' is not a date",
    ),
    "missing date": (["children", "", "", "", "", "", "", ""], "submitted_at", "is not a date"),
    "bad channel": (
        ["children", "2025-10-01", "carrier pigeon", "", "", "", "", ""],
        "channel",
        "'carrier pigeon' is not one of",
    ),
    "unknown option": (
        ["children", "2025-10-01", "", "often", "", "", "", ""],
        "cares_about_opinion",
        "'often' is not one of the options",
    ),
    "question of another survey": (
        ["children", "2025-10-01", "", "", "", "effective", "", ""],
        "coproduction_overall",
        "is not a question of this survey",
    ),
    "text too long": (
        ["children", "2025-10-01", "", "", "", "", "", "x" * 1001],
        "going_well",
        "must be 1000 characters or fewer",
    ),
}


@pytest.mark.parametrize("kind", BAD_ROWS)
def test_a_bad_row_rejects_the_whole_file_naming_row_and_column(
    runner, db, surveys, tmp_path, kind
):
    row, column, words = BAD_ROWS[kind]
    path = write_csv(tmp_path / "bad.csv", HEADER, [*good_rows(), row])

    result = runner.invoke(args=["responses", "import", str(path)])

    assert result.exit_code == 1
    first, *details = result.output.strip().splitlines()
    assert first == "Error: bad.csv was not imported: 1 problem(s); nothing was changed."
    assert details[0].strip().startswith(f"row 5, column {column}: ")
    assert words in details[0]
    assert count(db) == 0


def test_every_fault_in_the_file_is_listed(runner, db, surveys, tmp_path):
    rows = [
        BAD_ROWS["bad date"][0],
        BAD_ROWS["unknown option"][0],
        *good_rows(),
        BAD_ROWS["bad channel"][0],
    ]
    result = runner.invoke(
        args=["responses", "import", str(write_csv(tmp_path / "bad.csv", HEADER, rows))]
    )
    assert "3 problem(s)" in result.output
    for expected in (
        "row 2, column submitted_at",
        "row 3, column cares_about_opinion",
        "row 7, column channel",
    ):
        assert expected in result.output
    assert count(db) == 0


def test_an_unknown_column_is_rejected(runner, db, surveys, tmp_path):
    path = write_csv(
        tmp_path / "bad.csv", [*HEADER, "favourite_food"], [[*good_rows()[0], "chips"]]
    )
    result = runner.invoke(args=["responses", "import", str(path)])
    assert result.exit_code == 1
    assert (
        "row 1, column favourite_food: is not a question of any survey in this file"
        in result.output
    )


def test_a_missing_required_column_is_rejected(runner, db, surveys, tmp_path):
    path = write_csv(
        tmp_path / "bad.csv", ["survey", "cares_about_opinion"], [["children", "always"]]
    )
    result = runner.invoke(args=["responses", "import", str(path)])
    assert result.exit_code == 1
    assert "row 1, column submitted_at: this column is required" in result.output


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", "the file is empty"),
        (b"survey,submitted_at\n\xff\xfe,2025\n", "not UTF-8"),
        (
            b"survey,submitted_at\nchildren,2025-10-01,extra\n",
            "row 2: has 3 cells but the header has 2",
        ),
        (b'survey,submitted_at\n"children,2025-10-01\n', "not valid CSV"),
        (b"survey,survey,submitted_at\n", "column survey: this column name is empty or repeated"),
    ],
)
def test_a_malformed_csv_is_rejected_clearly(runner, db, surveys, tmp_path, content, words):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = runner.invoke(args=["responses", "import", str(path)])
    assert result.exit_code == 1
    assert words in result.output
    assert count(db) == 0


def test_show_if_answers_follow_the_branching(runner, db, surveys, tmp_path):
    header = ["survey", "submitted_at", "told_how_views_used", "how_to_tell_you"]
    path = write_csv(
        tmp_path / "branch.csv",
        header,
        [
            ["parent-carers", "2025-10-01", "no", "A text message"],
            ["parent-carers", "2025-10-01", "yes", "A letter"],
        ],
    )
    result = runner.invoke(args=["responses", "import", str(path)])
    assert result.exit_code == 1
    assert (
        "row 3, column how_to_tell_you: is only asked when told_how_views_used is" in result.output
    )


def test_several_options_of_a_multiple_choice_question_are_split_on_semicolons(
    db, surveys, tmp_path
):
    from app.imports.responses import _answers
    from app.surveys.schema import SurveyDefinition

    definition = SurveyDefinition.model_validate(
        {
            "audience": "child",
            "title": "t",
            "intro": "i",
            "easy_read": "e",
            "pages": [
                {
                    "id": "p",
                    "questions": [
                        {
                            "id": "likes",
                            "type": "multiple_choice",
                            "text": "Likes?",
                            "options": [
                                {"id": "art", "label": "Art"},
                                {"id": "music", "label": "Music"},
                            ],
                        }
                    ],
                }
            ],
        }
    )
    answers, problems = _answers({"survey": "x", "likes": "art; music"}, definition)
    assert answers == {"likes": ["art", "music"]}
    assert problems == []
    _, problems = _answers({"likes": "art;art"}, definition)
    assert problems[0].message == "names the same option twice"
