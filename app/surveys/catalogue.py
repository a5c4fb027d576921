"""Which surveys there are, and which are open to answers, for the pages that list them."""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Survey, SurveyStatus, SurveyVersion
from app.surveys.schema import DEFAULT_LANGUAGE, Question, SurveyDefinition
from app.surveys.versions import definition_of


@dataclass(frozen=True)
class SurveySummary:
    id: str
    version: int
    title: str
    definition: SurveyDefinition


# A respondent who saved answers before a survey closed may still send them this many
# days after its close date: a child who meant to finish with a parent the next evening
# does not lose what they said.
FINISHING_DAYS = 7


class Availability(StrEnum):
    HIDDEN = "hidden"  # a draft: the public never sees it
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"


def availability(survey: Survey, today: date) -> Availability:
    """Whether SURVEY takes new answers on TODAY (a Europe/London date): its status, then
    its dates, so an open survey past its close date is closed without anyone acting."""
    if survey.status == SurveyStatus.DRAFT:
        return Availability.HIDDEN
    if survey.status == SurveyStatus.CLOSED:
        return Availability.CLOSED
    if survey.opens_on is not None and today < survey.opens_on:
        return Availability.NOT_YET
    if survey.closes_on is not None and today > survey.closes_on:
        return Availability.CLOSED
    return Availability.OPEN


def may_finish(survey: Survey, started_on: date, today: date) -> bool:
    """Whether answers saved since STARTED_ON may be sent TODAY: while the survey is open,
    and for FINISHING_DAYS after its close date if they were started by then."""
    state = availability(survey, today)
    if state == Availability.OPEN:
        return True
    return (
        state == Availability.CLOSED
        and survey.closes_on is not None
        and started_on <= survey.closes_on
        and today <= survey.closes_on + timedelta(days=FINISHING_DAYS)
    )


def current_surveys(session: Session, open_on: date | None = None) -> list[SurveySummary]:
    """The newest version of every survey, in order of id; with OPEN_ON, only the surveys
    open to answers on that date."""
    newest = (
        select(SurveyVersion.survey_id, func.max(SurveyVersion.version).label("version"))
        .group_by(SurveyVersion.survey_id)
        .subquery()
    )
    versions = session.scalars(
        select(SurveyVersion)
        .join(
            newest,
            (SurveyVersion.survey_id == newest.c.survey_id)
            & (SurveyVersion.version == newest.c.version),
        )
        .order_by(SurveyVersion.survey_id)
    )
    if open_on is not None:
        versions = [v for v in versions if availability(v.survey, open_on) == Availability.OPEN]
    return [
        SurveySummary(v.survey_id, v.version, translate(definition_of(v).title), definition_of(v))
        for v in versions
    ]


def translate(text: str | dict[str, str], language: str = DEFAULT_LANGUAGE) -> str:
    """TEXT in LANGUAGE if the survey has it, else in English."""
    if isinstance(text, str):
        return text
    return text.get(language, text[DEFAULT_LANGUAGE])


def answer_text(question: Question, value: Any, language: str = DEFAULT_LANGUAGE) -> str:
    """An answer as words: the chosen options' labels, the text typed, or "Not answered"."""
    if value is None or value == []:
        return "Not answered"
    if question.type == "free_text":
        return str(value)
    labels = {option.id: translate(option.label, language) for option in question.options or ()}
    chosen = value if isinstance(value, list) else [value]
    return ", ".join(labels.get(option, option) for option in chosen)
