"""Synthetic survey responses and admin data, shaped like the app's loader output.

Proportions are made up but plausible: more parent carers than children answer, most
people answer the rating questions, a few say `not_sure` or skip, and the "about you"
questions are skipped or declined more often. Everything is drawn with numpy from a
seeded generator, so the same arguments give the same frame.
"""

import datetime as dt

import numpy as np
import pandas as pd

from analysis.definitions import ALL_AUDIENCES, DIMENSION_ORDERS, PREFER_NOT_TO_SAY
from analysis.periods import LONDON, period_dates

SURVEYS = {"child": "children", "young_person": "young-people", "parent_carer": "parent-carers"}
AUDIENCE_SHARE = (0.25, 0.30, 0.45)

CYP_QUESTIONS = (
    "cares_about_opinion",
    "safe_in_community",
    "belong_in_community",
    "safe_at_setting",
    "belong_at_setting",
)
CHARTER_QUESTIONS = (
    "charter_welcome_care",
    "charter_value_include",
    "charter_communicate_respectfully",
    "charter_partnership",
)

# (options, probabilities); the share of skips is drawn separately.
FREQUENCY = (
    ("always", "mostly", "sometimes", "never", "not_sure"),
    (0.32, 0.30, 0.22, 0.09, 0.07),
)
TOLD = (("yes", "a_little", "no", "not_sure"), (0.25, 0.30, 0.33, 0.12))
EFFECTIVENESS = (
    ("very_effective", "effective", "neither", "ineffective", "very_ineffective", "not_sure"),
    (0.12, 0.30, 0.25, 0.14, 0.09, 0.10),
)
AREA_SHARE = (0.38, 0.10, 0.10, 0.08, 0.06, 0.04, 0.05, 0.14, 0.05)
SETTING_SHARE = (0.55, 0.15, 0.10, 0.05, 0.06, 0.05, 0.04)
SUPPORT_SHARE = (0.45, 0.35, 0.10, 0.10)
CHILD_AGES = ("under_5", "5_to_7", "8_to_10")
YOUNG_PERSON_AGES = ("11_to_13", "14_to_15", "16_to_17", "18_to_25")

RATING_SKIP = 0.05
ABOUT_YOU_SKIP = 0.08
ABOUT_YOU_DECLINED = 0.03


def generate_responses(n: int, *, seed: int = 0, period: str = "2025/26") -> pd.DataFrame:
    """`n` synthetic responses submitted at random moments within academic `period`.

    Columns as the app's loader produces them: response_id, survey, audience,
    submitted_at (datetime64[ns, UTC]), then one string column per question, missing
    where the survey does not ask the question or the respondent skipped it.
    """
    rng = np.random.default_rng(seed)
    audience = np.asarray(ALL_AUDIENCES, dtype=object)[
        rng.choice(len(ALL_AUDIENCES), size=n, p=AUDIENCE_SHARE)
    ]
    is_parent = audience == "parent_carer"
    is_child = audience == "child"
    columns: dict[str, object] = {
        "response_id": np.arange(1, n + 1, dtype="int64"),
        "survey": pd.Series(audience).map(SURVEYS).to_numpy(dtype=object),
        "audience": audience,
        "submitted_at": _timestamps(rng, n, period),
    }
    for question in CYP_QUESTIONS:
        columns[question] = _answers(rng, n, *FREQUENCY, skip=RATING_SKIP, asked=~is_parent)
    columns["told_how_views_used"] = _answers(rng, n, *TOLD, skip=RATING_SKIP)
    columns["coproduction_overall"] = _answers(
        rng, n, *EFFECTIVENESS, skip=RATING_SKIP, asked=is_parent
    )
    for question in CHARTER_QUESTIONS:
        columns[question] = _answers(rng, n, *FREQUENCY, skip=RATING_SKIP, asked=is_parent)
    columns["area"] = _about_you(rng, n, DIMENSION_ORDERS["area"], AREA_SHARE)
    columns["age_band"] = _age_bands(rng, n, is_child, is_parent)
    columns["setting"] = _about_you(rng, n, DIMENSION_ORDERS["setting"], SETTING_SHARE)
    columns["support"] = _about_you(rng, n, DIMENSION_ORDERS["support"], SUPPORT_SHARE)
    frame = pd.DataFrame(columns)
    text = [column for column in frame.columns if column not in ("response_id", "submitted_at")]
    return frame.astype(dict.fromkeys(text, "str"))


def generate_admin(periods: tuple[str, ...] = ("2025/26",), *, seed: int = 0) -> pd.DataFrame:
    """Admin-data counts for the three admin-data measures: per area, plus a county row."""
    rng = np.random.default_rng(seed)
    areas = DIMENSION_ORDERS["area"]
    rows = []
    for period in periods:
        for measure, rate in (
            ("o2_ehcp_reviews_with_family", 0.7),
            ("o5_ehcp_short_breaks", 0.3),
            ("o5_good_attendance", 0.8),
        ):
            denominators = rng.integers(5, 400, size=len(areas))
            numerators = rng.binomial(denominators, rate)
            rows += [
                (measure, period, area, int(num), int(den))
                for area, num, den in zip(areas, numerators, denominators, strict=True)
            ]
            rows.append((measure, period, None, int(numerators.sum()), int(denominators.sum())))
    return pd.DataFrame(
        rows, columns=["measure", "period", "area", "numerator", "denominator"]
    ).astype({"measure": "str", "period": "str", "area": "str"})


def _timestamps(rng: np.random.Generator, n: int, period: str) -> pd.Series:
    first_day, last_day = period_dates(period)
    start = pd.Timestamp(first_day).tz_localize(LONDON).value
    end = pd.Timestamp(last_day + dt.timedelta(days=1)).tz_localize(LONDON).value
    nanoseconds = rng.integers(start, end, size=n)
    return pd.Series(pd.to_datetime(nanoseconds, unit="ns", utc=True)).astype("datetime64[ns, UTC]")


def _answers(
    rng: np.random.Generator,
    n: int,
    options: tuple[str, ...],
    probabilities: tuple[float, ...],
    *,
    skip: float,
    asked: np.ndarray | None = None,
) -> np.ndarray:
    """Answers drawn with `probabilities`; None where skipped or not asked."""
    values = np.asarray(options, dtype=object)[rng.choice(len(options), size=n, p=probabilities)]
    unanswered = rng.random(n) < skip
    if asked is not None:
        unanswered |= ~asked
    values[unanswered] = None
    return values


def _about_you(
    rng: np.random.Generator, n: int, options: tuple[str, ...], shares: tuple[float, ...]
) -> np.ndarray:
    values = _answers(rng, n, options, shares, skip=ABOUT_YOU_SKIP)
    values[rng.random(n) < ABOUT_YOU_DECLINED] = PREFER_NOT_TO_SAY
    return values


def _age_bands(
    rng: np.random.Generator, n: int, is_child: np.ndarray, is_parent: np.ndarray
) -> np.ndarray:
    """Children pick the under-11 bands, young people the older ones, parents any."""
    every_band = CHILD_AGES + YOUNG_PERSON_AGES
    young = _about_you(rng, n, YOUNG_PERSON_AGES, (0.3, 0.3, 0.25, 0.15))
    child = _about_you(rng, n, CHILD_AGES, (0.15, 0.4, 0.45))
    parent = _about_you(rng, n, every_band, (0.08, 0.17, 0.2, 0.2, 0.15, 0.12, 0.08))
    return np.where(is_parent, parent, np.where(is_child, child, young))
