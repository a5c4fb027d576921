"""`admin-data import`: checked counts, all or nothing, and later figures replace earlier ones."""

import pytest
from sqlalchemy import select

from app.models import AdminFigure
from tests.factories import write_csv

pytestmark = pytest.mark.postgres

HEADER = ["measure", "period", "area", "numerator", "denominator"]


def figures(db):
    rows = db.scalars(select(AdminFigure).order_by(AdminFigure.measure, AdminFigure.area)).all()
    db.commit()
    return [(f.measure, f.period, f.area, f.numerator, f.denominator) for f in rows]


def test_counts_are_imported_for_the_county_and_for_areas(runner, db, tmp_path):
    path = write_csv(
        tmp_path / "admin.csv",
        HEADER,
        [
            ["o5_good_attendance", "2025/26", "", "812", "1000"],
            ["o5_good_attendance", "2025/26", "kington", "30", "41"],
            ["o2_ehcp_reviews_with_family", "2025/26", "", "0", "0"],
        ],
    )
    result = runner.invoke(args=["admin-data", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 3 new figure(s); replaced 0." in result.output
    assert figures(db) == [
        ("o2_ehcp_reviews_with_family", "2025/26", "", 0, 0),
        ("o5_good_attendance", "2025/26", "", 812, 1000),
        ("o5_good_attendance", "2025/26", "kington", 30, 41),
    ]


def test_a_later_import_replaces_the_same_measure_period_and_area_and_says_so(runner, db, tmp_path):
    runner.invoke(
        args=[
            "admin-data",
            "import",
            str(
                write_csv(
                    tmp_path / "a.csv",
                    HEADER,
                    [
                        ["o5_ehcp_short_breaks", "2024/25", "ledbury", "10", "50"],
                        ["o5_ehcp_short_breaks", "2025/26", "ledbury", "12", "50"],
                    ],
                )
            ),
        ]
    )
    result = runner.invoke(
        args=[
            "admin-data",
            "import",
            str(
                write_csv(
                    tmp_path / "b.csv",
                    HEADER,
                    [
                        ["o5_ehcp_short_breaks", "2025/26", "ledbury", "15", "52"],
                    ],
                )
            ),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "replaced o5_ehcp_short_breaks 2025/26 ledbury: 12/50 -> 15/52" in result.output
    assert figures(db) == [
        ("o5_ehcp_short_breaks", "2024/25", "ledbury", 10, 50),
        ("o5_ehcp_short_breaks", "2025/26", "ledbury", 15, 52),
    ]


BAD_ROWS = {
    "unknown measure": (
        ["o9_happiness", "2025/26", "", "1", "2"],
        "measure",
        "is not an admin-data measure",
    ),
    "survey measure": (
        ["o2_opinion_cared_about", "2025/26", "", "1", "2"],
        "measure",
        "is not an admin-data measure",
    ),
    "bad period": (
        ["o5_good_attendance", "2025/27", "", "1", "2"],
        "period",
        "is not an academic year",
    ),
    "bad area": (
        ["o5_good_attendance", "2025/26", "narnia", "1", "2"],
        "area",
        "'narnia' is not an area",
    ),
    "negative count": (
        ["o5_good_attendance", "2025/26", "", "-1", "2"],
        "numerator",
        "is not a whole number",
    ),
    "not a number": (
        ["o5_good_attendance", "2025/26", "", "1", "ten"],
        "denominator",
        "is not a whole number",
    ),
    "numerator too big": (
        ["o5_good_attendance", "2025/26", "", "3", "2"],
        "numerator",
        "is more than the denominator",
    ),
}


@pytest.mark.parametrize("kind", BAD_ROWS)
def test_a_bad_row_rejects_the_whole_file(runner, db, tmp_path, kind):
    row, column, words = BAD_ROWS[kind]
    good = ["o5_good_attendance", "2025/26", "", "812", "1000"]
    result = runner.invoke(
        args=["admin-data", "import", str(write_csv(tmp_path / "bad.csv", HEADER, [good, row]))]
    )
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: bad.csv was not imported: 1 problem(s); nothing was changed."
    )
    assert f"row 3, column {column}: " in result.output
    assert words in result.output
    assert figures(db) == []


def test_a_repeated_row_and_wrong_columns_are_rejected(runner, db, tmp_path):
    row = ["o5_good_attendance", "2025/26", "", "812", "1000"]
    result = runner.invoke(
        args=["admin-data", "import", str(write_csv(tmp_path / "a.csv", HEADER, [row, row]))]
    )
    assert "row 3: repeats row 2" in result.output
    result = runner.invoke(
        args=["admin-data", "import", str(write_csv(tmp_path / "b.csv", HEADER[:4], [row[:4]]))]
    )
    assert result.exit_code == 1
    assert "the columns must be exactly: measure,period,area,numerator,denominator" in result.output
    assert figures(db) == []
