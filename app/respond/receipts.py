"""What a receipt code shows: the survey answered and, once published, what was done."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.periods import period_containing
from app.feedback.reports import published_report
from app.models import Response, Survey
from app.respond.drafts import normalise_code
from app.surveys.catalogue import translate
from app.surveys.versions import definition_of


def response_with_receipt(session: Session, code: str | None) -> Response | None:
    if not code:
        return None
    return session.scalar(select(Response).where(Response.receipt_code == normalise_code(code)))


def receipt_details(session: Session, code: str) -> dict[str, Any] | None:
    """The template's view of a receipt, or None for a code that is not a receipt."""
    response = response_with_receipt(session, code)
    if response is None:
        return None
    report = published_report(session, response.survey_id, period_containing(response.submitted_at))
    return {
        "report": report,
        "code": response.receipt_code,
        "survey_title": translate(definition_of(response.survey_version).title),
        "submitted_at": response.submitted_at,
        "survey": session.get(Survey, response.survey_id),
    }
