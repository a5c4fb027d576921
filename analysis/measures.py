"""Counting each measure's numerator and base, overall and by breakdown.

The pipeline, each step a pure function over DataFrames:

    answer_flags(responses)            one row per response: in base? in numerator?
    breakdown_categories(responses)    one row per response: its category per dimension
    count_cells(flags, categories)     one row per cell: measure, dimension, category,
                                       numerator, base
    admin_cell_records(admin, periods) the same cells for the admin-data measures
    add_figures(cells)                 percent and Wilson interval, rounded

A *cell* is one figure as published: the overall figure of a measure (dimension
"overall", category "all") or one category of one breakdown.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.definitions import (
    ADMIN_DATA,
    DIMENSION_ORDERS,
    MEASURES,
    NOT_STATED,
    PREFER_NOT_TO_SAY,
    SURVEY,
    Measure,
    Scale,
    category_order,
)
from analysis.intervals import percent, round_half_away, wilson_interval

OVERALL = "overall"
ALL = "all"
CELL_COLUMNS = ["measure", "dimension", "category", "numerator", "base"]


def answer_flags(responses: pd.DataFrame, measures: Sequence[Measure] = MEASURES) -> pd.DataFrame:
    """Whether each response is in each survey measure's base and numerator.

    Returns a frame with the index of `responses` and two boolean columns per survey
    measure, `(measure id, "numerator")` and `(measure id, "base")`. A response is in
    the base when its audience is one of the measure's and it answered every question
    of the measure with an option of the scale other than `not_sure`; in the numerator
    when, besides, every answer is in the positive set. A question column missing from
    `responses` counts as unanswered by everyone.
    """
    columns: dict[tuple[str, str], np.ndarray] = {}
    # Many measures share an audience set; matching a million strings once per set, not
    # once per measure, is a tenth of the whole computation.
    in_audiences: dict[tuple[str, ...], np.ndarray] = {}
    for measure in measures:
        if measure.source != SURVEY or measure.scale is None:
            continue
        if measure.audiences not in in_audiences:
            in_audiences[measure.audiences] = (
                responses["audience"].isin(measure.audiences).to_numpy(dtype=bool)
            )
        base = in_audiences[measure.audiences]
        numerator = base
        for question in measure.questions:
            countable, positive = _answer_masks(responses, question, measure.scale)
            base = base & countable
            numerator = numerator & positive
        columns[(measure.id, "numerator")] = numerator
        columns[(measure.id, "base")] = base
    flags = pd.DataFrame(columns, index=responses.index)
    flags.columns = pd.MultiIndex.from_tuples(list(columns), names=["measure", "count"])
    return flags


def breakdown_categories(
    responses: pd.DataFrame,
    by: Sequence[str],
    orders: dict[str, tuple[str, ...]] = DIMENSION_ORDERS,
) -> pd.DataFrame:
    """The category of each response in each dimension of `by`, as ordered categoricals.

    A missing value, an empty string or `prefer_not_to_say` becomes `not_stated`; a
    dimension column missing from `responses` is `not_stated` for everyone. Categories
    are ordered as `analysis.definitions.category_order` says, and only categories some
    response has are kept.
    """
    return pd.DataFrame(
        {dimension: _categorise(responses, dimension, orders) for dimension in by},
        index=responses.index,
    )


def count_cells(flags: pd.DataFrame, categories: pd.DataFrame) -> pd.DataFrame:
    """Numerator and base of every cell, from `answer_flags` and `breakdown_categories`.

    One row per cell with columns measure, dimension, category, numerator, base (int64):
    for each measure in the order of `flags`, its overall cell (always present, even
    with base 0), then each dimension in the order of `categories`' columns, with its
    categories in their categorical order. Categories with base 0 are left out.
    """
    # Summing uint8 is an order of magnitude faster in pandas' groupby than summing bool.
    counts = flags.astype("uint8")
    overall = counts.sum().unstack("count").reset_index()
    pieces = [overall.assign(dimension=OVERALL, category=ALL, _dimension_rank=-1)]
    for rank, dimension in enumerate(categories.columns):
        by_category = (
            counts.groupby(categories[dimension], observed=True)
            .sum()
            .stack("measure")
            .reset_index()
            .rename(columns={dimension: "category"})
        )
        by_category["category"] = by_category["category"].astype("str")
        pieces.append(
            by_category.loc[by_category["base"] > 0].assign(
                dimension=dimension, _dimension_rank=rank
            )
        )
    measure_rank = {measure: rank for rank, measure in enumerate(flags.columns.unique("measure"))}
    cells = pd.concat(pieces, ignore_index=True)
    # Groupby already put each dimension's categories in order; a stable sort by measure
    # and dimension keeps it.
    cells = cells.assign(_measure_rank=cells["measure"].map(measure_rank)).sort_values(
        ["_measure_rank", "_dimension_rank"], kind="stable"
    )
    return _cell_frame(cells)


def admin_cells(
    admin: pd.DataFrame,
    periods: Sequence[str],
    by: Sequence[str],
    measures: Sequence[Measure] = MEASURES,
    orders: dict[str, tuple[str, ...]] = DIMENSION_ORDERS,
) -> pd.DataFrame:
    """`admin_cell_records` of a frame of admin rows, as a frame in `count_cells`' columns."""
    records = admin_cell_records(admin.to_dict("records"), periods, by, measures, orders)
    return _cell_frame(pd.DataFrame(records, columns=CELL_COLUMNS))


