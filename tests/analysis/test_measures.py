import pandas as pd
import pytest

from analysis.definitions import MEASURES
from analysis.measures import (
    add_figures,
    admin_cells,
    answer_flags,
    breakdown_categories,
    count_cells,
)
from tests.analysis.response_frames import (
    FIXTURES,
    answers,
    make_admin,
    make_responses,
    read_responses,
)

MEASURE = {measure.id: measure for measure in MEASURES}
OPINION = MEASURE["o2_opinion_cared_about"]
COMMUNITY = MEASURE["o5_safe_belong_community"]
COPRODUCTION = MEASURE["o5_coproduction_effective"]
ADMIN_MEASURES = [measure for measure in MEASURES if measure.source == "admin data"]


def cells_of(responses, measures, by=()):
    return count_cells(answer_flags(responses, measures), breakdown_categories(responses, by))


def overall(cells, measure_id):
    row = cells.loc[(cells["measure"] == measure_id) & (cells["dimension"] == "overall")]
    return row["numerator"].item(), row["base"].item()


def test_counts_cells_of_the_fixture_worked_by_hand():
    # two_measures.csv, worked row by row:
    # opinion (child, young_person): answers always, mostly, never, sometimes, not_sure,
    #   skipped; the parent carer's "always" is outside the audience. Base rows 1-4 = 4,
    #   numerator rows 1-2 = 2. Row 3 has no area and row 5 said prefer_not_to_say, but
    #   row 5 (not_sure) is not in the base, so not_stated holds row 3 only.
    # community (both questions): row 1 always+mostly base+num; row 2 always+never base;
    #   row 3 not_sure+always out; row 4 always+always base+num; row 5 mostly+skipped
    #   out; row 6 never+never base. Base 4, numerator 2; not_stated has no one in the
    #   base, so it is left out.
    expected = pd.read_csv(FIXTURES / "two_measures_cells.csv", dtype={"numerator": "int64"})
    expected = expected.astype({"measure": "str", "dimension": "str", "category": "str"})
    cells = cells_of(read_responses("two_measures.csv"), [OPINION, COMMUNITY], ["audience", "area"])
    pd.testing.assert_frame_equal(cells, expected)


def test_a_respondent_who_answered_one_of_two_questions_is_not_in_the_base():
    responses = make_responses(
        answers(1, safe_in_community="always", belong_in_community="always")
        + answers(1, safe_in_community="always")  # belong skipped
        + answers(1, belong_in_community="mostly")  # safe skipped
        + answers(1, safe_in_community="always", belong_in_community="not_sure")
    )
    assert overall(cells_of(responses, [COMMUNITY]), COMMUNITY.id) == (1, 1)


def test_two_question_numerator_needs_both_answers_positive():
    responses = make_responses(
        answers(1, safe_in_community="always", belong_in_community="mostly")  # both positive
        + answers(1, safe_in_community="always", belong_in_community="sometimes")
        + answers(1, safe_in_community="never", belong_in_community="always")
    )
    assert overall(cells_of(responses, [COMMUNITY]), COMMUNITY.id) == (1, 3)


def test_not_sure_and_skipped_answers_are_not_in_the_base():
    # 4 always + 3 never are in the base (7); 5 not_sure and 2 skipped are not.
    responses = make_responses(
        answers(4, cares_about_opinion="always")
        + answers(3, cares_about_opinion="never")
        + answers(5, cares_about_opinion="not_sure")
        + answers(2)
    )
    assert overall(cells_of(responses, [OPINION]), OPINION.id) == (4, 7)


def test_only_the_measures_audiences_count():
    responses = make_responses(
        answers(2, audience="child", cares_about_opinion="always")
        + answers(3, audience="parent_carer", cares_about_opinion="always")
    )
    cells = cells_of(responses, [OPINION], ["audience"])
    assert overall(cells, OPINION.id) == (2, 2)
    assert cells["category"].tolist() == ["all", "child"]


def test_an_absent_question_column_counts_as_unanswered():
    # No parent-carer survey loaded: coproduction_overall is not a column at all.
    responses = make_responses(answers(12, cares_about_opinion="always"))
    cells = cells_of(responses, [COPRODUCTION], ["audience", "area"])
    expected = pd.DataFrame(
        {
            "measure": [COPRODUCTION.id],
            "dimension": ["overall"],
            "category": ["all"],
            "numerator": [0],
            "base": [0],
        }
    ).astype({"measure": "str", "dimension": "str", "category": "str"})
    pd.testing.assert_frame_equal(cells, expected)


