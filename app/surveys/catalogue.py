"""Which surveys there are, for the pages that list them."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import SurveyVersion
from app.surveys.schema import DEFAULT_LANGUAGE, Question, SurveyDefinition
from app.surveys.versions import definition_of


@dataclass(frozen=True)
class SurveySummary:
    id: str
    version: int
    title: str
    definition: SurveyDefinition


def current_surveys(session: Session) -> list[SurveySummary]:
    """The newest version of every survey, in order of id."""
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
