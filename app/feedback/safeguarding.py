"""The safeguarding queue: flagged responses, the child's own words, and marking them handled."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.audit import record
from app.db import utcnow
from app.models import SafeguardingFlag, User
from app.surveys.catalogue import translate
from app.surveys.versions import definition_of
from app.working_days import one_working_day_after

REASON_WORDS = {
    "harm_at_home": "harm at home",
    "self_harm": "self-harm or wanting to die",
    "abuse": "abuse",
    "unsafe": "not feeling safe",
}


@dataclass(frozen=True)
class Disclosure:
    """One answer that raised a flag: the question asked and the words as written."""

    question: str
    words: str
    reasons: list[str]


def queue(session: Session, offset: int, limit: int) -> list[SafeguardingFlag]:
    """LIMIT flags from OFFSET: those not yet handled first, so nothing waiting is missed
    behind the ones dealt with, and the newest first within each."""
    return list(
        session.scalars(
            select(SafeguardingFlag)
            .order_by(
                SafeguardingFlag.handled_at.is_not(None),
                SafeguardingFlag.flagged_at.desc(),
                SafeguardingFlag.id.desc(),
            )
            .offset(offset)
            .limit(limit)
        )
    )


def queue_counts(session: Session) -> tuple[int, int]:
    """How many flags there are, and how many of them are not handled yet."""
    waiting = case((SafeguardingFlag.handled_at.is_(None), 1), else_=0)
    total, unhandled = session.execute(
        select(func.count(SafeguardingFlag.id), func.coalesce(func.sum(waiting), 0))
    ).one()
    return total, unhandled


def is_overdue(flag: SafeguardingFlag, now: datetime) -> bool:
    """Not handled a whole working day after it was flagged (weekends and England and
    Wales bank holidays do not count)."""
    return flag.handled_at is None and now >= one_working_day_after(flag.flagged_at)


def reason_summary(flag: SafeguardingFlag) -> str:
    """The reasons for a flag in words, each once: "abuse, not feeling safe"."""
    reasons = dict.fromkeys(reason for found in flag.reasons.values() for reason in found)
    return ", ".join(REASON_WORDS.get(reason, reason) for reason in reasons)


def disclosures(flag: SafeguardingFlag) -> list[Disclosure]:
    definition = definition_of(flag.response.survey_version)
    return [
        Disclosure(
            translate(definition.question(question_id).text),
            flag.response.answers.get(question_id, ""),
            [REASON_WORDS.get(reason, reason) for reason in reasons],
        )
        for question_id, reasons in flag.reasons.items()
    ]


def mark_handled(session: Session, flag: SafeguardingFlag, user: User, note: str) -> None:
    """Record that USER has dealt with FLAG, and how. Does not commit."""
    flag.handled_at = utcnow()
    flag.handled_by = user
    flag.handling_note = note
    record(session, user, "safeguarding.handled", f"flag:{flag.id}")
