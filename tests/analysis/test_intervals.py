from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest

from analysis.intervals import percent, round_half_away, wilson_interval


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12.25, 12.3),  # exactly representable half: away from zero
        (100 * 247 / 2000, 12.4),  # 12.35, stored as 12.3499999999999996...: still up
        (100 * 2 / 3, 66.7),  # 66.666...
        (100 * 1 / 3, 33.3),  # 33.333...
        (1.45, 1.5),  # stored as 1.4499999999999999556
        (12.349, 12.3),  # below the half: down
        (-12.25, -12.3),  # away from zero on the negative side too
        (0.04, 0.0),
        (100.0, 100.0),
    ],
)
def test_rounds_half_away_from_zero_to_one_place(value, expected):
    assert round_half_away([value])[0] == expected


def test_rounding_matches_decimal_for_every_percentage_of_small_counts():
    # Reference: Decimal arithmetic on 100 * n / b, which has no binary error, rounded
    # ROUND_HALF_UP (halves away from zero). Every n/b with b up to 400 is checked, which
    # includes every kind of exact half (b = 8, 16, 40, 80, 200, 400 ...).
    pairs = [(n, b) for b in range(1, 401) for n in range(b + 1)]
    numerators = np.array([n for n, _ in pairs])
    bases = np.array([b for _, b in pairs])
    expected = [
        float((Decimal(100 * n) / Decimal(b)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
        for n, b in pairs
    ]
    np.testing.assert_array_equal(round_half_away(percent(numerators, bases)), expected)


def test_rounding_keeps_nan_and_never_gives_negative_zero():
    rounded = round_half_away([np.nan, -0.0, -0.04])
    assert np.isnan(rounded[0])
    assert not np.signbit(rounded[1:]).any()


def test_percent_is_nan_for_an_empty_base():
    np.testing.assert_array_equal(percent([3, 0], [4, 0]), [75.0, np.nan])


def test_wilson_interval_for_none_of_ten():
    # n = 10, p = 0, z² = 3.8416: denominator 1 + 3.8416/10 = 1.38416.
    # centre = (0 + 3.8416/20) / 1.38416 = 0.19208 / 1.38416 = 0.138770
    # half   = 1.96 * sqrt(0 + 3.8416/400) / 1.38416 = 1.96 * 0.098 / 1.38416 = 0.138770
    # so low = 0 and high = 0.277540 -> 27.8%.
    low, high = wilson_interval([0], [10])
    assert round_half_away(low)[0] == 0.0
    assert round_half_away(high)[0] == 27.8
    assert low[0] >= 0.0


def test_wilson_interval_for_ten_of_ten():
    # Mirror image of 0/10: low = 1 - 0.277540 = 0.722460 -> 72.2%, high = 100%.
    low, high = wilson_interval([10], [10])
    assert round_half_away(low)[0] == 72.2
    assert round_half_away(high)[0] == 100.0
    assert high[0] <= 100.0


def test_wilson_interval_for_half_of_ten():
    # p = 0.5: centre = (0.5 + 0.19208) / 1.38416 = 0.5
    # half = 1.96 * sqrt(0.025 + 0.009604) / 1.38416 = 1.96 * 0.186021 / 1.38416 = 0.263409
    # -> 23.7% to 76.3%.
    low, high = wilson_interval([5], [10])
    assert round_half_away(low)[0] == 23.7
    assert round_half_away(high)[0] == 76.3


def test_wilson_interval_is_nan_for_an_empty_base():
    low, high = wilson_interval([0], [0])
    assert np.isnan(low[0])
    assert np.isnan(high[0])
