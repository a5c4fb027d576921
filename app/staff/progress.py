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

from app.models import Response, Survey, SurveyTarget, SurveyVersion
from app.public.measures import category_label
from app.surveys.catalogue import Availability, availability, translate
from app.surveys.schema import SurveyDefinition
from app.time import LONDON

AUDIENCE = "audience"
AREA = "area"
# Answers with no area, or "prefer not to say", are counted here: they are people heard.
NOT_STATED = "not_stated"
NOT_STATED_ANSWERS = frozenset({None, "prefer_not_to_say"})


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
    counts = _counts(session, survey.id, survey.opens_on)
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


def _counts(session: Session, survey_id: str, since: date | None) -> Counter[tuple[str, str]]:
    area = Response.answers[AREA].as_string()
    query = (
        select(Response.audience, area, func.count())
        .where(Response.survey_id == survey_id, Response.quarantined_at.is_(None))
        .group_by(Response.audience, area)
    )
    if since is not None:
        query = query.where(Response.submitted_at >= london_midnight(since))
    counts: Counter[tuple[str, str]] = Counter()
    for audience, answered_area, count in session.execute(query):
        counts[AUDIENCE, audience] += count
        counts[AREA, NOT_STATED if answered_area in NOT_STATED_ANSWERS else answered_area] += count
    return counts


def london_midnight(day: date) -> datetime:
    """The instant DAY begins in Europe/London, as `submitted_at` is compared."""
    return datetime.combine(day, time(), LONDON)
