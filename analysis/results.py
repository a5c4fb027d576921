"""The outcome measures as published: one call from responses to the JSON, CSV or Markdown.

`compute_measures` returns the JSON shape of measures.md (`measures --format json`,
`/api/measures`); `to_csv` and `to_markdown` turn that result into the other formats.

A published cell is exactly the keys of measures.md: numerator, base, percent, ci_low,
ci_high, suppressed. A suppressed cell has those keys (figures null) plus `reason`,
"small" or "secondary", so that a reader can be told "fewer than 10 answers" or
"hidden to protect a small group". Published cells carry no `reason` key.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.definitions import DEFAULT_BY, DIMENSION_ORDERS, MEASURES, SURVEY, Measure
from analysis.measures import (
    OVERALL,
    admin_cell_records,
    answer_flags,
    breakdown_categories,
    count_cells,
    figures,
)
from analysis.periods import (
    in_date_range,
    parse_date,
    period_dates,
    periods_overlapping,
    periods_present,
)
from analysis.suppression import (
    FIGURES,
    SECONDARY,
    SMALL,
    Cell,
    staff_cells,
    suppressed_cells,
)

CSV_COLUMNS = [
    "measure",
    "outcome",
    "dimension",
    "category",
    "numerator",
    "base",
    "percent",
    "ci_low",
    "ci_high",
    "suppressed",
]
_WHY_HIDDEN = {SMALL: "fewer than 10 answers", SECONDARY: "hidden to protect a small group"}


def measure_cells(
    responses: pd.DataFrame,
    admin: pd.DataFrame,
    *,
    periods: Sequence[str],
    by: Sequence[str] = DEFAULT_BY,
    suppress_small: bool = True,
    measures: Sequence[Measure] = MEASURES,
    orders: dict[str, tuple[str, ...]] = DIMENSION_ORDERS,
) -> list[Cell]:
    """Every cell of every measure, for responses already cut to a period.

    Records with keys measure, dimension, category, numerator, base, percent, ci_low,
    ci_high, suppressed, reason; measures in the order of `measures`, each with its
    overall cell first then its breakdowns in the order of `by`. Admin-data figures are
    taken from the rows of `admin` for `periods`. With `suppress_small` false nothing is
    hidden (staff only).
    """
    survey_measures = [measure for measure in measures if measure.source == SURVEY]
    survey = count_cells(
        answer_flags(responses, survey_measures),
        breakdown_categories(responses, by, orders),
    )
    return published_cells(
        survey.to_dict("records"),
        admin.to_dict("records"),
        periods=periods,
        by=by,
        suppress_small=suppress_small,
        measures=measures,
        orders=orders,
    )


def published_cells(
    survey: Sequence[Cell],
    admin: Iterable[Mapping[str, Any]],
    *,
    periods: Sequence[str],
    by: Sequence[str] = DEFAULT_BY,
    suppress_small: bool = True,
    measures: Sequence[Measure] = MEASURES,
    orders: dict[str, tuple[str, ...]] = DIMENSION_ORDERS,
) -> list[Cell]:
    """`measure_cells` from the survey measures' cells already counted (records as
    `count_cells` gives them, from responses or from kept counts) and the admin rows
    (records as `analysis.load.admin_rows` gives them): the admin-data cells added,
    figures worked out and suppression applied. Plain Python over a few hundred cells."""
    admin_data = admin_cell_records(admin, periods, by, measures, orders)
    rank = {measure.id: index for index, measure in enumerate(measures)}
    cells = sorted([*survey, *admin_data], key=lambda cell: rank[cell["measure"]])
    percents, low, high = figures(
        [cell["numerator"] for cell in cells], [cell["base"] for cell in cells]
    )
    cells = [
        {**cell, "percent": percents[i], "ci_low": low[i], "ci_high": high[i]}
        for i, cell in enumerate(cells)
    ]
    return suppressed_cells(cells, orders) if suppress_small else staff_cells(cells)


@dataclass(frozen=True)
class Selection:
    """What a request for measures chose: the result's "period" label, the local dates
    it covers (either end None when open) and the admin-data periods to use."""

    label: str
    first: dt.date | None
    last: dt.date | None
    periods: list[str]


def selection(
    period: str | None,
    date_from: str | dt.date | None,
    date_to: str | dt.date | None,
    admin_periods: Iterable[str],
) -> Selection:
    """The `Selection` for a `period` or a range `date_from`..`date_to` (see
    `compute_measures`); a period must be given when there is no range. Raises
    ValueError on a bad period, date or range."""
    if date_from is not None or date_to is not None:
        if period is not None:
            raise ValueError("give a period or a date range, not both")
        first = None if date_from is None else parse_date(date_from)
        last = None if date_to is None else parse_date(date_to)
        if first is not None and last is not None and first > last:
            raise ValueError(f"the range starts ({first}) after it ends ({last})")
        periods = periods_overlapping(admin_periods, first, last)
        return Selection(f"{first or ''}..{last or ''}", first, last, periods)
    if period is None:
        raise ValueError("give a period or a date range")
    first, last = period_dates(period)
    return Selection(period, first, last, [period])


def compute_measures(
    responses: pd.DataFrame,
    admin: pd.DataFrame,
    *,
    period: str | None = None,
    date_from: str | dt.date | None = None,
    date_to: str | dt.date | None = None,
    by: Sequence[str] = DEFAULT_BY,
    suppress: bool = True,
    measures: Sequence[Measure] = MEASURES,
    orders: dict[str, tuple[str, ...]] = DIMENSION_ORDERS,
) -> dict[str, Any]:
    """The outcome measures in the JSON shape of measures.md, ready for `json.dumps`.

    Give a `period` ("2025/26"), or a range of local dates `date_from`..`date_to`
    (inclusive, either end may be open; admin data then comes from every period the
    range touches), or neither for the latest period that has responses or admin data.
    The result's "period" is the period's name or "FROM..TO" (ISO dates, an open end
    left empty). `by` names the breakdowns, from the keys of `orders`; admin-data
    measures break down by area only. With `suppress` false nothing is hidden: for
    signed-in staff only. Raises ValueError on a bad period, date, range or dimension,
    or when there is no data to choose a period from.
    """
    by = checked_by(by, orders)
    needed = _needed_columns(responses, measures, by)
    if period is None and date_from is None and date_to is None:
        period = _latest_period(responses, admin)
    chosen = selection(period, date_from, date_to, admin["period"].dropna().unique())
    cells = measure_cells(
        in_date_range(responses[needed], chosen.first, chosen.last),
        admin,
        periods=chosen.periods,
        by=by,
        suppress_small=suppress,
        measures=measures,
        orders=orders,
    )
    return measures_result(chosen.label, cells, measures, by)


def measures_result(
    label: str, cells: Sequence[Cell], measures: Sequence[Measure], by: Sequence[str]
) -> dict[str, Any]:
    """The JSON shape of `compute_measures` from the cells of `published_cells`."""
    return {"period": label, "measures": _measures_json(cells, measures, by)}


def to_csv(result: dict[str, Any]) -> str:
    """`result` of `compute_measures` as CSV text, one row per measure x dimension x category.

    Columns measure, outcome, dimension, category, numerator, base, percent, ci_low,
    ci_high, suppressed; the overall figure is dimension "overall", category "all";
    a hidden figure is an empty field; suppressed is "true" or "false" as in the JSON.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for measure, dimension, category, cell in _walk(result):
        figures = ["" if cell[key] is None else cell[key] for key in FIGURES]
        suppressed = "true" if cell["suppressed"] else "false"
        writer.writerow(
            [measure["id"], measure["outcome"], dimension, category, *figures, suppressed]
        )
    return out.getvalue()


