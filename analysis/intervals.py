"""Percentages, Wilson score intervals and the rounding every published figure uses."""

import numpy as np
import numpy.typing as npt

Z_95 = 1.96

# Why the nudge: a percentage like 100 * 247 / 2000 = 12.35 is stored as the binary
# float 12.349999999999999644..., so plain floor(x * 10 + 0.5) would give 12.3, not 12.4.
# For a ratio of integers 100 * n / b, 10 * x lies either exactly on a half or at least
# 1 / (2b) away from one, so a nudge of 1e-9 moves every true half up and nothing else
# for any base below 500 million; float error in 10 * x is around 1e-13, far below it.
_HALF_NUDGE = 1e-9


def round_half_away(values: npt.ArrayLike) -> np.ndarray:
    """`values` rounded to 1 decimal place, halves away from zero (12.25 -> 12.3).

    NaN stays NaN. Exact for percentages of integer counts with a base under 500 million
    (see _HALF_NUDGE); -0.0 is returned as 0.0.
    """
    x = np.asarray(values, dtype="float64")
    rounded = np.sign(x) * np.floor(np.abs(x) * 10 + 0.5 + _HALF_NUDGE) / 10
    return rounded + 0.0  # turns -0.0 into 0.0


def percent(numerator: npt.ArrayLike, base: npt.ArrayLike) -> np.ndarray:
    """100 * numerator / base, unrounded; NaN where the base is 0."""
    n = np.asarray(numerator, dtype="float64")
    b = np.asarray(base, dtype="float64")
    return np.divide(100 * n, b, out=np.full(b.shape, np.nan), where=b > 0)


def wilson_interval(
    numerator: npt.ArrayLike, base: npt.ArrayLike, z: float = Z_95
) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval for numerator/base, in percent, unrounded.

    low = (p + z²/2n - z * sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), high with +; clipped to
    [0, 100] because at p = 0 or 1 float error can step just outside. NaN where n = 0.
    """
    n = np.asarray(base, dtype="float64")
    safe_n = np.where(n > 0, n, 1.0)
    p = np.asarray(numerator, dtype="float64") / safe_n
    z2 = z * z
    denominator = 1 + z2 / safe_n
    centre = (p + z2 / (2 * safe_n)) / denominator
    half_width = z * np.sqrt(p * (1 - p) / safe_n + z2 / (4 * safe_n**2)) / denominator
    low = np.where(n > 0, np.clip(centre - half_width, 0.0, 1.0) * 100, np.nan)
    high = np.where(n > 0, np.clip(centre + half_width, 0.0, 1.0) * 100, np.nan)
    return low, high
