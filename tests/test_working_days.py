"""One working day: Monday to Friday, England and Wales bank holidays skipped, in London."""

from datetime import UTC, date, datetime

import pytest

from app.time import LONDON, age_in_words
from app.working_days import is_working_day, one_working_day_after


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 4), True),  # a Friday
        (date(2026, 12, 5), False),  # Saturday
        (date(2026, 12, 6), False),  # Sunday
        (date(2026, 12, 25), False),  # Christmas Day, a Friday
        (date(2026, 12, 28), False),  # Boxing Day is a Saturday: the Monday is the holiday
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 5, 25), False),  # spring bank holiday
        (date(2026, 8, 31), False),  # summer bank holiday in England and Wales
        (date(2026, 8, 3), True),  # Scotland's summer holiday, a working day here
        (date(2027, 3, 17), True),  # St Patrick's Day: Northern Ireland's, not ours
    ],
)
def test_working_days_are_weekdays_that_are_not_england_and_wales_bank_holidays(day, working):
    assert is_working_day(day) is working


def london(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("flagged", "due"),
    [
        (london(2026, 12, 1, 10, 0), london(2026, 12, 2, 10, 0)),  # Tuesday: Wednesday
        (london(2026, 12, 4, 15, 0), london(2026, 12, 7, 15, 0)),  # Friday: Monday
        (london(2026, 12, 5, 11, 0), london(2026, 12, 8, 0, 0)),  # Saturday: end of Monday
        (london(2026, 12, 24, 16, 30), london(2026, 12, 29, 16, 30)),  # over Christmas
        (london(2026, 4, 2, 9, 0), london(2026, 4, 7, 9, 0)),  # over Easter
    ],
)
def test_due_one_working_day_later_skipping_weekends_and_bank_holidays(flagged, due):
    assert one_working_day_after(flagged.astimezone(UTC)) == due


def test_the_clock_time_is_londons_across_the_change_to_summer_time():
    # Friday 27 March 2026, 9am GMT; the clocks go forward on Sunday 29 March.
    flagged = datetime(2026, 3, 27, 9, 0, tzinfo=UTC)
    due = one_working_day_after(flagged)
    assert due.astimezone(LONDON).hour == 9
    assert due.astimezone(UTC) == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (20, "just now"),
        (60, "1 minute ago"),
        (59 * 60 + 59, "59 minutes ago"),
        (3 * 3600 + 10, "3 hours ago"),
        (23 * 3600 + 3599, "23 hours ago"),
        (24 * 3600, "1 day ago"),
        (2 * 86400 + 5 * 3600, "2 days ago"),
    ],
)
def test_age_in_words(seconds, words):
    now = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    assert age_in_words(datetime.fromtimestamp(now.timestamp() - seconds, UTC), now) == words
