"""The outbox: every email the platform sends, queued in the transaction that causes it."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.models.common import one_of


class MessageStatus(StrEnum):
    QUEUED = "queued"  # waiting for its next try (next_attempt_at)
    SENDING = "sending"  # claimed by a worker until lease_until
    SENT = "sent"
    FAILED = "failed"  # given up: a permanent error, or too many tries


class OutboxMessage(Base):
    """One email. Written with the change that causes it, so it exists exactly when that
    change does; a worker (`flask outbox send`) claims and sends it.

    Once sent, a parent carer's address is blanked and the links dropped: the row keeps
    only what the officer needs (kind, status, when).
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        one_of("status", MessageStatus),
        # The worker's one query: what is due, oldest first.
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str | None] = mapped_column(String(254))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Sent with the message (Notify's `reference`, the SMTP Message-ID), the same on every
    # try, so a resend after a worker died can be recognised as the same message.
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=MessageStatus.QUEUED.value)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who holds the message while sending, and until when; a new claim gets a new holder,
    # so a worker whose lease ran out cannot overwrite what the next one recorded.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
