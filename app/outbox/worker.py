"""Sending what is queued: claim due messages under a lease, send, record, retry with back-off.

Several workers, on several app servers sharing one database, can run at once. A worker
claims a few due messages in one short transaction (PostgreSQL: `SELECT ... FOR UPDATE
SKIP LOCKED`, so workers pass over each other's rows; SQLite: the engine's `BEGIN
IMMEDIATE`, one claimer at a time) and marks them `sending` until its lease runs out.
It sends each one, then records the result at once in a transaction of its own.

No message is lost: it stays in the table until it is recorded as sent or failed. A
message is sent twice only if a worker dies after the relay or Notify accepted it and
before it recorded that (a window of one network round trip): its lease then runs out and
another worker sends it again, once. Both copies carry the same reference (Notify's
`reference`, the SMTP `Message-ID`), so they can be recognised as one message.
"""

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Engine, or_, select

from app.db import session_scope, utcnow
from app.models import MessageStatus, OutboxMessage
from app.outbox.backends import Backend, Outgoing, SendError
from app.outbox.messages import KINDS

# Longer than a send can take (the relay or Notify time out after MAIL_TIMEOUT seconds).
LEASE = timedelta(minutes=5)
# Tries before a message is marked failed: with the back-off below, about a day of trying,
# long enough to ride out a relay down overnight.
MAX_ATTEMPTS = 12
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=4)
BATCH = 10

Clock = Callable[[], datetime]


@dataclass
class Claimed:
    id: int
    holder: str
    outgoing: Outgoing


@dataclass
class Tally:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed
        self.errors += other.errors

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.retrying} to try again later, {self.failed} failed"


def backoff(attempts: int) -> timedelta:
    """The wait after the ATTEMPTS-th failed try: doubling from a minute, at most 4 hours."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


def claim(engine: Engine, *, now: datetime, limit: int = BATCH, lease: timedelta = LEASE):
    """Take up to LIMIT due messages (queued and due, or sending under a lease that ran out:
    its worker died) for this worker until NOW + LEASE. Commits."""
    due = or_(
        (OutboxMessage.status == MessageStatus.QUEUED.value)
        & (OutboxMessage.next_attempt_at <= now),
        (OutboxMessage.status == MessageStatus.SENDING.value) & (OutboxMessage.lease_until < now),
    )
    claimed = []
    with session_scope(engine) as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(due)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        for row in rows:
            if row.attempts >= MAX_ATTEMPTS:
                # Its worker kept dying while sending it: stop before it takes more down.
                _give_up(row, "A worker stopped while sending this message, too many times.")
                continue
            row.status = MessageStatus.SENDING.value
            row.attempts += 1
            row.claimed_by = uuid.uuid4().hex
            row.lease_until = now + lease
            claimed.append(
                Claimed(
                    row.id,
                    row.claimed_by,
                    Outgoing(row.kind, row.recipient or "", dict(row.fields), row.reference),
                )
            )
    return claimed


def deliver(
    engine: Engine, backend: Backend, *, clock: Clock = utcnow, limit: int = BATCH
) -> Tally:
    """Claim one batch of due messages, send each and record the outcome. Commits."""
    tally = Tally()
    for message in claim(engine, now=clock(), limit=limit):
        try:
            _check_address(message.outgoing.to)
            backend.send(message.outgoing)
        except Exception as error:
            # Anything else is a fault of ours (a bug, a template that will not render): the
            # message is tried again and shown, and the worker carries on with the rest.
            if not isinstance(error, SendError):
                error = SendError(f"Could not send: {type(error).__name__}: {error}")
            failed = record_failure(engine, message, error, now=clock())
            tally.failed += failed
            tally.retrying += not failed
            tally.errors.append(str(error))
        else:
            record_sent(engine, message, now=clock())
            tally.sent += 1
    return tally


def deliver_all(engine: Engine, backend: Backend, *, clock: Clock = utcnow) -> Tally:
    """Send everything due now; what fails for a while waits for a later run."""
    total = Tally()
    while True:
        batch = deliver(engine, backend, clock=clock)
        total.add(batch)
        if not (batch.sent or batch.retrying or batch.failed):
            return total


def watch(
    engine: Engine,
    backend: Backend,
    *,
    stop: threading.Event,
    interval: float,
    report: Callable[[Tally], None],
) -> None:
    """Keep sending as messages fall due, looking every INTERVAL seconds, until STOP is set
    (between messages, so none is left half recorded)."""
    while not stop.is_set():
        batch = deliver(engine, backend)
        if batch.sent or batch.retrying or batch.failed:
            report(batch)
        else:
            stop.wait(interval)


def record_sent(engine: Engine, message: Claimed, *, now: datetime) -> None:
    """Mark MESSAGE sent, keeping only what the officer needs. Commits."""
    with session_scope(engine) as session:
        row = session.get(OutboxMessage, message.id)
        if row is None or row.status == MessageStatus.SENT.value:
            return  # deleted meanwhile (the address was removed), or already recorded
        row.status = MessageStatus.SENT.value
        row.sent_at = now
        row.claimed_by = row.lease_until = row.last_error = None
        # Links may hold one-time tokens; a parent carer's address is no longer needed.
        row.fields = {}
        if KINDS[row.kind].to_parent_carer:
            row.recipient = None


def record_failure(engine: Engine, message: Claimed, error: SendError, *, now: datetime) -> bool:
    """Record a failed try: try again after the back-off, or give up if the error is
    permanent or the tries are used up. True if given up. Commits."""
    with session_scope(engine) as session:
        row = session.get(OutboxMessage, message.id)
        if row is None or row.claimed_by != message.holder:
            return False  # our lease ran out and another worker holds it now
        if error.permanent or row.attempts >= MAX_ATTEMPTS:
            _give_up(row, str(error))
            return True
        row.status = MessageStatus.QUEUED.value
        row.next_attempt_at = now + backoff(row.attempts)
        row.claimed_by = row.lease_until = None
        row.last_error = str(error)[:500]
        return False


def _give_up(row: OutboxMessage, reason: str) -> None:
    row.status = MessageStatus.FAILED.value
    row.claimed_by = row.lease_until = None
    row.last_error = reason[:500]


def _check_address(address: str) -> None:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise SendError(f"Not a valid email address: {error}", permanent=True) from None
