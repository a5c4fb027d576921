"""`count_records`, the plain-Python counts of a send, gives exactly the counts of
`count_rows`, the pandas one, for any responses: any answers (known options, unknown
ones, blanks, prefer not to say), any audience, any instant (around midnight, the
clocks changing, the 1 September that starts a year)."""

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.counts import count_records, count_rows
from analysis.definitions import ALL_AUDIENCES
from analysis.load import CHOICE_QUESTIONS, KNOWN_OPTIONS


def answer(question: str):
    return st.sampled_from([*KNOWN_OPTIONS[question], "", "something_new", None])


responses = st.lists(
    st.fixed_dictionaries(
        {
            "survey": st.sampled_from(["children", "young-people", "parent-carers"]),
            "audience": st.sampled_from([*ALL_AUDIENCES, "someone_else"]),
            "submitted_at": st.datetimes(
                min_value=dt.datetime(2024, 3, 30), max_value=dt.datetime(2026, 11, 1)
            ).map(lambda instant: instant.replace(tzinfo=dt.UTC)),
            **{question: answer(question) for question in CHOICE_QUESTIONS},
        }
    ),
    max_size=8,
)


def as_frame(records: list[dict]) -> pd.DataFrame:
    """RECORDS as `analysis.load.load_for_counts` gives them."""
    frame = pd.DataFrame(records, columns=["survey", "audience", "submitted_at", *CHOICE_QUESTIONS])
    return frame.assign(
        response_id=range(1, len(records) + 1),
        survey=frame["survey"].astype("str"),
        audience=frame["audience"].astype("str"),
        submitted_at=pd.to_datetime(frame["submitted_at"], utc=True).astype("datetime64[ns, UTC]"),
        **{question: pd.array(frame[question], dtype="str") for question in CHOICE_QUESTIONS},
    )


def as_records(rows: pd.DataFrame) -> dict:
    return {
        (row.grain, row.start.date(), row.measure, row.dimension, row.category): (
            row.numerator,
            row.base,
        )
        for row in rows.itertuples()
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(responses)
def test_the_plain_counts_are_the_pandas_counts(records):
    assert count_records(records) == as_records(count_rows(as_frame(records)))


def test_one_response_counts_in_its_day_month_and_year():
    """Worked out by hand: a child who says they are always listened to, late on
    31 August 2025 UTC, which is 1 September in London (British Summer Time)."""
    counts = count_records(
        [
            {
                "survey": "children",
                "audience": "child",
                "submitted_at": dt.datetime(2025, 8, 31, 23, 30, tzinfo=dt.UTC),
                "cares_about_opinion": "always",
                "area": "prefer_not_to_say",
            }
        ]
    )
    september = dt.date(2025, 9, 1)
    for grain in ("day", "month", "year"):
        assert counts[grain, september, "responses", "overall", "all"] == (0, 1)
        assert counts[grain, september, "o2_opinion_cared_about", "overall", "all"] == (1, 1)
        assert counts[grain, september, "o2_opinion_cared_about", "area", "not_stated"] == (1, 1)
        assert counts[grain, september, "responses", "survey", "children"] == (0, 1)
        assert counts[grain, september, "o2_opinion_cared_about", "survey", "children"] == (1, 1)
        assert counts[grain, september, "o2_opinion_cared_about", "audience", "child"] == (1, 1)
    assert {start for _grain, start, *_rest in counts} == {september}
