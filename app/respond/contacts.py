"""Parent carers' emails for news of results: kept apart from answers, removable by link."""

import hashlib
import secrets

from sqlalchemy import delete
from sqlalchemy.orm import Session

from app.models import ContactRequest


def add_contact(session: Session, survey_id: str, email: str) -> str:
    """Store EMAIL for SURVEY_ID's results and return the token that removes it."""
    token = secrets.token_urlsafe(24)
    session.add(
        ContactRequest(survey_id=survey_id, email=email.strip(), removal_token_hash=_digest(token))
    )
    return token


def remove_contact(session: Session, token: str) -> bool:
    """Delete the email the token was given for; False if it was already gone."""
    result = session.execute(
        delete(ContactRequest).where(ContactRequest.removal_token_hash == _digest(token))
    )
    return result.rowcount > 0


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