def to_markdown(result: dict[str, Any]) -> str:
    """`result` of `compute_measures` as Markdown: a heading and one table per measure."""
    lines = [f"# Outcome measures, {result['period']}", ""]
    for measure in result["measures"]:
        lines += [
            f"## {measure['title']}",
            "",
            f"Outcome {measure['outcome']}, {measure['source']}, `{measure['id']}`",
            "",
            "| breakdown | category | percent | 95% interval | numerator | base |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for _, dimension, category, cell in _walk({"measures": [measure]}):
            lines.append(f"| {dimension} | {category} | {_markdown_figures(cell)} |")
        lines.append("")
    return "\n".join(lines)


def _measures_json(
    cells: Sequence[Cell], measures: Sequence[Measure], by: Sequence[str]
) -> list[dict[str, Any]]:
    by_measure: dict[str, list[dict[str, Any]]] = {}
    for record in cells:
        by_measure.setdefault(record["measure"], []).append(record)
    entries = []
    for measure in measures:
        records = by_measure[measure.id]
        # A survey measure lists every breakdown asked for, even one left empty because no
        # one is in the base; an admin-data measure lists area only where areas were given.
        breakdowns: dict[str, dict[str, Any]] = (
            {dimension: {} for dimension in by} if measure.source == SURVEY else {}
        )
        overall = next(record for record in records if record["dimension"] == OVERALL)
        for record in records:
            if record["dimension"] != OVERALL:
                breakdowns.setdefault(record["dimension"], {})[record["category"]] = _cell_json(
                    record
                )
        entries.append(
            {
                "id": measure.id,
                "outcome": measure.outcome,
                "title": measure.title,
                "source": measure.source,
                "overall": _cell_json(overall),
                "breakdowns": breakdowns,
            }
        )
    return entries


def _cell_json(record: dict[str, Any]) -> dict[str, Any]:
    cell: dict[str, Any] = {
        "numerator": _plain(record["numerator"], int),
        "base": _plain(record["base"], int),
        "percent": _plain(record["percent"], float),
        "ci_low": _plain(record["ci_low"], float),
        "ci_high": _plain(record["ci_high"], float),
        "suppressed": bool(record["suppressed"]),
    }
    if cell["suppressed"]:
        cell["reason"] = record["reason"]
    return cell


def _plain(value: Any, kind: type) -> Any:
    """A JSON-ready int or float, or None for a missing value (None, NaN)."""
    return None if value is None or value != value else kind(value)


def _walk(result: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str, str, dict[str, Any]]]:
    for measure in result["measures"]:
        yield measure, OVERALL, "all", measure["overall"]
        for dimension, categories in measure["breakdowns"].items():
            for category, cell in categories.items():
                yield measure, dimension, category, cell


