"""Properties of disclosure control that must hold for any answers whatsoever."""

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.definitions import ALL_AUDIENCES, DIMENSION_ORDERS, FREQUENCY, TOLD
from analysis.results import compute_measures
from analysis.suppression import suppress
from tests.analysis.response_frames import make_admin, make_responses

BY = ("audience", "area", "support")
EMPTY_ADMIN = make_admin([])

# A few values per dimension so that categories are often small, sometimes tied.
response = st.fixed_dictionaries(
    {
        "audience": st.sampled_from(ALL_AUDIENCES),
        "cares_about_opinion": st.sampled_from([*FREQUENCY.options, None]),
        "told_how_views_used": st.sampled_from([*TOLD.options, None]),
        "area": st.sampled_from(["hereford", "kington", "ledbury", "prefer_not_to_say", None]),
        "support": st.sampled_from([*DIMENSION_ORDERS["support"], None]),
    }
)
# Runs of identical responses reach bases around 10 far more often than single draws.
runs = st.lists(st.tuples(response, st.integers(1, 12)), max_size=12)


def all_cells(result):
    """{(measure id, dimension, category): cell} of every cell, overall as ("overall", "all")."""
    cells = {}
    for measure in result["measures"]:
        cells[measure["id"], "overall", "all"] = measure["overall"]
        for dimension, categories in measure["breakdowns"].items():
            for category, cell in categories.items():
                cells[measure["id"], dimension, category] = cell
    return cells


def compute(runs_of_responses, suppress_small):
    rows = [dict(answers) for answers, count in runs_of_responses for _ in range(count)]
    responses = make_responses(rows or [{"audience": "child"}])
    return compute_measures(
        responses, EMPTY_ADMIN, period="2025/26", by=BY, suppress=suppress_small
    )


fast = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(runs)
def test_no_published_cell_has_a_base_under_10(runs_of_responses):
    for cell in all_cells(compute(runs_of_responses, suppress_small=True)).values():
        if not cell["suppressed"]:
            assert cell["base"] >= 10
        else:
            assert cell["base"] is None and cell["percent"] is None


@fast
@given(runs)
def test_no_breakdown_hides_exactly_one_cell_while_the_overall_is_published(runs_of_responses):
    for measure in compute(runs_of_responses, suppress_small=True)["measures"]:
        if measure["overall"]["suppressed"]:
            continue
        for dimension, categories in measure["breakdowns"].items():
            n_hidden = sum(cell["suppressed"] for cell in categories.values())
            assert n_hidden != 1, (measure["id"], dimension)


@fast
@given(runs)
def test_suppression_only_hides_it_never_changes_a_figure(runs_of_responses):
    public = all_cells(compute(runs_of_responses, suppress_small=True))
    staff = all_cells(compute(runs_of_responses, suppress_small=False))
    assert public.keys() == staff.keys()
    for key, cell in public.items():
        if not cell["suppressed"]:
            assert cell == staff[key]


@fast
@given(runs)
def test_every_breakdown_adds_up_to_the_overall_figure(runs_of_responses):
    # Every response in the base falls in exactly one category (not_stated included).
    for measure in compute(runs_of_responses, suppress_small=False)["measures"]:
        for categories in measure["breakdowns"].values():
            assert sum(cell["base"] for cell in categories.values()) == measure["overall"]["base"]
            assert (
                sum(cell["numerator"] for cell in categories.values())
                == measure["overall"]["numerator"]
            )


AREAS = [*DIMENSION_ORDERS["area"], "not_stated"]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(AREAS), st.integers(1, 25), min_size=1))
def test_secondary_suppression_hides_the_smallest_published_base(bases):
    # Consistent cells of one dimension: the overall base is the sum of the categories'.
    rows = [("m", "overall", "all", sum(bases.values()))]
    rows += [("m", "area", area, base) for area, base in bases.items()]
    cells = pd.DataFrame(rows, columns=["measure", "dimension", "category", "base"])
    cells = suppress(cells.assign(numerator=0, percent=0.0, ci_low=0.0, ci_high=0.0))
    areas = cells.loc[cells["dimension"] == "area"]
    small = [area for area, base in bases.items() if base < 10]
    if sum(bases.values()) >= 10 and len(small) == 1:
        unsuppressed = {area: base for area, base in bases.items() if base >= 10}
        smallest = min(unsuppressed.values())
        first_tied = min(
            (area for area, base in unsuppressed.items() if base == smallest), key=AREAS.index
        )
        secondary = areas.loc[areas["reason"] == "secondary", "category"].tolist()
        assert secondary == [first_tied]
    else:
        assert "secondary" not in areas["reason"].tolist()
