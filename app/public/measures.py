"""The outcome measures for everyone: the `/measures` page and the `/api/measures` JSON.

Both are suppressed for publication (docs/measures.md, "Disclosure control"), and both
are added up from the measure counts (app/counts.py), never from every answer.
The page turns each measure into a plain sentence, a chart that needs no JavaScript, a
table of the same figures, and the trend since the first year with a figure. The staff
page (app/staff/measures.py) builds the same page unsuppressed through `measures_page`.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Response, render_template, request
from sqlalchemy.engine import Connection
from werkzeug.datastructures import MultiDict

from analysis.definitions import DEFAULT_BY
from analysis.load import NothingToMeasure
from analysis.suppression import SECONDARY, SMALL
from app.counts import CountedMeasures, measures_from_counts
from app.db import get_session
from app.measures_cli import parse_by, to_json
from app.public.busy import one_of_the_slots
from app.public.views import blueprint

PAGE_BY = ("audience",)

WHY_HIDDEN = {SMALL: "fewer than 10 answers", SECONDARY: "hidden to protect a small group"}


@dataclass(frozen=True)
class Wording:
    """How the page talks about a measure: a short heading and the end of its sentence."""

    heading: str
    # Follows "78 in every 100 ".
    sentence: str


WORDING: dict[str, Wording] = {
    "o2_opinion_cared_about": Wording(
        "Their opinion matters",
        "children and young people said the people who look after them care about their opinion",
    ),
    "o2_ehcp_reviews_with_family": Wording(
        "EHC plan reviews with the family",
        "annual reviews of EHC plans were done with the child and their parent or carer, "
        "or with the young person",
    ),
    "o2_told_how_views_used": Wording(
        "Told how their views were used",
        "children, young people and parent carers said they were told how their views "
        "had been used",
    ),
    "o5_coproduction_effective": Wording(
        "Working together works", "parent carers said working together with us is effective"
    ),
    "o5_coproduction_effective.charter_welcome_care": Wording(
        "Charter: we welcome and show care",
        "parent carers said we always or mostly welcome them and show care",
    ),
    "o5_coproduction_effective.charter_value_include": Wording(
        "Charter: we value and include everyone",
        "parent carers said we always or mostly value and include everyone",
    ),
    "o5_coproduction_effective.charter_communicate_respectfully": Wording(
        "Charter: we communicate respectfully",
        "parent carers said we always or mostly communicate respectfully",
    ),
    "o5_coproduction_effective.charter_partnership": Wording(
        "Charter: we work in partnership",
        "parent carers said we always or mostly work well in partnership with them",
    ),
    "o5_ehcp_short_breaks": Wording(
        "Short breaks",
        "children and young people with an EHC plan are going to short break activities",
    ),
    "o5_safe_belong_community": Wording(
        "Safe and belonging in their community",
        "children and young people said they feel safe and that they belong in their "
        "local community",
    ),
    "o5_safe_belong_setting": Wording(
        "Safe and belonging where they learn",
        "children and young people said they feel safe and that they belong at their "
        "school, college or other place of learning",
    ),
    "o5_good_attendance": Wording(
        "Good attendance at school",
        "children with SEND have good attendance at school: they are there for at least "
        "9 in every 10 sessions",
    ),
}

DIMENSION_LABELS = {
    "audience": "who answered",
    "area": "where they live",
    "age_band": "age",
    "setting": "where they learn",
    "support": "support for special educational needs",
}

CATEGORY_LABELS = {
    "all": "All",
    "not_stated": "Not stated",
    "child": "Children (under 11)",
    "young_person": "Young people (11 to 25)",
    "parent_carer": "Parent carers",
    "ross_on_wye": "Ross-on-Wye",
    "golden_valley": "Golden Valley",
    "other_herefordshire": "Elsewhere in Herefordshire",
    "outside_herefordshire": "Outside Herefordshire",
    "under_5": "Under 5",
    "ehc_plan": "EHC plan",
    "sen_support": "SEN support",
    "none": "No extra support",
    "not_sure": "Not sure",
    "other": "Somewhere else",
}


@dataclass
class Figure:
    """One cell of a measure, ready to read: a label, its figures or why they are hidden."""

    label: str
    cell: dict[str, Any]
    # Staff only: the reason ("small", "secondary") the public page hides this figure.
    hidden_in_public: str | None = None

    @property
    def hidden(self) -> str | None:
        """Why the figure is hidden ("fewer than 10 answers"), or None when shown."""
        if not self.cell["suppressed"]:
            return None
        return WHY_HIDDEN.get(self.cell.get("reason"), "hidden")

    @property
    def public_note(self) -> str:
        """Staff only: whether the public sees this figure, and if not, why."""
        if self.hidden_in_public == SECONDARY:
            return "Hidden to protect a small group"
        if self.hidden_in_public is not None:
            return "Hidden: fewer than 10 answers"
        return "Shown"

    @property
    def empty(self) -> bool:
        return not self.cell["suppressed"] and not self.cell["base"]

    @property
    def whole(self) -> int | None:
        """The percentage to the nearest whole number, halves up, from the exact counts."""
        if self.hidden or self.empty:
            return None
        numerator, base = self.cell["numerator"], self.cell["base"]
        # round(100 n / b) with halves up, in integers: no float can tip it.
        return (200 * numerator + base) // (2 * base)


@dataclass
class TrendPoint:
    period: str
    figure: Figure
    is_baseline: bool = False
    # Against the baseline, in words; worked out from the published, rounded figures so
    # that a reader who subtracts them gets the same answer.
    change: str | None = None


@dataclass
class MeasureView:
    """Everything the page shows for one measure."""

    id: str
    outcome: int
    title: str
    source: str
    heading: str
    sentence: str
    overall: Figure
    breakdowns: list[tuple[str, list[Figure]]]
    trend: list[TrendPoint] = field(default_factory=list)
    baseline: TrendPoint | None = None


@blueprint.get("/api/measures")
@one_of_the_slots
def api_measures():
    """The JSON of `flask --app wsgi measures --format json`, with the same options."""
    try:
        result = measures_from_counts(
            get_session().connection(), **measure_options(request.args, DEFAULT_BY)
        )
    except ValueError as error:
        return {"error": str(error)}, 400
    except NothingToMeasure as error:
        return {"error": str(error)}, 404
    return Response(to_json(result), mimetype="application/json")


@blueprint.get("/measures")
@one_of_the_slots
def measures():
    return measures_page("public/measures.html", suppress=True)


def measures_page(template: str, *, suppress: bool, **context: Any):
    """Render `template` with the measures for the request's options.

    Bad options give the page back with an error summary and status 400. With `suppress`
    false (staff only) every figure is shown and each says whether the public sees it.
    """
    options = measure_options(request.args, PAGE_BY)
    context.update(
        title="Outcome measures",
        options=options,
        dimension_items=_dimension_items(options["by"]),
        errors=[],
    )
    try:
        figures = page_figures(get_session().connection(), options, suppress=suppress)
    except ValueError as error:
        context["errors"] = [{"text": _sentence_case(str(error)), "href": "#period"}]
        return render_template(template, **context, periods=[], result=None), 400
    context.update(figures)
    return render_template(template, **context)


def measure_options(args: MultiDict[str, str], default_by: Sequence[str]) -> dict[str, Any]:
    """The options of `compute_measures` from query arguments period, from, to and by.

    `by` may be repeated or comma-separated; absent, it is `default_by`; empty, none.
    """
    by_values = args.getlist("by")
    by = (
        list(default_by)
        if not by_values
        else [dimension for value in by_values for dimension in parse_by(value)]
    )
    return {
        "period": args.get("period") or None,
        "date_from": args.get("from") or None,
        "date_to": args.get("to") or None,
        "by": by,
    }


def page_figures(
    connection: Connection, options: Mapping[str, Any], *, suppress: bool
) -> dict[str, Any]:
    """The page's figures: the measures for the options, and each one's trend over
    every period with a response or admin data. Raises ValueError for bad options.
    """
    counted = CountedMeasures(connection)
    periods = counted.periods()
    if not (options["period"] or options["date_from"] or options["date_to"]):
        # The same default as /api/measures: never a year after today's.
        options = {**options, "period": counted.latest_period()}
        if options["period"] is None:
            return {"periods": [], "result": None, "measures": []}

    def compute(public: bool, **chosen: Any) -> dict[str, Any]:
        return counted.result(suppress=public, **chosen)

    result = compute(suppress, **options)
    public = result if suppress else compute(True, **options)
    public_trends = {period: compute(True, period=period, by=()) for period in periods}
    trends = (
        public_trends
        if suppress
        else {period: compute(False, period=period, by=()) for period in periods}
    )
    views = [
        _measure_view(entry, public_entry)
        for entry, public_entry in zip(result["measures"], public["measures"], strict=True)
    ]
    for view in views:
        _add_trend(view, trends, public_trends)
    if options["period"] and options["period"] not in periods:
        periods = sorted([*periods, options["period"]])
    return {
        "periods": periods,
        "result": result,
        "period_label": period_label(result["period"]),
        "measures": views,
    }


def period_label(name: str) -> str:
    """A period or range as words: "2025/26", or "1 September 2025 to 31 March 2026"."""
    if ".." not in name:
        return name
    first, last = (_long_date(part) for part in name.split(".."))
    if first and last:
        return f"{first} to {last}"
    return f"from {first}" if first else f"up to {last}"


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category) or category.replace("_", " ").capitalize()


def change_words(change: float, baseline_period: str) -> str:
    """ "up 3.2 percentage points on 2024/25", or "the same as 2024/25"."""
    points = round(abs(change), 1)
    if points == 0:
        return f"the same as {baseline_period}"
    unit = "percentage point" if points == 1 else "percentage points"
    return f"{'up' if change > 0 else 'down'} {points:.1f} {unit} on {baseline_period}"


def _measure_view(entry: dict[str, Any], public_entry: dict[str, Any]) -> MeasureView:
    wording = WORDING[entry["id"]]
    overall = _figure("all", entry["overall"], public_entry["overall"])
    # An overall figure is only ever hidden for being small: secondary suppression hides
    # categories of a breakdown, never the overall figure.
    if overall.hidden:
        sentence = "We cannot show this figure: there were fewer than 10 answers."
    elif overall.empty:
        sentence = "There are no answers for this yet."
    else:
        sentence = f"{overall.whole} in every 100 {wording.sentence}."
    breakdowns = [
        (
            DIMENSION_LABELS.get(dimension, dimension),
            [
                _figure(category, cell, public_entry["breakdowns"][dimension][category])
                for category, cell in categories.items()
            ],
        )
        for dimension, categories in entry["breakdowns"].items()
    ]
    return MeasureView(
        id=entry["id"],
        outcome=entry["outcome"],
        title=entry["title"],
        source=entry["source"],
        heading=wording.heading,
        sentence=sentence,
        overall=overall,
        breakdowns=breakdowns,
    )


def _add_trend(
    view: MeasureView,
    trends: dict[str, dict[str, Any]],
    public_trends: dict[str, dict[str, Any]],
) -> None:
    """The measure's overall figure in each period, against the first period with one.

    The baseline is the first period whose figure the public sees, on the staff page too,
    so that both compare with the same year.
    """
    for period, result in trends.items():
        cell = _overall_of(result, view.id)
        public_cell = _overall_of(public_trends[period], view.id)
        figure = _figure(period, cell, public_cell, label=period)
        point = TrendPoint(period, figure)
        published = Figure(period, public_cell).whole is not None
        if view.baseline is None and published:
            point.is_baseline = True
            view.baseline = point
        elif view.baseline is not None and figure.whole is not None:
            change = figure.cell["percent"] - view.baseline.figure.cell["percent"]
            point.change = change_words(change, view.baseline.period)
        view.trend.append(point)


def _overall_of(result: dict[str, Any], measure_id: str) -> dict[str, Any]:
    return next(entry["overall"] for entry in result["measures"] if entry["id"] == measure_id)


def _figure(
    category: str, cell: dict[str, Any], public_cell: dict[str, Any], label: str | None = None
) -> Figure:
    hidden_in_public = None
    if not cell["suppressed"] and public_cell["suppressed"]:
        hidden_in_public = public_cell.get("reason") or SMALL
    return Figure(label or category_label(category), cell, hidden_in_public)


def _dimension_items(by: Sequence[str]) -> list[dict[str, Any]]:
    chosen = by[0] if by else ""
    items = [{"value": "", "text": "Nothing: everyone together", "selected": chosen == ""}]
    items += [
        {"value": dimension, "text": label.capitalize(), "selected": dimension == chosen}
        for dimension, label in DIMENSION_LABELS.items()
    ]
    return items


def _long_date(text: str) -> str:
    if not text:
        return ""
    day = dt.date.fromisoformat(text)
    return f"{day.day} {day:%B %Y}"


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]
