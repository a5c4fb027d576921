import pandas as pd

from analysis.suppression import mark_primary, staff_view, suppress


def make_cells(*rows):
    """Cells from (measure, dimension, category, base) rows; numerator = half the base."""
    frame = pd.DataFrame(rows, columns=["measure", "dimension", "category", "base"])
    return frame.assign(numerator=frame["base"] // 2, percent=50.0, ci_low=10.0, ci_high=90.0)


def hidden(cells):
    """{(dimension, category): reason} of the suppressed cells."""
    shown = cells.loc[cells["suppressed"]]
    return {
        (dimension, category): reason
        for dimension, category, reason in shown[["dimension", "category", "reason"]].values
    }


def test_base_9_is_suppressed_and_base_10_published():
    cells = mark_primary(make_cells(("m", "overall", "all", 9), ("n", "overall", "all", 10)))
    assert cells["suppressed"].tolist() == [True, False]
    assert cells["reason"].tolist() == ["small", None]


def test_a_suppressed_cell_shows_no_figures():
    cells = suppress(make_cells(("m", "overall", "all", 9)))
    row = cells.iloc[0]
    for column in ["numerator", "base", "percent", "ci_low", "ci_high"]:
        assert pd.isna(row[column]), column
    assert row["suppressed"]
    assert row["reason"] == "small"


def test_secondary_suppression_takes_the_next_smallest_base():
    # 60 = 30 + 4 + 11 + 15. Only leominster (4) is under 10; with the overall published
    # it could be recovered as 60 - 30 - 11 - 15, so the next smallest, ross_on_wye
    # (11), is hidden too.
    cells = suppress(
        make_cells(
            ("m", "overall", "all", 60),
            ("m", "area", "hereford", 30),
            ("m", "area", "leominster", 4),
            ("m", "area", "ross_on_wye", 11),
            ("m", "area", "ledbury", 15),
        )
    )
    assert hidden(cells) == {("area", "leominster"): "small", ("area", "ross_on_wye"): "secondary"}


def test_secondary_suppression_ties_go_to_the_first_in_option_order():
    # ledbury and ross_on_wye both have base 12; ross_on_wye comes first in the area
    # options, though ledbury comes first in the rows.
    cells = suppress(
        make_cells(
            ("m", "overall", "all", 54),
            ("m", "area", "ledbury", 12),
            ("m", "area", "hereford", 25),
            ("m", "area", "ross_on_wye", 12),
            ("m", "area", "kington", 5),
        )
    )
    assert hidden(cells) == {("area", "kington"): "small", ("area", "ross_on_wye"): "secondary"}


def test_not_stated_loses_a_tie_to_any_option():
    # not_stated and golden_valley both 10; not_stated is last in order.
    cells = suppress(
        make_cells(
            ("m", "overall", "all", 43),
            ("m", "area", "not_stated", 10),
            ("m", "area", "golden_valley", 10),
            ("m", "area", "hereford", 20),
            ("m", "area", "bromyard", 3),
        )
    )
    assert hidden(cells) == {("area", "bromyard"): "small", ("area", "golden_valley"): "secondary"}


def test_no_secondary_suppression_when_two_cells_are_already_hidden():
    cells = suppress(
        make_cells(
            ("m", "overall", "all", 40),
            ("m", "audience", "child", 3),
            ("m", "audience", "young_person", 7),
            ("m", "audience", "parent_carer", 30),
        )
    )
    assert hidden(cells) == {("audience", "child"): "small", ("audience", "young_person"): "small"}


def test_no_secondary_suppression_when_the_overall_figure_is_hidden():
    # Overall 9 is hidden itself, so the one small category cannot be recovered from it.
    cells = suppress(make_cells(("m", "overall", "all", 9), ("m", "area", "hereford", 9)))
    assert hidden(cells) == {("overall", "all"): "small", ("area", "hereford"): "small"}


def test_secondary_suppression_is_per_measure_and_per_dimension():
    cells = suppress(
        make_cells(
            ("m", "overall", "all", 40),
            ("m", "area", "hereford", 35),
            ("m", "area", "kington", 5),
            ("m", "setting", "college", 20),
            ("m", "setting", "other", 20),
            ("n", "overall", "all", 40),
            ("n", "area", "hereford", 20),
            ("n", "area", "kington", 20),
        )
    )
    assert hidden(cells) == {("area", "kington"): "small", ("area", "hereford"): "secondary"}


def test_staff_view_hides_nothing():
    cells = staff_view(make_cells(("m", "overall", "all", 3)))
    assert cells["base"].tolist() == [3]
    assert cells["suppressed"].tolist() == [False]
    assert cells["reason"].tolist() == [None]


def test_suppression_leaves_the_input_unchanged():
    cells = make_cells(("m", "overall", "all", 20), ("m", "area", "hereford", 15))
    cells = pd.concat([cells, make_cells(("m", "area", "kington", 5))], ignore_index=True)
    before = cells.copy()
    suppress(cells)
    pd.testing.assert_frame_equal(cells, before)
