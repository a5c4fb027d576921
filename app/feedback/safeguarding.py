"""The safeguarding queue: flagged responses, the child's own words, and marking them handled."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import record
from app.db import utcnow
from app.models import SafeguardingFlag, User
from app.surveys.catalogue import translate
from app.surveys.versions import definition_of

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


def queue(session: Session) -> list[SafeguardingFlag]:
    """Every flag, those not yet handled first, oldest first within each."""
    return list(
        session.scalars(
            select(SafeguardingFlag).order_by(
                SafeguardingFlag.handled_at.is_not(None), SafeguardingFlag.flagged_at
            )
        )
    )


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
