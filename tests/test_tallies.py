"""The response tallies (app/tallies.py) against a count of the responses themselves.

Every kind of change goes through the app's own code (the steps of tests/test_counts.py:
a send, held or not, a paper entry, a CSV import, an erasure, the retention purge, a
quarantine and a release, a survey edit, an admin-data import). After each one the
tallies must equal a fresh count row for row, and what the staff pages show from them
(the Surveys page's cards, a survey's page, the downloads page's charts) must equal the
same figures counted here, in Python, from every response and its answers.
"""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from analysis.periods import period_dates
from app.db import reading
from app.models import Response, ResponseTally, Survey
from app.public.measures import category_label
from app.staff.cards import survey_card
from app.staff.charts import CHANNEL_WORDS, CHART_BY, counts_chart
from app.staff.progress import survey_progress
from app.staff.responses import Filters
from app.surveys.versions import definition_of, latest_version
from app.tallies import differences, rebuild
from app.time import LONDON
from tests.factories import load_shipped_surveys, make_response
from tests.test_counts import SURVEYS, apply, steps

pytestmark = pytest.mark.postgres

TODAY = date(2025, 11, 2)
OPENS_ON = date(2025, 9, 1)
FILTERS = [
    Filters(),
    Filters(survey="young-people"),
    Filters(survey="parent-carers", period="2025/26"),
    Filters(period="2024/25"),
    Filters(area="not_stated"),
    Filters(area="hereford", audience="young_person"),
    Filters(audience="parent_carer", period="2025/26", theme="communication"),
]


def area_group(response: Response) -> str:
    area = response.answers.get("area")
    return "not_stated" if area in (None, "prefer_not_to_say") else area


def chosen(response: Response, filters: Filters) -> bool:
    """Whether FILTERS (its theme aside, as the charts count) chooses RESPONSE."""
    day = response.submitted_at.astimezone(LONDON).date()
    if filters.period:
        first, last = period_dates(filters.period)
        if not first <= day <= last:
            return False
    return (
        filters.survey in ("", response.survey_id)
        and filters.audience in ("", response.audience)
        and filters.area in ("", area_group(response))
    )


def expected_chart(responses: list[Response], filters: Filters, by: str) -> Counter:
    label = {
        "channel": lambda r: CHANNEL_WORDS[r.channel],
        "area": lambda r: category_label(area_group(r)),
        "audience": lambda r: category_label(r.audience),
    }[by]
    return Counter(label(r) for r in responses if chosen(r, filters))


def counted(response: Response, survey: Survey) -> bool:
    """Whether the Surveys page counts RESPONSE for SURVEY: not held, since it opened."""
    day = response.submitted_at.astimezone(LONDON).date()
    return (
        response.survey_id == survey.id
        and response.quarantined_at is None
        and (survey.opens_on is None or day >= survey.opens_on)
    )


def assert_pages_exact(session: Session) -> None:
    """The tallies equal a fresh count, and each staff figure drawn from them equals the
    same figure counted from every response."""
    session.expire_all()
    with reading(session.get_bind()).connect() as connection:
        assert differences(connection) == {}
    responses = list(session.scalars(select(Response)))
    for filters in FILTERS:
        for by in CHART_BY:
            chart = counts_chart(session, filters, by, "scope")
            shown = Counter({bar.label: bar.count for bar in chart.bars if bar.count})
            assert shown == expected_chart(responses, filters, by), (filters, by)
    for survey in session.scalars(select(Survey)):
        version = latest_version(session, survey.id)
        mine = [r for r in responses if counted(r, survey)]
        progress = survey_progress(session, survey, definition_of(version), TODAY)
        assert progress.total == len(mine)
        groups = {(g.group.dimension, g.group.category): g.count for g in progress.groups}
        for (dimension, category), count in groups.items():
            value = (lambda r: r.audience) if dimension == "audience" else area_group
            assert count == sum(1 for r in mine if value(r) == category), (dimension, category)
        card = survey_card(session, survey, "title", TODAY)
        assert card.total == len(mine)
        for week in card.weeks:
            days = [week.starts_on + timedelta(days=n) for n in range(7)]
            in_week = [r for r in mine if r.submitted_at.astimezone(LONDON).date() in days]
            assert week.count == len(in_week), week.starts_on


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=st.lists(steps, min_size=1, max_size=5))
def test_staff_figures_equal_a_count_of_the_responses_after_every_kind_of_change(
    app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changes: list[tuple]
):
    engine = app.extensions["db_engine"]
    with app.test_request_context(), Session(engine, expire_on_commit=False) as session:
        if latest_version(session, SURVEYS[0]) is None:
            load_shipped_surveys(session)
            session.get(Survey, "young-people").opens_on = OPENS_ON
            session.commit()
        for step in changes:
            apply(step, session, tmp_path, monkeypatch)
            session.commit()
            assert_pages_exact(session)


def test_rebuild_tallies_rows_inserted_around_the_app(app, db):
    load_shipped_surveys(db)
    version = latest_version(db, "young-people")
    engine = app.extensions["db_engine"]
    moments = [datetime(2025, 8, 31, 23, 30, tzinfo=UTC), datetime(2025, 10, 1, 9, tzinfo=UTC)]
    with engine.begin() as connection:
        connection.execute(
            Response.__table__.insert(),
            [
                {
                    "public_id": f"bulk-{number}",
                    "survey_id": "young-people",
                    "survey_version_id": version.id,
                    "audience": "young_person",
                    "submitted_at": moments[number % 2],
                    "channel": "online",
                    "answers": {"area": ["kington", "prefer_not_to_say", None][number % 3]},
                    "created_at": moments[0],
                }
                for number in range(12)
            ],
        )
        # Two days, each with Kington and "not stated" (no answer, or prefer not to say).
        assert len(differences(connection)) == 4
    with engine.begin() as connection:
        assert rebuild(connection) == 4
    with engine.connect() as connection:
        assert differences(connection) == {}
        # 23:30 UTC on 31 August 2025 is 00:30 on 1 September in London.
        days = dict(
            connection.execute(
                select(ResponseTally.day, func.sum(ResponseTally.responses)).group_by(
                    ResponseTally.day
                )
            ).all()
        )
    assert days == {date(2025, 9, 1): 6, date(2025, 10, 1): 6}


def test_the_charts_come_from_the_tallies_not_the_responses(app, db, client):
    """Responses deleted behind the app's back (no tallying) leave the charts as they
    were: they are added up from the tallies, never counted from the answers."""
    load_shipped_surveys(db)
    for area in ("kington", "kington", "hereford"):
        make_response(db, survey="young-people", answers={"area": area})
    with app.test_request_context():
        before = counts_chart(db, Filters(), "area", "scope")
        db.execute(delete(Response))
        db.commit()
        after = counts_chart(db, Filters(), "area", "scope")
    assert after == before
    assert {bar.label: bar.count for bar in after.bars if bar.count} == {
        "Kington": 2,
        "Hereford": 1,
    }