def _markdown_figures(cell: dict[str, Any]) -> str:
    if cell["suppressed"]:
        why = _WHY_HIDDEN.get(cell.get("reason"), "hidden")
        return f"{why} | | | |"
    if cell["percent"] is None:
        return f"no answers | | {cell['numerator']} | {cell['base']}"
    return (
        f"{cell['percent']:.1f}% | {cell['ci_low']:.1f} to {cell['ci_high']:.1f} "
        f"| {cell['numerator']} | {cell['base']}"
    )


def checked_by(by: Sequence[str], orders: dict[str, tuple[str, ...]]) -> list[str]:
    """`by` without repeats; ValueError naming any dimension not in `orders`."""
    unknown = [dimension for dimension in by if dimension not in orders]
    if unknown:
        raise ValueError(
            f"cannot break down by {', '.join(unknown)}; choose from {', '.join(orders)}"
        )
    return list(dict.fromkeys(by))


def _needed_columns(
    responses: pd.DataFrame, measures: Sequence[Measure], by: Sequence[str]
) -> list[str]:
    """The columns the measures read; cutting to these first makes filtering cheap."""
    wanted = ["audience", "submitted_at", *by]
    wanted += [question for measure in measures for question in measure.questions]
    return [column for column in dict.fromkeys(wanted) if column in responses.columns]


def _latest_period(responses: pd.DataFrame, admin: pd.DataFrame) -> str:
    # Names like "2025/26" sort in time order as text.
    present = set(periods_present(responses)) | set(admin["period"].dropna())
    if not present:
        raise ValueError("no period given, and no responses or admin data to take one from")
    return max(present)