def admin_cell_records(
    admin: Iterable[Mapping[str, Any]],
    periods: Sequence[str],
    by: Sequence[str],
    measures: Sequence[Measure] = MEASURES,
    orders: dict[str, tuple[str, ...]] = DIMENSION_ORDERS,
) -> list[dict[str, Any]]:
    """Cells of the admin-data measures from imported counts for the given periods.

    `admin` rows have keys measure, period, area (missing or empty for the whole
    county), numerator, denominator. For each period, a measure's overall figure is its
    whole-county row if there is one, else the sum of its area rows; over several
    periods the per-period figures are added. A measure without rows has an overall
    cell with base 0. When "area" is in `by` and area rows exist, the areas are broken
    down too, summed over the periods, in area order; areas with base 0 are left out.
    Records with the keys of `count_cells`' columns, in its order. Plain Python: there
    are a few dozen rows, where pandas' cost per operation would be most of the time.
    """
    ids = [measure.id for measure in measures if measure.source == ADMIN_DATA]
    chosen_ids, chosen_periods = set(ids), set(periods)
    county: dict[tuple[str, str], list[int]] = {}
    areas: dict[tuple[str, str], list[int]] = {}
    by_area: dict[tuple[str, str], list[int]] = {}
    for row in admin:
        if row["measure"] not in chosen_ids or row["period"] not in chosen_periods:
            continue
        pair = (int(row["numerator"]), int(row["denominator"]))
        key = (row["measure"], row["period"])
        if _is_county(row["area"]):
            _add(county, key, pair)
        else:
            _add(areas, key, pair)
            _add(by_area, (row["measure"], row["area"]), pair)
    overall = {measure: [0, 0] for measure in ids}
    for key in county.keys() | areas.keys():
        _add(overall, key[0], county[key] if key in county else areas[key])
    area_order = (
        category_order("area", {area for _measure, area in by_area}, orders) if "area" in by else []
    )
    cells = []
    for measure in ids:
        cells.append(make_cell(measure, OVERALL, ALL, *overall[measure]))
        for area in area_order:
            numerator, base = by_area.get((measure, area), (0, 0))
            if base > 0:
                cells.append(make_cell(measure, "area", area, numerator, base))
    return cells


def add_figures(cells: pd.DataFrame) -> pd.DataFrame:
    """`cells` with percent, ci_low and ci_high added, rounded half away from zero to 1 dp.

    The interval is the 95% Wilson score interval. All three are NaN where the base is 0.
    """
    percents, low, high = figures(cells["numerator"], cells["base"])
    return cells.assign(percent=percents, ci_low=low, ci_high=high)


def figures(
    numerator: npt.ArrayLike, base: npt.ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Percent, ci_low and ci_high of each numerator and base, as `add_figures` adds them."""
    low, high = wilson_interval(numerator, base)
    return (
        round_half_away(percent(numerator, base)),
        round_half_away(low),
        round_half_away(high),
    )


def make_cell(
    measure: str, dimension: str, category: str, numerator: int, base: int
) -> dict[str, Any]:
    """One cell as a record, with the keys of CELL_COLUMNS."""
    return {
        "measure": measure,
        "dimension": dimension,
        "category": category,
        "numerator": numerator,
        "base": base,
    }


def _add(totals: dict, key: Any, pair: Sequence[int]) -> None:
    """Add a (numerator, base) PAIR to the totals at KEY."""
    total = totals.setdefault(key, [0, 0])
    total[0] += pair[0]
    total[1] += pair[1]


def _is_county(area: Any) -> bool:
    return area is None or area == "" or (isinstance(area, float) and area != area)


def _answer_masks(
    responses: pd.DataFrame, question: str, scale: Scale
) -> tuple[np.ndarray, np.ndarray]:
    """(answered with a countable option, answered with a positive option) per response."""
    if question not in responses.columns:
        unanswered = np.zeros(len(responses), dtype=bool)
        return unanswered, unanswered
    answers = responses[question]
    countable = answers.isin(scale.countable).to_numpy(dtype=bool)
    positive = answers.isin(scale.positive).to_numpy(dtype=bool)
    return countable, positive


def _categorise(
    responses: pd.DataFrame, dimension: str, orders: dict[str, tuple[str, ...]]
) -> pd.Categorical:
    if dimension not in responses.columns:
        return pd.Categorical.from_codes(np.zeros(len(responses), dtype="int8"), [NOT_STATED])
    # Factorising once and relabelling the few distinct values is far cheaper than
    # replacing values row by row.
    codes, uniques = pd.factorize(responses[dimension])
    labels = [NOT_STATED if value in (PREFER_NOT_TO_SAY, "") else str(value) for value in uniques]
    if (codes < 0).any():
        labels.append(NOT_STATED)
    categories = category_order(dimension, labels, orders)
    position = {category: index for index, category in enumerate(categories)}
    relabel = np.array([position[label] for label in labels], dtype="int64")
    # A missing value has code -1, which picks the last label: the not_stated added above.
    return pd.Categorical.from_codes(relabel[codes], categories=categories)


def _cell_frame(cells: pd.DataFrame) -> pd.DataFrame:
    return (
        cells[CELL_COLUMNS]
        .astype({"measure": "str", "dimension": "str", "category": "str"})
        .astype({"numerator": "int64", "base": "int64"})
        .reset_index(drop=True)
        .rename_axis(columns=None)
    )
