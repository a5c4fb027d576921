"""Academic periods and date ranges, judged by the local date in Europe/London.

A period runs from 1 September to 31 August and is named like "2025/26". A response
belongs to the period containing the Europe/London calendar date of its `submitted_at`,
so a response sent at 00:30 BST on 1 September (23:30 UTC on 31 August) is in the new year.
"""

import datetime as dt
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import pandas as pd

LONDON = "Europe/London"

# No answer can be dated before the first day here or after tomorrow (a phone's clock or
# a paper form may run a day ahead): imports and the paper form refuse such dates, and
# rows stored before they did are never read for the measures.
FIRST_DATE = dt.date(2000, 1, 1)
# Dates and years asked for (`?from=`, `?to=`, `?period=`) must lie in these academic
# years: outside them there can be no answers, and pandas timestamps would overflow.
FIRST_YEAR, LAST_YEAR = 1999, 2099

_PERIOD_NAME = re.compile(r"^(\d{4})/(\d{2})$")


def period_name(start_year: int) -> str:
    """The name of the period starting on 1 September of `start_year`: 2025 -> "2025/26"."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def period_start_year(name: str) -> int:
    """The year in which period `name` starts; ValueError unless `name` is like "2025/26"."""
    match = _PERIOD_NAME.match(name)
    if match is None or period_name(int(match.group(1))) != name:
        raise ValueError(f"period must be written like 2025/26, not {name!r}")
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            f"period must be a year from {period_name(FIRST_YEAR)} to "
            f"{period_name(LAST_YEAR)}, not {name!r}"
        )
    return year


def today_in_london() -> dt.date:
    """Today's date in Europe/London, where the partnership is."""
    return dt.datetime.now(ZoneInfo(LONDON)).date()


def possible_dates(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The first and last local dates (inclusive) an answer can have been given on:
    FIRST_DATE to tomorrow."""
    return FIRST_DATE, (today or today_in_london()) + dt.timedelta(days=1)


def period_containing(moment: dt.datetime | dt.date) -> str:
    """The period of one instant (tz-aware, judged in Europe/London) or one local date."""
    if isinstance(moment, dt.datetime):
        moment = moment.astimezone(ZoneInfo(LONDON)).date()
    return period_name(moment.year if moment.month >= 9 else moment.year - 1)


def period_of(submitted_at: pd.Series) -> pd.Series:
    """The period name of each tz-aware timestamp, by its Europe/London local date."""
    local = submitted_at.dt.tz_convert(LONDON)
    start_year = local.dt.year - (local.dt.month < 9).astype("int64")
    # Few distinct years, so naming the years rather than every row keeps this fast.
    names = {year: period_name(int(year)) for year in start_year.dropna().unique()}
    return start_year.map(names).astype("str")


def periods_present(responses: pd.DataFrame) -> list[str]:
    """The names of the periods that have at least one response, oldest first."""
    return sorted(period_of(responses["submitted_at"]).dropna().unique())


def period_dates(name: str) -> tuple[dt.date, dt.date]:
    """The first and last local dates (inclusive) of period `name`."""
    start_year = period_start_year(name)
    return dt.date(start_year, 9, 1), dt.date(start_year + 1, 8, 31)


def periods_overlapping(
    names: Iterable[str], date_from: dt.date | None, date_to: dt.date | None
) -> list[str]:
    """Those of the period `names` that share at least one day with the inclusive range.

    Either end may be None for an open range. Names are returned sorted, oldest first.
    """
    overlapping = []
    for name in names:
        first, last = period_dates(name)
        if (date_to is None or first <= date_to) and (date_from is None or last >= date_from):
            overlapping.append(name)
    return sorted(overlapping)


def in_period(responses: pd.DataFrame, name: str) -> pd.DataFrame:
    """The responses submitted in period `name` (a new frame; the input is unchanged)."""
    first, last = period_dates(name)
    return in_date_range(responses, first, last)


def in_date_range(
    responses: pd.DataFrame, date_from: dt.date | None, date_to: dt.date | None
) -> pd.DataFrame:
    """The responses submitted on local dates from `date_from` to `date_to`, inclusive.

    Either end may be None for an open range. The input frame is unchanged.
    """
    submitted_at = responses["submitted_at"]
    keep = pd.Series(True, index=responses.index)
    # Comparing instants against the UTC instants of local midnights is the same test as
    # comparing local dates, without converting a million timestamps to local time.
    if date_from is not None:
        keep &= submitted_at >= _local_midnight(date_from)
    if date_to is not None:
        keep &= submitted_at < _local_midnight(date_to + dt.timedelta(days=1))
    return responses.loc[keep]


def parse_date(value: str | dt.date) -> dt.date:
    """A date from a `datetime.date` or an ISO 8601 date string, within the academic
    years FIRST_YEAR to LAST_YEAR; ValueError otherwise."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date without a time, not {value!r}")
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValueError(f"dates must be written like 2025-09-01, not {value!r}") from None
    first, last = period_dates(period_name(FIRST_YEAR))[0], period_dates(period_name(LAST_YEAR))[1]
    if not first <= day <= last:
        raise ValueError(f"dates must be from {first} to {last}, not {day}")
    return day


def _local_midnight(day: dt.date) -> pd.Timestamp:
    # UK clocks change at 01:00 UTC, never at midnight, so local midnight always exists
    # and is never ambiguous.
    return pd.Timestamp(day).tz_localize(LONDON).tz_convert("UTC")
