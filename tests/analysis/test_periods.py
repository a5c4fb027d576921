import datetime as dt

import pandas as pd
import pytest

from analysis.periods import (
    in_date_range,
    in_period,
    parse_date,
    period_of,
    period_start_year,
    periods_overlapping,
    periods_present,
)
from tests.analysis.response_frames import make_responses


def stamps(*values: str) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values), utc=True)).astype("datetime64[ns, UTC]")


def responses_at(*values: str) -> pd.DataFrame:
    return make_responses([{"submitted_at": value} for value in values])


def test_the_31_august_boundary_in_summer_time():
    # 31 August is in BST (UTC+1): 22:59:59Z is 23:59:59 on 31 August, still 2025/26;
    # 23:00:00Z is 00:00 on 1 September, the first moment of 2026/27.
    periods = period_of(stamps("2026-08-31T22:59:59Z", "2026-08-31T23:00:00Z"))
    assert periods.tolist() == ["2025/26", "2026/27"]


def test_the_start_of_a_period_is_local_midnight_on_1_september():
    periods = period_of(stamps("2025-08-31T22:59:59Z", "2025-08-31T23:00:00Z"))
    assert periods.tolist() == ["2024/25", "2025/26"]


def test_winter_dates_are_their_utc_dates():
    # GMT is UTC: late on 31 December stays in 31 December.
    assert period_of(stamps("2025-12-31T23:59:59Z")).tolist() == ["2025/26"]


def test_filtering_by_period_uses_the_same_boundary():
    responses = responses_at(
        "2025-08-31T22:59:59Z",  # 2024/25
        "2025-08-31T23:00:00Z",  # 2025/26, first moment
        "2026-08-31T22:59:59Z",  # 2025/26, last second
        "2026-08-31T23:00:00Z",  # 2026/27
    )
    kept = in_period(responses, "2025/26")
    assert kept["response_id"].tolist() == [2, 3]


def test_a_date_range_is_inclusive_local_dates_across_the_spring_clock_change():
    # Clocks go forward at 01:00 UTC on 29 March 2026: that local day runs from
    # 00:00Z (GMT midnight) to 23:00Z (BST midnight of 30 March).
    responses = responses_at(
        "2026-03-28T23:59:59Z",  # 28 March
        "2026-03-29T00:00:00Z",  # 29 March, first second
        "2026-03-29T22:59:59Z",  # 29 March, last second (23:59:59 BST)
        "2026-03-29T23:00:00Z",  # 30 March
    )
    kept = in_date_range(responses, dt.date(2026, 3, 29), dt.date(2026, 3, 29))
    assert kept["response_id"].tolist() == [2, 3]


def test_a_date_range_may_be_open_at_either_end():
    responses = responses_at("2025-01-01T12:00:00Z", "2026-01-01T12:00:00Z")
    assert in_date_range(responses, dt.date(2025, 6, 1), None)["response_id"].tolist() == [2]
    assert in_date_range(responses, None, dt.date(2025, 6, 1))["response_id"].tolist() == [1]
    assert in_date_range(responses, None, None)["response_id"].tolist() == [1, 2]


def test_filtering_leaves_the_input_unchanged():
    responses = responses_at("2025-01-01T12:00:00Z", "2026-01-01T12:00:00Z")
    before = responses.copy()
    in_period(responses, "2025/26")
    pd.testing.assert_frame_equal(responses, before)


def test_periods_present_are_named_once_oldest_first():
    responses = responses_at("2026-09-01T12:00:00Z", "2025-09-01T12:00:00Z", "2025-10-01T12:00:00Z")
    assert periods_present(responses) == ["2025/26", "2026/27"]


@pytest.mark.parametrize("name", ["2025/27", "2025-26", "25/26", "2025/26 ", "1999/00x"])
def test_a_badly_written_period_is_refused(name):
    with pytest.raises(ValueError, match="2025/26"):
        period_start_year(name)


def test_a_period_spanning_a_century_is_named_with_two_digits():
    assert period_start_year("2099/00") == 2099


def test_periods_overlapping_a_range():
    names = ["2026/27", "2024/25", "2025/26"]
    # 31 August 2025 is the last day of 2024/25; 1 September 2026 the first of 2026/27.
    assert periods_overlapping(names, dt.date(2025, 8, 31), dt.date(2026, 9, 1)) == sorted(names)
    assert periods_overlapping(names, dt.date(2025, 9, 1), dt.date(2026, 8, 31)) == ["2025/26"]
    assert periods_overlapping(names, dt.date(2025, 9, 1), None) == ["2025/26", "2026/27"]
    assert periods_overlapping(names, None, dt.date(2025, 8, 31)) == ["2024/25"]


def test_parse_date_takes_iso_dates_only():
    assert parse_date("2025-09-01") == dt.date(2025, 9, 1)
    assert parse_date(dt.date(2025, 9, 1)) == dt.date(2025, 9, 1)
    with pytest.raises(ValueError, match="2025-09-01"):
        parse_date("01/09/2025")
    with pytest.raises(ValueError, match="without a time"):
        parse_date(dt.datetime(2025, 9, 1, 12))


def test_the_period_containing_one_instant_or_date():
    import datetime as dt

    from analysis.periods import period_containing

    # 23:30 UTC on 31 August 2026 is 00:30 BST on 1 September: the new year.
    assert period_containing(dt.datetime(2026, 8, 31, 22, 59, tzinfo=dt.UTC)) == "2025/26"
    assert period_containing(dt.datetime(2026, 8, 31, 23, 0, tzinfo=dt.UTC)) == "2026/27"
    assert period_containing(dt.date(2026, 9, 1)) == "2026/27"
    assert period_containing(dt.date(2027, 1, 15)) == "2026/27"
