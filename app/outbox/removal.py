"""The "remove my email address" link in the results email.

By the time that email arrives its address has left the survey's list, so its link cannot
be the list's own removal token (only a hash of that is kept). It carries instead a keyed
fingerprint of the address (HMAC with SECRET_KEY: unforgeable, and no address in the
link), and removes that address from every other survey's list and any unsent email.
"""

import hashlib
import hmac

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import ContactRequest, MessageStatus, OutboxMessage
from app.outbox.messages import TO_PARENT_CARERS
from app.urls import absolute_url


def removal_url(email: str) -> str:
    """The link that removes EMAIL wherever a parent carer left it."""
    return absolute_url("respond.remove_email", token=fingerprint(email))


def forget_address(session: Session, token: str) -> bool:
    """Delete every list entry and unsent email for the address TOKEN was made for; False
    if there was none (or the token is not one of ours). Does not commit."""
    # Addresses are few (one per parent carer who asked), so comparing each is cheap.
    contacts = [
        contact.id
        for contact in session.scalars(select(ContactRequest))
        if hmac.compare_digest(fingerprint(contact.email), token)
    ]
    messages = [
        message.id
        for message in session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.kind.in_(TO_PARENT_CARERS),
                OutboxMessage.status != MessageStatus.SENT.value,
            )
        )
        if message.recipient and hmac.compare_digest(fingerprint(message.recipient), token)
    ]
    session.execute(delete(ContactRequest).where(ContactRequest.id.in_(contacts)))
    session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(messages)))
    return bool(contacts or messages)


def fingerprint(email: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    address = email.strip().lower().encode()
    return hmac.new(key, b"remove-email-address:" + address, hashlib.sha256).hexdigest()
