"""Disclosure control: which cells may be published (measures.md, "Disclosure control").

Works on the cell frames of `analysis.measures` (columns measure, dimension, category,
numerator, base, and usually percent, ci_low, ci_high). Every function returns a new
frame with two more columns:

- `suppressed`: bool;
- `reason`: "small" (base under the threshold: "fewer than 10 answers"), "secondary"
  (hidden so that a small cell cannot be recovered by subtraction: "hidden to protect a
  small group"), or None for a published cell.

A suppressed cell has numerator, base, percent, ci_low and ci_high all missing.
"""

import numpy as np
import pandas as pd

from analysis.definitions import DIMENSION_ORDERS, category_order
from analysis.measures import OVERALL

THRESHOLD = 10
SMALL = "small"
SECONDARY = "secondary"
FIGURES = ["numerator", "base", "percent", "ci_low", "ci_high"]


def suppress(
    cells: pd.DataFrame,
    orders: dict[str, tuple[str, ...]] = DIMENSION_ORDERS,
    threshold: int = THRESHOLD,
) -> pd.DataFrame:
    """`cells` as the public may see them: primary then secondary suppression applied.

    Primary: a cell whose base is under `threshold` is suppressed ("small"). Secondary:
    within one measure's breakdown dimension, if exactly one category is suppressed
    while the measure's overall cell is published, the published category with the
    smallest base is suppressed too ("secondary"); ties go to the category first in
    the dimension's option order (`not_stated` last).
    """
    return cells.pipe(mark_primary, threshold).pipe(mark_secondary, orders).pipe(_blank_suppressed)


def staff_view(cells: pd.DataFrame) -> pd.DataFrame:
    """`cells` with every figure shown: nothing suppressed, for signed-in staff only."""
    return cells.assign(suppressed=False, reason=None)


def mark_primary(cells: pd.DataFrame, threshold: int = THRESHOLD) -> pd.DataFrame:
    """`cells` with `reason` "small" where the base is under `threshold`, else None."""
    small = cells["base"] < threshold
    return cells.assign(
        reason=pd.Series(np.where(small, SMALL, None), index=cells.index, dtype="object"),
        suppressed=small,
    )


def mark_secondary(
    cells: pd.DataFrame, orders: dict[str, tuple[str, ...]] = DIMENSION_ORDERS
) -> pd.DataFrame:
    """`cells` (already through `mark_primary`) with secondary suppression marked.

    See `suppress` for the rule. Cells hidden here get `reason` "secondary".
    """
    is_overall = cells["dimension"] == OVERALL
    published_overall = cells.loc[is_overall & ~cells["suppressed"], "measure"]
    hidden_in_dimension = cells.groupby(["measure", "dimension"])["suppressed"].transform("sum")
    exposed = ~is_overall & cells["measure"].isin(published_overall) & (hidden_in_dimension == 1)
    ranked = cells.assign(_rank=_category_rank(cells, orders))
    candidates = ranked.loc[exposed & ~cells["suppressed"]]
    # Smallest base first, then option order: the first candidate of each dimension is
    # the one to hide.
    chosen = (
        candidates.sort_values(["base", "_rank"], kind="stable")
        .drop_duplicates(["measure", "dimension"])
        .index
    )
    secondary = cells.index.isin(chosen)
    return cells.assign(
        reason=cells["reason"].mask(secondary, SECONDARY),
        suppressed=cells["suppressed"] | secondary,
    )


def _blank_suppressed(cells: pd.DataFrame) -> pd.DataFrame:
    present = [column for column in FIGURES if column in cells.columns]
    blanked = cells.astype({"numerator": "Int64", "base": "Int64"})
    blanked[present] = blanked[present].mask(blanked["suppressed"], axis=0)
    return blanked


def _category_rank(cells: pd.DataFrame, orders: dict[str, tuple[str, ...]]) -> pd.Series:
    """Position of each cell's category in its dimension's reporting order."""
    rank = pd.Series(0, index=cells.index, dtype="int64")
    for dimension, categories in cells.groupby("dimension")["category"]:
        order = category_order(str(dimension), categories.unique(), orders)
        rank[categories.index] = categories.map({category: i for i, category in enumerate(order)})
    return rank
