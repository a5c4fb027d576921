"""Ballot stuffing: responses held out of the measures until the officer releases them.

No address is ever stored with an answer. Two things hold a response:

- sent past one address's allowance (RATE_LIMITS["sends"]): it is stored, and the
  respondent gets their receipt as usual, so a class on one school address is never
  turned away; the extra answers simply wait for the officer;
- the officer quarantines a burst: every online response to one survey in one hour.

Held responses are kept, never deleted, and leave the measures, themes, quotes and
exports (analysis/load.py, app/staff/exports.py) until released. Every quarantine and
release is written to the audit log with the responses it moved.
"""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.audit import record
from app.counts import count_added, count_removed
from app.db import utcnow
from app.models import Channel, Response, User

PAST_ALLOWANCE = "sent past the allowance from one address"
QUARANTINED = "quarantined by the officer"
# An hour with this many online responses to one survey is shown to the officer: a class
# answering together looks like this too, so the officer decides, not a rule.
BURST_SIZE = 20
LOOK_BACK = timedelta(days=90)
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Burst:
    """The online responses to one survey in one hour (UTC, which is a London hour too)."""

    survey_id: str
    starts_at: datetime
    sent: int
    held: int
    # How many of them gave the commonest set of answers, word for word: forged answers
    # are often copies, children's rarely are.
    same_answers: int


def bursts(session: Session, now: datetime) -> list[Burst]:
    """The hours of the last 90 days with BURST_SIZE or more online responses to one
    survey, or any held response; newest first."""
    rows = session.execute(
        select(Response.survey_id, Response.submitted_at, Response.quarantined_at, Response.answers)
        .where(Response.channel == Channel.ONLINE.value, Response.submitted_at >= now - LOOK_BACK)
        .order_by(Response.submitted_at)
    )
    groups: dict[tuple[str, datetime], list] = defaultdict(list)
    for survey_id, submitted_at, quarantined_at, answers in rows:
        hour = submitted_at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        groups[survey_id, hour].append((quarantined_at, json.dumps(answers, sort_keys=True)))
    found = [
        Burst(
            survey_id=survey_id,
            starts_at=hour,
            sent=len(members),
            held=sum(1 for held, _answers in members if held is not None),
            same_answers=Counter(answers for _held, answers in members).most_common(1)[0][1],
        )
        for (survey_id, hour), members in groups.items()
    ]
    return sorted(
        (burst for burst in found if burst.sent >= BURST_SIZE or burst.held),
        key=lambda burst: (burst.starts_at, burst.survey_id),
        reverse=True,
    )


def quarantine(session: Session, user: User, survey_id: str, starts_at: datetime) -> int:
    """Hold every online response to SURVEY_ID in the hour from STARTS_AT; how many were
    newly held. Audited with their ids. Does not commit."""
    ids = _ids_in(session, survey_id, starts_at, held=False)
    count_removed(session, Response.id.in_(ids))
    session.execute(
        update(Response)
        .where(Response.id.in_(ids))
        .values(quarantined_at=utcnow(), quarantine_reason=QUARANTINED)
    )
    # Held, they count in no measure, but the staff pages' tallies still count them.
    count_added(session, Response.id.in_(ids))
    _audit(session, user, "responses.quarantine", survey_id, starts_at, ids)
    return len(ids)


def release(session: Session, user: User, survey_id: str, starts_at: datetime) -> int:
    """Let the held responses to SURVEY_ID in the hour from STARTS_AT back into the
    measures; how many. Audited with their ids. Does not commit."""
    ids = _ids_in(session, survey_id, starts_at, held=True)
    count_removed(session, Response.id.in_(ids))
    session.execute(
        update(Response)
        .where(Response.id.in_(ids))
        .values(quarantined_at=None, quarantine_reason=None)
    )
    count_added(session, Response.id.in_(ids))
    _audit(session, user, "responses.release", survey_id, starts_at, ids)
    return len(ids)


def _ids_in(session: Session, survey_id: str, starts_at: datetime, held: bool) -> list[int]:
    held_now = Response.quarantined_at.is_not(None) if held else Response.quarantined_at.is_(None)
    return list(
        session.scalars(
            select(Response.id)
            .where(
                Response.survey_id == survey_id,
                Response.channel == Channel.ONLINE.value,
                Response.submitted_at >= starts_at,
                Response.submitted_at < starts_at + HOUR,
                held_now,
            )
            .order_by(Response.id)
            # Locked (on PostgreSQL) until commit: two officers holding or releasing the
            # same hour at once move each response, and its counts, once.
            .with_for_update()
        )
    )


def _audit(
    session: Session, user: User, action: str, survey_id: str, starts_at: datetime, ids: list[int]
) -> None:
    subject = f"burst:{survey_id}:{starts_at.strftime('%Y-%m-%dT%H:%MZ')}"
    record(session, user, action, subject, count=len(ids), response_ids=ids)
