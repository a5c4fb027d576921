"""Parent carers' emails for news of results: kept apart from answers, removable by link."""

import hashlib
import random
import secrets
from datetime import date

from sqlalchemy import delete, select
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


def take_addresses(session: Session, survey_id: str) -> list[str]:
    """The addresses left for SURVEY_ID's results, each once, deleted from the list as
    they are handed over (to the outbox, in the same transaction). Does not commit."""
    contacts = session.scalars(
        select(ContactRequest).where(ContactRequest.survey_id == survey_id)
    ).all()
    addresses = {contact.email.lower(): contact.email for contact in contacts}
    session.execute(delete(ContactRequest).where(ContactRequest.survey_id == survey_id))
    return list(addresses.values())


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def mix_contacts(session: Session, left_before: date) -> None:
    """Store again, in a random order and under new ids, every email left before LEFT_BEFORE.
    Does not commit.

    PostgreSQL keeps rows in the order they were written, each marked with the transaction
    that wrote it (xmin), and either could still match an email to the response sent just
    before it. Rewritten in one transaction, they all share one xmin and a random order.
    """
    rows = session.scalars(
        select(ContactRequest).where(ContactRequest.consented_on < left_before)
    ).all()
    kept = [(r.survey_id, r.email, r.consented_on, r.removal_token_hash) for r in rows]
    random.SystemRandom().shuffle(kept)
    session.execute(delete(ContactRequest).where(ContactRequest.consented_on < left_before))
    session.add_all(
        ContactRequest(survey_id=survey, email=email, consented_on=day, removal_token_hash=token)
        for survey, email, day, token in kept
    )
