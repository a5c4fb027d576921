"""Small input frames for the analysis tests, shaped like the app's loader output."""

from pathlib import Path

import pandas as pd

FIXTURES = Path(__file__).parent / "fixtures"
SURVEYS = {"child": "children", "young_person": "young-people", "parent_carer": "parent-carers"}
IN_2025_26 = "2025-10-01T12:00:00Z"


def answers(n: int = 1, **values: str | None) -> list[dict[str, str | None]]:
    """`n` identical responses' answers, e.g. answers(3, cares_about_opinion="always")."""
    return [dict(values) for _ in range(n)]


def make_responses(rows: list[dict[str, str | None]]) -> pd.DataFrame:
    """A responses frame from one dict of answers per response.

    `audience` defaults to young_person and `submitted_at` to a date in 2025/26; a
    question column exists only if some row names it, as when a survey is not loaded.
    """
    frame = pd.DataFrame(
        [{"audience": "young_person", "submitted_at": IN_2025_26, **row} for row in rows]
    )
    return _loader_shape(frame)


def read_responses(name: str) -> pd.DataFrame:
    """A responses frame from the CSV fixture `name` (empty cells are unanswered)."""
    return _loader_shape(pd.read_csv(FIXTURES / name, dtype="str", keep_default_na=False))


def make_admin(rows: list[tuple[str, str, str | None, int, int]]) -> pd.DataFrame:
    """An admin frame from (measure, period, area or None, numerator, denominator) rows."""
    return pd.DataFrame(
        rows, columns=["measure", "period", "area", "numerator", "denominator"]
    ).astype({"measure": "str", "period": "str", "area": "str"})


def _loader_shape(frame: pd.DataFrame) -> pd.DataFrame:
    questions = [c for c in frame.columns if c not in ("audience", "submitted_at")]
    shaped = frame.replace("", None).astype(dict.fromkeys(questions, "str"))
    return shaped.assign(
        response_id=range(1, len(frame) + 1),
        survey=frame["audience"].map(SURVEYS).astype("str"),
        audience=frame["audience"].astype("str"),
        submitted_at=pd.to_datetime(frame["submitted_at"], utc=True).astype("datetime64[ns, UTC]"),
    ).astype({"response_id": "int64"})[
        ["response_id", "survey", "audience", "submitted_at", *questions]
    ]
