"""Queueing a message: the one way any part of the platform sends an email."""

import uuid

from sqlalchemy.orm import Session

from app.models import OutboxMessage
from app.outbox.messages import KINDS


def queue_message(session: Session, kind: str, to: str, **fields: str) -> OutboxMessage:
    """Queue an email of KIND to TO, with FIELDS filling its words (every field the kind
    needs, and no others). Does not commit: it is stored with the change that causes it,
    or not at all; `flask outbox send` sends it."""
    needed = KINDS[kind].fields
    if set(fields) != needed:
        raise ValueError(f"{kind} needs the fields {sorted(needed)}, not {sorted(fields)}")
    message = OutboxMessage(
        kind=kind,
        recipient=to.strip(),
        fields={name: str(value) for name, value in fields.items()},
        reference=uuid.uuid4().hex,
    )
    session.add(message)
    return message
