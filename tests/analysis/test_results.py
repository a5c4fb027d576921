import json

import pandas as pd
import pytest

from analysis.definitions import MEASURES
from analysis.results import compute_measures, to_csv, to_markdown
from tests.analysis.response_frames import answers, make_admin, make_responses

IN_2024_25 = "2025-06-01T12:00:00Z"

# o2_opinion_cared_about in 2025/26, worked by hand:
#   young_person: 12 always + 8 never, all in hereford   -> 12 / 20
#   child: 5 mostly in kington + 11 sometimes, no area   ->  5 / 16
#   overall 17 / 36; by area hereford 12/20, kington 5/5, not_stated 0/11.
# The 30 "never" of 2024/25 must not count.
RESPONSES = make_responses(
    answers(12, cares_about_opinion="always", area="hereford")
    + answers(8, cares_about_opinion="never", area="hereford")
    + answers(5, audience="child", cares_about_opinion="mostly", area="kington")
    + answers(11, audience="child", cares_about_opinion="sometimes")
    + answers(30, cares_about_opinion="never", area="hereford", submitted_at=IN_2024_25)
)
ADMIN = make_admin([("o2_ehcp_reviews_with_family", "2025/26", None, 70, 100)])
PUBLISHED_KEYS = {"numerator", "base", "percent", "ci_low", "ci_high", "suppressed"}


def published(numerator, base, percent, ci_low, ci_high):
    return {
        "numerator": numerator,
        "base": base,
        "percent": percent,
        "ci_low": ci_low,
        "ci_high": ci_high,
        "suppressed": False,
    }


def hidden(reason):
    return dict.fromkeys(["numerator", "base", "percent", "ci_low", "ci_high"]) | {
        "suppressed": True,
        "reason": reason,
    }


def entry(result, measure_id):
    return next(measure for measure in result["measures"] if measure["id"] == measure_id)


@pytest.fixture(scope="module")
def result():
    return compute_measures(RESPONSES, ADMIN, period="2025/26", by=("audience", "area"))


def test_the_json_shape_of_measures_md(result):
    assert set(result) == {"period", "measures"}
    assert result["period"] == "2025/26"
    assert [measure["id"] for measure in result["measures"]] == [m.id for m in MEASURES]
    for measure in result["measures"]:
        assert set(measure) == {"id", "outcome", "title", "source", "overall", "breakdowns"}
    assert json.loads(json.dumps(result)) == result


def test_overall_figure_worked_by_hand(result):
    # 17/36 = 47.222% -> 47.2. Wilson, n = 36, p = 0.472222, z²/n = 0.106711:
    # centre = (0.472222 + 0.053356) / 1.106711 = 0.474901
    # half = 1.96 * sqrt(0.472222 * 0.527778 / 36 + 3.8416 / 5184) / 1.106711
    #      = 1.96 * sqrt(0.0069230 + 0.00074105) / 1.106711 = 0.155044
    # -> 31.986 to 62.994 -> 32.0 to 63.0.
    opinion = entry(result, "o2_opinion_cared_about")
    assert opinion["overall"] == published(17, 36, 47.2, 32.0, 63.0)
    assert opinion["source"] == "survey"
    assert opinion["outcome"] == 2


def test_breakdowns_worked_by_hand(result):
    breakdowns = entry(result, "o2_opinion_cared_about")["breakdowns"]
    assert list(breakdowns) == ["audience", "area"]
    # child 5/16 = 31.25% -> 31.3 (half away from zero); young_person 12/20 = 60.0%.
    assert breakdowns["audience"]["child"]["percent"] == 31.3
    assert breakdowns["audience"]["young_person"]["percent"] == 60.0
    # hereford 12/20: centre = (0.6 + 0.09604) / 1.19208 = 0.583887,
    # half = 1.96 * sqrt(0.012 + 0.002401) / 1.19208 = 0.197309 -> 38.7 to 78.1.
    # kington has base 5 (small); not_stated (11) is the next smallest (secondary).
    assert breakdowns["area"] == {
        "hereford": published(12, 20, 60.0, 38.7, 78.1),
        "kington": hidden("small"),
        "not_stated": hidden("secondary"),
    }


def test_published_cells_have_exactly_the_keys_of_measures_md(result):
    for measure in result["measures"]:
        cells = [measure["overall"]]
        cells += [cell for dim in measure["breakdowns"].values() for cell in dim.values()]
        for cell in cells:
            expected = PUBLISHED_KEYS | ({"reason"} if cell["suppressed"] else set())
            assert set(cell) == expected


def test_admin_measure_worked_by_hand(result):
    # 70/100: centre = (0.7 + 0.019208) / 1.038416 = 0.692601,
    # half = 1.96 * sqrt(0.0021 + 0.00009604) / 1.038416 = 0.088451 -> 60.4 to 78.1.
    reviews = entry(result, "o2_ehcp_reviews_with_family")
    assert reviews["overall"] == published(70, 100, 70.0, 60.4, 78.1)
    assert reviews["breakdowns"] == {}
    assert reviews["source"] == "admin data"


