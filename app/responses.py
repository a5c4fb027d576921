"""Storing a response: the one place every answer enters the database, from the online
journey, a CSV import or the paper data-entry form, so that every one is checked for
safeguarding the moment it is stored."""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

import app.counts  # noqa: F401  (its session events count every response stored)
from analysis.safeguarding import flag_risk
from app.feedback.comments import analyse
from app.models import Response, SafeguardingFlag, SurveyVersion
from app.surveys.versions import definition_of
from app.text import printable_answers


def store_response(
    session: Session,
    version: SurveyVersion,
    answers: dict[str, Any],
    *,
    submitted_at: datetime,
    channel: str,
    **extra: Any,
) -> Response:
    """Add a response to VERSION with ANSWERS (already checked), and a safeguarding flag if
    any free-text answer may show a child at risk, and its comments analysed
    (app/feedback/comments.py). Control characters are taken out of
    every answer first (`app.text`), and an answer left empty is dropped. Does not commit."""
    answers = {
        question: answer
        for question, answer in printable_answers(answers).items()
        if answer not in (None, [])
    }
    response = Response(
        survey_id=version.survey_id,
        survey_version_id=version.id,
        audience=version.audience,
        submitted_at=submitted_at,
        channel=channel,
        answers=answers,
        **extra,
    )
    session.add(response)
    analyse(session, response)
    reasons = risk_reasons(version, answers)
    if reasons:
        session.add(SafeguardingFlag(response=response, reasons=reasons))
    return response


def risk_reasons(version: SurveyVersion, answers: dict[str, Any]) -> dict[str, list[str]]:
    """{question id: reasons} for the free-text answers that may show a child at risk."""
    free_text = [q.id for q in definition_of(version).questions() if q.type == "free_text"]
    found = {qid: flag_risk(answers[qid]) for qid in free_text if isinstance(answers.get(qid), str)}
    return {qid: reasons for qid, reasons in found.items() if reasons}
