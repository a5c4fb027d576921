"""Who has been heard: each survey's answers counted by audience and by area, against the
targets the officer sets, so that a gap ("Kington: 3 of 20") shows while there is still
time to fill it.

Helpers take a session and never commit.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import ResponseTally, Survey, SurveyTarget, SurveyVersion
from app.public.measures import category_label
from app.surveys.catalogue import Availability, availability, translate
from app.surveys.schema import SurveyDefinition
from app.tallies import AREA, NOT_STATED, NOT_STATED_ANSWERS
from app.time import LONDON

AUDIENCE = "audience"


@dataclass(frozen=True)
class Group:
    """One group whose answers are counted: an audience or an area."""

    dimension: str
    category: str
    label: str

    @property
    def field(self) -> str:
        """Its name in the targets form."""
        return f"{self.dimension}-{self.category}"


@dataclass(frozen=True)
class GroupCount:
    group: Group
    count: int
    target: int | None

    @property
    def short_by(self) -> int:
        """How many more answers the target asks for (0 when met or there is none)."""
        return max((self.target or 0) - self.count, 0)


@dataclass(frozen=True)
class SurveyProgress:
    survey: Survey
    title: str
    availability: Availability
    # Answers are counted from the opening date, so a survey run again next year
    # starts again from nothing.
    counted_from: date | None
    total: int
    groups: list[GroupCount]


def groups_of(session: Session, survey: Survey, definition: SurveyDefinition) -> list[Group]:
    """The survey's audiences (one, unless a version changed it), then the options of its
    `area` question, then "not stated"."""
    audiences = session.scalars(
        select(SurveyVersion.audience)
        .where(SurveyVersion.survey_id == survey.id)
        .group_by(SurveyVersion.audience)
        .order_by(SurveyVersion.audience)
    )
    groups = [Group(AUDIENCE, audience, category_label(audience)) for audience in audiences]
    area = definition.question(AREA)
    if area is not None:
        groups.extend(
            Group(AREA, option.id, translate(option.label))
            for option in area.options or ()
            if option.id not in NOT_STATED_ANSWERS
        )
        groups.append(Group(AREA, NOT_STATED, category_label(NOT_STATED)))
    return groups


def survey_progress(
    session: Session, survey: Survey, definition: SurveyDefinition, today: date
) -> SurveyProgress:
    """SURVEY's answers so far by group, each with its target."""
    counts = _counts(session, survey)
    targets = current_targets(survey)
    groups = [
        GroupCount(group, counts[group.dimension, group.category], targets.get(group.field))
        for group in groups_of(session, survey, definition)
    ]
    total = sum(count for (dimension, _category), count in counts.items() if dimension == AUDIENCE)
    return SurveyProgress(
        survey,
        translate(definition.title),
        availability(survey, today),
        survey.opens_on,
        total,
        groups,
    )


def current_targets(survey: Survey) -> dict[str, int]:
    """SURVEY's targets by form field name ("area-kington": 20)."""
    return {f"{t.dimension}-{t.category}": t.target for t in survey.targets}


def save_targets(survey: Survey, groups: list[Group], values: dict[str, int | None]) -> None:
    """Set SURVEY's target for each group to VALUES[its field]; None removes it."""
    existing = {f"{t.dimension}-{t.category}": t for t in survey.targets}
    for group in groups:
        value, target = values.get(group.field), existing.get(group.field)
        if value is None:
            if target is not None:
                survey.targets.remove(target)
        elif target is None:
            survey.targets.append(
                SurveyTarget(dimension=group.dimension, category=group.category, target=value)
            )
        else:
            target.target = value


def kept(survey: Survey) -> list:
    """The conditions on SURVEY's tallies that count: not held back, since it opened."""
    conditions = [ResponseTally.survey_id == survey.id, ResponseTally.held.is_(False)]
    if survey.opens_on is not None:
        conditions.append(ResponseTally.day >= survey.opens_on)
    return conditions


def _counts(session: Session, survey: Survey) -> Counter[tuple[str, str]]:
    """SURVEY's answers that count by audience and by area, added up from its tallies."""
    query = (
        select(ResponseTally.audience, ResponseTally.area, func.sum(ResponseTally.responses))
        .where(*kept(survey))
        .group_by(ResponseTally.audience, ResponseTally.area)
    )
    counts: Counter[tuple[str, str]] = Counter()
    for audience, area, count in session.execute(query):
        counts[AUDIENCE, audience] += count
        counts[AREA, area] += count
    return counts


def london_midnight(day: date) -> datetime:
    """The instant DAY begins in Europe/London, as `submitted_at` is compared."""
    return datetime.combine(day, time(), LONDON)