def test_a_measure_without_answers_is_hidden_as_small(result):
    # No parent carers answered: base 0 is under 10.
    assert entry(result, "o5_coproduction_effective")["overall"] == hidden("small")


def test_a_period_without_responses_lists_empty_breakdowns():
    empty = compute_measures(RESPONSES, ADMIN, period="2023/24", by=("audience", "area"))
    opinion = entry(empty, "o2_opinion_cared_about")
    assert opinion["overall"] == hidden("small")
    assert opinion["breakdowns"] == {"audience": {}, "area": {}}


def test_staff_mode_shows_small_cells():
    staff = compute_measures(RESPONSES, ADMIN, period="2025/26", by=("area",), suppress=False)
    area = entry(staff, "o2_opinion_cared_about")["breakdowns"]["area"]
    # kington 5/5 = 100%; Wilson low for 5/5: 1 - (2 * 0.38416 / 1.76832) = 0.565508.
    assert area["kington"] == published(5, 5, 100.0, 56.6, 100.0)
    assert area["not_stated"]["base"] == 11


def test_a_date_range_selects_local_dates_and_the_periods_it_touches():
    ranged = compute_measures(
        RESPONSES, ADMIN, date_from="2025-06-01", date_to="2025-06-01", by=("audience",)
    )
    assert ranged["period"] == "2025-06-01..2025-06-01"
    # Only the 30 "never" of 1 June 2025: 0/30. Wilson high for 0/30: z²/n = 0.128053,
    # 2 * (3.8416 / 60) / 1.128053 = 0.113516 -> 11.4.
    assert entry(ranged, "o2_opinion_cared_about")["overall"] == published(0, 30, 0.0, 0.0, 11.4)
    # The range lies in 2024/25, which has no admin figures.
    assert entry(ranged, "o2_ehcp_reviews_with_family")["overall"] == hidden("small")


def test_an_open_ended_range_is_named_with_an_empty_end():
    ranged = compute_measures(RESPONSES, ADMIN, date_from="2025-09-01", by=())
    assert ranged["period"] == "2025-09-01.."
    assert entry(ranged, "o2_opinion_cared_about")["overall"]["base"] == 36
    # The open end reaches every later period: 2025/26's admin figures are in.
    assert entry(ranged, "o2_ehcp_reviews_with_family")["overall"]["base"] == 100


def test_without_a_period_the_latest_is_used():
    assert compute_measures(RESPONSES, ADMIN, by=())["period"] == "2025/26"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"period": "2025/26", "date_from": "2025-09-01"}, "not both"),
        ({"date_from": "2026-01-02", "date_to": "2026-01-01"}, "after it ends"),
        ({"period": "2025-26"}, "2025/26"),
        ({"date_from": "1 Sept"}, "2025-09-01"),
        ({"by": ("audience", "postcode")}, "postcode"),
    ],
)
def test_bad_options_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        compute_measures(RESPONSES, ADMIN, **options)


def test_no_data_and_no_period_is_refused():
    with pytest.raises(ValueError, match="no period given"):
        compute_measures(RESPONSES.iloc[:0], ADMIN.iloc[:0])


def test_csv_rows_worked_by_hand(result):
    lines = to_csv(result).splitlines()
    assert lines[0] == (
        "measure,outcome,dimension,category,numerator,base,percent,ci_low,ci_high,suppressed"
    )
    assert lines[1:7] == [
        "o2_opinion_cared_about,2,overall,all,17,36,47.2,32.0,63.0,false",
        "o2_opinion_cared_about,2,audience,child,5,16,31.3,14.2,55.6,false",
        "o2_opinion_cared_about,2,audience,young_person,12,20,60.0,38.7,78.1,false",
        "o2_opinion_cared_about,2,area,hereford,12,20,60.0,38.7,78.1,false",
        "o2_opinion_cared_about,2,area,kington,,,,,,true",
        "o2_opinion_cared_about,2,area,not_stated,,,,,,true",
    ]
    # child 5/16: z²/n = 0.2401, centre = (0.3125 + 0.12005) / 1.2401 = 0.348802,
    # half = 1.96 * sqrt(0.013427734 + 0.003751563) / 1.2401 = 0.207159 -> 14.2 to 55.6.
    assert "o2_ehcp_reviews_with_family,2,overall,all,70,100,70.0,60.4,78.1,false" in lines


def test_markdown_says_why_a_figure_is_hidden(result):
    text = to_markdown(result)
    assert "# Outcome measures, 2025/26" in text
    assert "| overall | all | 47.2% | 32.0 to 63.0 | 17 | 36 |" in text
    assert "| area | kington | fewer than 10 answers | | | |" in text
    assert "| area | not_stated | hidden to protect a small group | | | |" in text


def test_computing_leaves_the_inputs_unchanged():
    responses, admin = RESPONSES.copy(), ADMIN.copy()
    compute_measures(responses, admin, period="2025/26")
    pd.testing.assert_frame_equal(responses, RESPONSES)
    pd.testing.assert_frame_equal(admin, ADMIN)
