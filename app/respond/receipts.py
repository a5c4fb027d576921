"""What a receipt code shows: the survey answered and, once published, what was done."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.periods import period_name
from app.feedback.reports import published_report
from app.models import Response, Survey
from app.respond.drafts import normalise_code
from app.surveys.catalogue import translate
from app.surveys.versions import definition_of

LONDON = ZoneInfo("Europe/London")


def receipt_details(session: Session, code: str) -> dict[str, Any] | None:
    """The template's view of a receipt, or None for a code that is not a receipt."""
    response = session.scalar(select(Response).where(Response.receipt_code == normalise_code(code)))
    if response is None:
        return None
    report = published_report(session, response.survey_id, _period(response.submitted_at))
    return {
        "report": report,
        "code": response.receipt_code,
        "survey_title": translate(definition_of(response.survey_version).title),
        "submitted_at": response.submitted_at,
        "survey": session.get(Survey, response.survey_id),
    }


def _period(moment: datetime) -> str:
    """The academic year (1 September to 31 August, Europe/London) of MOMENT."""
    local = moment.astimezone(LONDON)
    return period_name(local.year if local.month >= 9 else local.year - 1)
