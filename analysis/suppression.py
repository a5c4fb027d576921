"""Disclosure control: which cells may be published (measures.md, "Disclosure control").

Works on cells as records (dicts with keys measure, dimension, category, numerator,
base, and usually percent, ci_low, ci_high), as `analysis.results.published_cells`
passes them, or on the same cells as a DataFrame. Every function returns new cells with
two more keys:

- `suppressed`: bool;
- `reason`: "small" (base under the threshold: "fewer than 10 answers"), "secondary"
  (hidden so that a small cell cannot be recovered by subtraction: "hidden to protect a
  small group"), or None for a published cell.

A suppressed cell has numerator, base, percent, ci_low and ci_high all missing.

The rules are worked in plain Python over the records: a request has a few hundred
cells, and pandas' fixed cost per operation was most of the time of serving one.
"""

from collections import Counter
from collections.abc import Sequence
from typing import Any

import pandas as pd

from analysis.definitions import DIMENSION_ORDERS, category_order
from analysis.measures import OVERALL

THRESHOLD = 10
SMALL = "small"
SECONDARY = "secondary"
FIGURES = ["numerator", "base", "percent", "ci_low", "ci_high"]

Cell = dict[str, Any]


def suppressed_cells(
    cells: Sequence[Cell],
    orders: dict[str, tuple[str, ...]] = DIMENSION_ORDERS,
    threshold: int = THRESHOLD,
) -> list[Cell]:
    """`cells` as the public may see them: primary then secondary suppression applied.

    Primary: a cell whose base is under `threshold` is suppressed ("small"). Secondary:
    within one measure's breakdown dimension, if exactly one category is suppressed
    while the measure's overall cell is published, the published category with the
    smallest base is suppressed too ("secondary"); ties go to the category first in
    the dimension's option order (`not_stated` last).
    """
    marked = [_primary(cell, threshold) for cell in cells]
    published_overall = {
        cell["measure"]
        for cell in marked
        if cell["dimension"] == OVERALL and not cell["suppressed"]
    }
    hidden = Counter((cell["measure"], cell["dimension"]) for cell in marked if cell["suppressed"])
    rank = _category_ranks(marked, orders)
    # Smallest base first, then option order, then the first seen: the cell to hide.
    chosen: dict[tuple[str, str], tuple[int, int, int]] = {}
    for index, cell in enumerate(marked):
        group = (cell["measure"], cell["dimension"])
        exposed = (
            cell["dimension"] != OVERALL
            and cell["measure"] in published_overall
            and hidden[group] == 1
        )
        if exposed and not cell["suppressed"]:
            candidate = (cell["base"], rank[(cell["dimension"], cell["category"])], index)
            chosen[group] = min(chosen.get(group, candidate), candidate)
    for _base, _rank, index in chosen.values():
        marked[index].update(suppressed=True, reason=SECONDARY)
    return [_blanked(cell) if cell["suppressed"] else cell for cell in marked]


def staff_cells(cells: Sequence[Cell]) -> list[Cell]:
    """`cells` with every figure shown: nothing suppressed, for signed-in staff only."""
    return [{**cell, "suppressed": False, "reason": None} for cell in cells]


def suppress(
    cells: pd.DataFrame,
    orders: dict[str, tuple[str, ...]] = DIMENSION_ORDERS,
    threshold: int = THRESHOLD,
) -> pd.DataFrame:
    """`suppressed_cells` for a frame of cells; numerator and base become Int64."""
    suppressed = suppressed_cells(cells.to_dict("records"), orders, threshold)
    return _frame(suppressed, cells).astype({"numerator": "Int64", "base": "Int64"})


def staff_view(cells: pd.DataFrame) -> pd.DataFrame:
    """`staff_cells` for a frame of cells."""
    return _frame(staff_cells(cells.to_dict("records")), cells)


def mark_primary(cells: pd.DataFrame, threshold: int = THRESHOLD) -> pd.DataFrame:
    """`cells` with `reason` "small" where the base is under `threshold`, else None."""
    return _frame([_primary(cell, threshold) for cell in cells.to_dict("records")], cells)


def _primary(cell: Cell, threshold: int) -> Cell:
    small = bool(cell["base"] < threshold)
    return {**cell, "reason": SMALL if small else None, "suppressed": small}


def _blanked(cell: Cell) -> Cell:
    return {**cell, **{name: None for name in FIGURES if name in cell}}


def _category_ranks(
    cells: Sequence[Cell], orders: dict[str, tuple[str, ...]]
) -> dict[tuple[str, str], int]:
    """Position of each (dimension, category) in its dimension's reporting order."""
    present: dict[str, set[str]] = {}
    for cell in cells:
        present.setdefault(cell["dimension"], set()).add(cell["category"])
    return {
        (dimension, category): rank
        for dimension, categories in present.items()
        for rank, category in enumerate(category_order(dimension, categories, orders))
    }


def _frame(records: list[Cell], like: pd.DataFrame) -> pd.DataFrame:
    """RECORDS as a frame with LIKE's index and columns (then suppressed and reason)."""
    columns = [*like.columns, *(name for name in ("reason", "suppressed") if name not in like)]
    frame = pd.DataFrame(records, index=like.index, columns=columns)
    # Built from records, a column of text and None would hold NaN for None.
    reasons = pd.Series([cell["reason"] for cell in records], index=like.index, dtype="object")
    return frame.assign(reason=reasons).astype({"suppressed": "bool"})
