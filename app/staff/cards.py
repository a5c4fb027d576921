"""The Surveys page's card for each survey: its answers so far against its target, and
how many came in each of the last weeks, added up by the database from the survey's
daily tallies (app/tallies.py), so that no response is read for it.

Helpers take a session and never commit.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.models import ResponseTally, Survey
from app.staff.progress import AREA, AUDIENCE, kept
from app.surveys.catalogue import Availability, availability

WEEKS = 8


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
    return SurveyCard(
        survey,
        title,
        availability(survey, today),
        survey.opens_on,
        _count(session, survey),
        total_target(survey),
        [
            Week(monday, count)
            for monday, count in zip(mondays[:-1], _weekly(session, survey, mondays), strict=True)
        ],
    )


def _count(session: Session, survey: Survey) -> int:
    return session.scalar(select(func.sum(ResponseTally.responses)).where(*kept(survey))) or 0


def _weekly(session: Session, survey: Survey, mondays: list[date]) -> list[int]:
    """How many of SURVEY's answers came in each week from MONDAYS[n] to MONDAYS[n + 1],
    added up in one GROUP BY over those weeks only."""
    day = ResponseTally.day
    week = case(
        *((day >= mondays[n], n) for n in reversed(range(1, len(mondays) - 1))),
        else_=0,
    )
    query = (
        select(week, func.sum(ResponseTally.responses))
        .where(*kept(survey), day >= mondays[0], day < mondays[-1])
        .group_by(week)
    )
    counts: dict[int, int] = dict(session.execute(query).all())
    return [counts.get(number, 0) for number in range(len(mondays) - 1)]


def total_target(survey: Survey) -> int | None:
    """How many answers SURVEY's targets add up to: its audiences' targets, or else its
    areas' (each answer is in one audience and one area, so either adds up to the whole)."""
    for dimension in (AUDIENCE, AREA):
        targets = [t.target for t in survey.targets if t.dimension == dimension]
        if targets:
            return sum(targets)
    return None
