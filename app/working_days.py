"""Working days as the council keeps them: Monday to Friday, except England and Wales bank
holidays, in Europe/London.

The bank holidays are worked out from the rules of the Banking and Financial Dealings Act
1971 and the royal proclamations that follow it each year, so nothing is downloaded: New
Year's Day, Good Friday, Easter Monday, the first and last Mondays in May, the last Monday
in August, Christmas Day and Boxing Day, a holiday on a weekend moved to the next weekday
that is not already one. The rare one-off changes are listed in ONE_OFF_CHANGES; when a
new one is proclaimed (a coronation, a jubilee, a state funeral), add it there.
(Checked against the `holidays` package's England list for 2000 to 2040.)
"""

from datetime import date, datetime, time, timedelta
from functools import cache

from dateutil.easter import easter

from app.time import LONDON

# Moved or extra bank holidays: {year: (days taken away, days added)}.
ONE_OFF_CHANGES: dict[int, tuple[tuple[date, ...], tuple[date, ...]]] = {
    # The early May holiday moved to the Friday for the 50th anniversary of VE Day, and
    # again for the 75th.
    1995: ((date(1995, 5, 1),), (date(1995, 5, 8),)),
    2020: ((date(2020, 5, 4),), (date(2020, 5, 8),)),
    # The Queen's Diamond and Platinum Jubilees: the spring holiday moved, a day added.
    2002: ((date(2002, 5, 27),), (date(2002, 6, 3), date(2002, 6, 4))),
    2012: ((date(2012, 5, 28),), (date(2012, 6, 4), date(2012, 6, 5))),
    2022: ((date(2022, 5, 30),), (date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19))),
    # A royal wedding, the millennium and the coronation of King Charles III.
    1999: ((), (date(1999, 12, 31),)),
    2011: ((), (date(2011, 4, 29),)),
    2023: ((), (date(2023, 5, 8),)),
}


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in YEAR."""
    good_friday = easter(year) - timedelta(days=2)
    days = {
        good_friday,
        good_friday + timedelta(days=3),
        _monday_on_or_after(date(year, 5, 1)),
        _last_monday(year, 5),
        _last_monday(year, 8),
    }
    # A fixed day on a weekend is moved to the next weekday that is not already a holiday.
    for fixed in (date(year, 1, 1), date(year, 12, 25), date(year, 12, 26)):
        while fixed.weekday() >= 5 or fixed in days:
            fixed += timedelta(days=1)
        days.add(fixed)
    taken, added = ONE_OFF_CHANGES.get(year, ((), ()))
    return frozenset(days.difference(taken).union(added))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an England and Wales bank holiday."""
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def next_working_day(day: date) -> date:
    """The first working day after DAY."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def one_working_day_after(moment: datetime) -> datetime:
    """When a whole working day has passed since MOMENT: the same London clock time on the
    next working day (Friday 3pm is due on Monday at 3pm). Something that arrives on a
    weekend or a bank holiday waits for the next working day to start, and is due at the
    start of the working day after that."""
    local = moment.astimezone(LONDON)
    day, clock = local.date(), local.time().replace(tzinfo=None)
    if not is_working_day(day):
        day, clock = next_working_day(day), time(0)
    return datetime.combine(next_working_day(day), clock, tzinfo=LONDON)