def test_skipped_and_declined_dimensions_are_not_stated():
    responses = make_responses(
        answers(2, cares_about_opinion="always", setting="college")
        + answers(3, cares_about_opinion="always", setting="prefer_not_to_say")
        + answers(4, cares_about_opinion="never")  # setting skipped
    )
    cells = cells_of(responses, [OPINION], ["setting", "area"])
    breakdown = cells.loc[cells["dimension"] != "overall"]
    assert breakdown[["dimension", "category", "numerator", "base"]].values.tolist() == [
        ["setting", "college", 2, 2],
        ["setting", "not_stated", 3, 7],  # 3 declined + 4 skipped
        ["area", "not_stated", 5, 9],  # no area column: everyone
    ]


def test_categories_follow_the_option_order_not_the_data_order():
    responses = make_responses(
        answers(1, cares_about_opinion="always", support="not_sure")
        + answers(1, cares_about_opinion="always")
        + answers(1, cares_about_opinion="always", support="none")
        + answers(1, cares_about_opinion="always", support="ehc_plan")
    )
    cells = cells_of(responses, [OPINION], ["support"])
    assert cells["category"].tolist()[1:] == ["ehc_plan", "none", "not_sure", "not_stated"]


def test_counting_leaves_the_input_unchanged():
    responses = read_responses("two_measures.csv")
    before = responses.copy()
    cells_of(responses, MEASURES, ["audience", "area", "age_band"])
    pd.testing.assert_frame_equal(responses, before)


def test_add_figures_rounds_percent_and_interval():
    # 5/10: 50.0%, Wilson 23.7 to 76.3 (worked in test_intervals). 1/8: 12.5%.
    cells = pd.DataFrame({"numerator": [5, 1], "base": [10, 8]})
    figures = add_figures(cells)
    assert figures["percent"].tolist() == [50.0, 12.5]
    assert figures["ci_low"].tolist()[0] == 23.7
    assert figures["ci_high"].tolist()[0] == 76.3


ADMIN = make_admin(
    [
        # reviews: a county row and area rows; the county row is the overall figure
        ("o2_ehcp_reviews_with_family", "2025/26", None, 70, 100),
        ("o2_ehcp_reviews_with_family", "2025/26", "ledbury", 20, 30),
        ("o2_ehcp_reviews_with_family", "2025/26", "hereford", 40, 50),
        # short breaks: areas only, so overall = 12 + 3 = 15 of 40 + 20 = 60
        ("o5_ehcp_short_breaks", "2025/26", "kington", 3, 20),
        ("o5_ehcp_short_breaks", "2025/26", "bromyard", 12, 40),
        # another period: ignored for 2025/26
        ("o5_ehcp_short_breaks", "2024/25", "kington", 9, 9),
        ("o5_good_attendance", "2024/25", None, 80, 90),
    ]
)


def test_admin_cells_with_areas_worked_by_hand():
    cells = admin_cells(ADMIN, ["2025/26"], ["audience", "area"], ADMIN_MEASURES)
    assert cells.values.tolist() == [
        ["o2_ehcp_reviews_with_family", "overall", "all", 70, 100],
        ["o2_ehcp_reviews_with_family", "area", "hereford", 40, 50],
        ["o2_ehcp_reviews_with_family", "area", "ledbury", 20, 30],
        ["o5_ehcp_short_breaks", "overall", "all", 15, 60],
        ["o5_ehcp_short_breaks", "area", "bromyard", 12, 40],
        ["o5_ehcp_short_breaks", "area", "kington", 3, 20],
        # no rows for 2025/26: an empty overall cell
        ["o5_good_attendance", "overall", "all", 0, 0],
    ]


def test_admin_cells_over_two_periods_add_each_periods_figure():
    # short breaks: 2024/25 kington 9/9 + 2025/26 15/60 = 24/69; kington 9+3 / 9+20.
    # attendance: 2024/25 county 80/90 only.
    cells = admin_cells(ADMIN, ["2024/25", "2025/26"], ["area"], ADMIN_MEASURES)
    short_breaks = cells.loc[cells["measure"] == "o5_ehcp_short_breaks"]
    assert short_breaks[["category", "numerator", "base"]].values.tolist() == [
        ["all", 24, 69],
        ["bromyard", 12, 40],
        ["kington", 12, 29],
    ]
    assert overall(cells, "o5_good_attendance") == (80, 90)


def test_admin_cells_without_area_breakdown_asked():
    cells = admin_cells(ADMIN, ["2025/26"], ["audience"], ADMIN_MEASURES)
    assert set(cells["dimension"]) == {"overall"}


@pytest.mark.parametrize("empty_area", [None, ""])
def test_an_empty_area_is_the_whole_county(empty_area):
    admin = make_admin([("o5_good_attendance", "2025/26", empty_area, 9, 12)])
    cells = admin_cells(admin, ["2025/26"], ["area"], ADMIN_MEASURES)
    assert overall(cells, "o5_good_attendance") == (9, 12)
    assert set(cells["dimension"]) == {"overall"}
