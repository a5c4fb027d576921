"""The survey measures as counts by day, month and academic year, added up for any range.

Every published cell of a survey measure (analysis/measures.py) is a count of responses:
its numerator and base, overall or in one category of one breakdown. Counted by the
Europe/London date of each response, they add up over any run of days. Kept for each
day, each month and each academic year, any range of dates is a sum of at most a few
dozen of them (`buckets`), whatever the number of responses; app/counts.py keeps them
in the database as responses come and go.

    count_rows(responses)           the counts a set of responses makes, every grain
    count_records(records)          the same for a few responses, in plain Python
    buckets(first, last)            the days, months and years that tile a date range
    cells_from_sums(sums, by)       summed counts as the cells `count_cells` returns

A further pseudo-measure, RESPONSES, counts every response in the overall cell, in a
measure's base or not: the latest period with a response, and the periods a trend
shows, come from it.

Besides the public breakdowns, the counts are kept by SURVEY_DIMENSION, "survey" (the
category is the survey's id), with RESPONSES too: a "You said, we did" report's
headlines are one survey's overall cells. No public request can ask for it: `by` is
checked against DIMENSION_ORDERS, which does not name it.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from analysis.definitions import (
    DEFAULT_BY,
    DIMENSION_ORDERS,
    MEASURES,
    NOT_STATED,
    PREFER_NOT_TO_SAY,
    SURVEY,
    category_order,
)
from analysis.measures import (
    ALL,
    OVERALL,
    answer_flags,
    breakdown_categories,
    make_cell,
)
from analysis.periods import LONDON

DAY, MONTH, YEAR = "day", "month", "year"
RESPONSES = "responses"
# The response frame's "survey" column, read as a breakdown: for reports only.
SURVEY_DIMENSION = "survey"
KEPT_BY: tuple[str, ...] = (*DEFAULT_BY, SURVEY_DIMENSION)
KEY_COLUMNS = ["grain", "start", "measure", "dimension", "category"]
COUNT_COLUMNS = [*KEY_COLUMNS, "numerator", "base"]
# A count's key as `count_records` gives it: grain, start (a date), measure, dimension,
# category.
CountKey = tuple[str, dt.date, str, str, str]


def count_rows(
    responses: pd.DataFrame,
    by: Sequence[str] = KEPT_BY,
    orders: dict[str, tuple[str, ...]] = DIMENSION_ORDERS,
) -> pd.DataFrame:
    """The counts `responses` make: one row per grain, start, measure, dimension, category.

    `responses` is in the shape of `analysis.load.load_responses`. Columns grain ("day",
    "month" or "year"), start (the grain's first date, datetime64 at midnight), measure,
    dimension, category, numerator, base (int64). A row is kept only where the base is
    not 0. Categories are those of `breakdown_categories`; the overall cell is dimension
    "overall", category "all"; the RESPONSES pseudo-measure has it and, where `by`
    names SURVEY_DIMENSION, each survey's cell.
    """
    if responses.empty:
        return pd.DataFrame(
            {
                **{column: pd.Series(dtype="str") for column in KEY_COLUMNS},
                "start": pd.Series(dtype="datetime64[ns]"),
                "numerator": pd.Series(dtype="int64"),
                "base": pd.Series(dtype="int64"),
            }
        )[COUNT_COLUMNS]
    survey = [measure for measure in MEASURES if measure.source == SURVEY]
    # uint8: summing it is an order of magnitude faster in pandas' groupby than int64,
    # and the sums come back as uint64, so nothing overflows.
    counted = answer_flags(responses, survey).astype("uint8")
    counted[(RESPONSES, "numerator")] = np.uint8(0)
    counted[(RESPONSES, "base")] = np.uint8(1)
    daily = _by_day(
        counted,
        _local_day(responses["submitted_at"]).to_numpy(),
        breakdown_categories(responses, by, orders),
    )
    # Each coarser grain sums the days it holds: both grains in one grouping.
    coarser = (
        pd.concat(
            [
                daily.assign(grain=grain, start=starts)
                for grain, starts in (
                    (MONTH, _month_start(daily["start"])),
                    (YEAR, _year_start(daily["start"])),
                )
            ],
            ignore_index=True,
        )
        .groupby(KEY_COLUMNS, sort=False)[["numerator", "base"]]
        .sum()
        .reset_index()
    )
    rows = pd.concat([daily.assign(grain=DAY), coarser], ignore_index=True)
    return rows[COUNT_COLUMNS].astype({"numerator": "int64", "base": "int64"})


def count_records(
    responses: Iterable[Mapping[str, Any]], by: Sequence[str] = KEPT_BY
) -> dict[CountKey, tuple[int, int]]:
    """The counts of `count_rows`, for responses given as records (keys its input's
    columns, `submitted_at` an aware datetime, an unanswered question None or absent):
    {(grain, start date, measure, dimension, category): (numerator, base)}, only keys
    whose base is not 0. Plain Python: for the one response of a send, pandas' cost per
    operation made `count_rows` most of the send's time (tests/analysis/test_counts.py
    proves the two equal)."""
    counted: dict[CountKey, list[int]] = {}
    for response in responses:
        day = response["submitted_at"].astimezone(_LONDON_ZONE).date()
        september = day.year if day.month >= 9 else day.year - 1
        starts = (
            (DAY, day),
            (MONTH, day.replace(day=1)),
            (YEAR, dt.date(september, 9, 1)),
        )
        cells = [(OVERALL, ALL)] + [(name, _category(response.get(name))) for name in by]
        # The RESPONSES pseudo-measure is counted overall and in each survey's cell only.
        responses_cells = [cell for cell in cells if cell[0] in (OVERALL, SURVEY_DIMENSION)]
        flags = _flags(response)
        for grain, start in starts:
            for dimension, category in responses_cells:
                _add_count(counted, (grain, start, RESPONSES, dimension, category), 0, 1)
            for measure, numerator, base in flags:
                for dimension, category in cells:
                    key = (grain, start, measure, dimension, category)
                    _add_count(counted, key, numerator, base)
    return {key: (numerator, base) for key, (numerator, base) in counted.items() if base}


def buckets(first: dt.date, last: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """The (grain, first start, last start) runs whose days, months and years tile the
    dates from `first` to `last` exactly, both included: whole academic years where they
    fit, whole months where they fit, days at the ends. Empty when `first` > `last`."""
    runs: list[tuple[str, dt.date, dt.date]] = []
    day = first
    while day <= last:
        if (day.month, day.day) == (9, 1) and dt.date(day.year + 1, 8, 31) <= last:
            grain, end = YEAR, dt.date(day.year + 1, 8, 31)
        elif day.day == 1 and _month_end(day) <= last:
            grain, end = MONTH, _month_end(day)
        else:
            grain, end = DAY, day
        if runs and runs[-1][0] == grain:
            runs[-1] = (grain, runs[-1][1], day)
        else:
            runs.append((grain, day, day))
        day = end + dt.timedelta(days=1)
    return runs


def cells_from_sums(
    sums: Iterable[Sequence[Any]],
    by: Sequence[str],
    orders: dict[str, tuple[str, ...]] = DIMENSION_ORDERS,
) -> list[dict[str, Any]]:
    """The survey cells of `count_cells`, in its order, as records, from counts summed
    over a range.

    `sums` holds (measure, dimension, category, numerator, base) rows, at most one per
    cell. Each survey measure has its overall cell (base 0 when no row), then its
    categories with a base above 0 for each dimension of `by`, in reporting order.
    Plain Python: a few hundred sums, where pandas' cost per operation would be most of
    the time of a request.
    """
    survey = [measure.id for measure in MEASURES if measure.source == SURVEY]
    overall: dict[str, tuple[int, int]] = {}
    in_dimension: dict[str, dict[tuple[str, str], tuple[int, int]]] = {name: {} for name in by}
    for measure, dimension, category, numerator, base in sums:
        if dimension == OVERALL:
            overall[measure] = (int(numerator), int(base))
        elif dimension in in_dimension and base > 0:
            in_dimension[dimension][(measure, category)] = (int(numerator), int(base))
    order = {
        dimension: category_order(dimension, {category for _m, category in cells}, orders)
        for dimension, cells in in_dimension.items()
    }
    records = []
    for measure in survey:
        numerator, base = overall.get(measure, (0, 0))
        records.append(make_cell(measure, OVERALL, ALL, numerator, base))
        for dimension in by:
            for category in order[dimension]:
                counted = in_dimension[dimension].get((measure, category))
                if counted is not None:
                    records.append(make_cell(measure, dimension, category, *counted))
    return records


def _by_day(counted: pd.DataFrame, day: np.ndarray, categories: pd.DataFrame) -> pd.DataFrame:
    """Numerator and base of each measure of `counted` per day, dimension and category:
    the overall cell and each survey's (with the RESPONSES pseudo-measure), then each
    other dimension of `categories` (without it), rows of base 0 left out.

    The responses are stacked once per dimension and grouped once: a grouping per
    dimension cost a send tens of milliseconds for one response, whatever its size.
    """
    dimensions = [OVERALL, *categories.columns]
    size = len(counted)
    keys = [
        np.tile(day, len(dimensions)),
        np.repeat(np.arange(len(dimensions)), size),
        np.concatenate(
            [np.full(size, ALL, dtype=object)]
            + [np.asarray(categories[name], dtype=object) for name in categories.columns]
        ),
    ]
    stacked = pd.DataFrame(
        np.tile(counted.to_numpy(), (len(dimensions), 1)), columns=counted.columns
    )
    grouped = stacked.groupby(keys, sort=False).sum()
    numerators = grouped.xs("numerator", axis=1, level="count")
    bases = grouped.xs("base", axis=1, level="count")[numerators.columns]
    cells, measures = numerators.shape
    # Reshaped with numpy: DataFrame.stack took a tenth of a second even for one response.
    long = pd.DataFrame(
        {
            "start": np.repeat(grouped.index.get_level_values(0).to_numpy(), measures),
            "dimension": np.repeat(
                np.asarray(dimensions, dtype=object)[grouped.index.get_level_values(1)], measures
            ),
            "category": np.repeat(grouped.index.get_level_values(2).to_numpy(), measures),
            "measure": np.tile(numerators.columns.to_numpy(dtype=object), cells),
            "numerator": numerators.to_numpy().ravel(),
            "base": bases.to_numpy().ravel(),
        }
    )
    kept = (long["base"] != 0) & (
        (long["measure"] != RESPONSES) | long["dimension"].isin([OVERALL, SURVEY_DIMENSION])
    )
    return long.loc[kept].reset_index(drop=True)


_LONDON_ZONE = ZoneInfo(LONDON)
# (id, audiences, questions, countable options, positive options) of each survey measure.
_SURVEY_MEASURES = [
    (
        measure.id,
        frozenset(measure.audiences),
        measure.questions,
        frozenset(measure.scale.countable),
        frozenset(measure.scale.positive),
    )
    for measure in MEASURES
    if measure.source == SURVEY and measure.scale is not None
]


def _flags(response: Mapping[str, Any]) -> list[tuple[str, int, int]]:
    """(measure, in its numerator, in its base) for each survey measure, as
    `answer_flags` decides them for one response."""
    flags = []
    for measure, audiences, questions, countable, positive in _SURVEY_MEASURES:
        in_audience = response["audience"] in audiences
        answers = [response.get(question) for question in questions]
        base = in_audience and all(answer in countable for answer in answers)
        numerator = in_audience and all(answer in positive for answer in answers)
        flags.append((measure, int(numerator), int(base)))
    return flags


def _category(value: Any) -> str:
    """A breakdown answer's category, as `breakdown_categories` gives it."""
    if value is None or value != value or value in (PREFER_NOT_TO_SAY, ""):
        return NOT_STATED
    return str(value)


def _add_count(counted: dict, key: CountKey, numerator: int, base: int) -> None:
    total = counted.setdefault(key, [0, 0])
    total[0] += numerator
    total[1] += base


def _local_day(submitted_at: pd.Series) -> pd.Series:
    """The Europe/London date of each instant, as a naive midnight."""
    return submitted_at.dt.tz_convert(LONDON).dt.tz_localize(None).dt.normalize()


def _month_start(days: pd.Series) -> np.ndarray:
    return days.to_numpy().astype("datetime64[M]").astype("datetime64[ns]")


def _year_start(days: pd.Series) -> np.ndarray:
    """The 1 September on or before each day. In numpy: `pd.to_datetime` of year, month
    and day columns took a send 4 ms for one response."""
    months = days.to_numpy().astype("datetime64[M]")
    since_september = (months.astype("int64") - 8) % 12
    return (months - since_september).astype("datetime64[ns]")


def _month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)
