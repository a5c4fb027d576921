"""The Surveys page's card for each survey: its answers so far against its target, and
how many came in each of the last weeks, counted by the database in one query per survey
(GROUP BY a week number), so the page costs the same with a million answers stored.

Helpers take a session and never commit.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.models import Response, Survey
from app.staff.progress import AREA, AUDIENCE, london_midnight
from app.surveys.catalogue import Availability, availability

WEEKS = 8
BEFORE, AFTER = -1, WEEKS  # answers outside the chart's weeks, still in the total


@dataclass(frozen=True)
class Week:
    starts_on: date
    count: int


@dataclass(frozen=True)
class SurveyCard:
    survey: Survey
    title: str
    availability: Availability
    counted_from: date | None
    total: int
    target: int | None
    weeks: list[Week]

    @property
    def percent(self) -> int | None:
        """How far to the target, 0 to 100 (a target passed is 100), or None with no target."""
        if not self.target:
            return None
        return min(100, self.total * 100 // self.target)

    @property
    def busiest(self) -> int:
        return max((week.count for week in self.weeks), default=0)


def survey_card(session: Session, survey: Survey, title: str, today: date) -> SurveyCard:
    """SURVEY's answers since it opened, against its target, and per week for the WEEKS
    weeks (Monday to Sunday, London time) up to today or its closing day if sooner."""
    last = min(today, survey.closes_on) if survey.closes_on else today
    first_monday = last - timedelta(days=last.weekday(), weeks=WEEKS - 1)
    mondays = [first_monday + timedelta(weeks=number) for number in range(WEEKS + 1)]
    starts = [london_midnight(monday) for monday in mondays]
    week = case(
        (Response.submitted_at >= starts[-1], AFTER),
        *((Response.submitted_at >= starts[n], n) for n in reversed(range(WEEKS))),
        else_=BEFORE,
    )
    query = (
        select(week, func.count())
        .where(Response.survey_id == survey.id, Response.quarantined_at.is_(None))
        .group_by(week)
    )
    if survey.opens_on is not None:
        query = query.where(Response.submitted_at >= london_midnight(survey.opens_on))
    counts: dict[int, int] = dict(session.execute(query).all())
    return SurveyCard(
        survey,
        title,
        availability(survey, today),
        survey.opens_on,
        sum(counts.values()),
        total_target(survey),
        [Week(mondays[n], counts.get(n, 0)) for n in range(WEEKS)],
    )


def total_target(survey: Survey) -> int | None:
    """How many answers SURVEY's targets add up to: its audiences' targets, or else its
    areas' (each answer is in one audience and one area, so either adds up to the whole)."""
    for dimension in (AUDIENCE, AREA):
        targets = [t.target for t in survey.targets if t.dimension == dimension]
        if targets:
            return sum(targets)
    return None
