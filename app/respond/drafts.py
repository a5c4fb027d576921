"""Saved answers (drafts), their resume codes, and sending them exactly once.

Helpers take a session and never commit: the view commits once.
"""

import secrets
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from app.db import utcnow
from app.models import Channel, Draft, Response, SurveyVersion
from app.respond.journey import without_hidden
from app.responses import store_response
from app.surveys.versions import definition_of
from app.text import printable_answers

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: a code read off a screen and typed on a phone, or read
# aloud over the phone, must not be mistyped.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8


def new_code() -> str:
    """A short code like "KX4T-9MPA": about 2 x 10^11 possibilities, easy to read and type."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(code: str) -> str:
    """What a person typed, as stored: capitals, a hyphen in the middle, spaces ignored."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == CODE_LENGTH else raw


def start_draft(session: Session, version: SurveyVersion) -> Draft:
    draft = Draft(survey_version=version, resume_code=new_code(), answers={})
    session.add(draft)
    session.flush()
    return draft


# Every survey page reads the draft, its version and its survey: in one query (a query
# each was a tenth of a page's time), built once (building it took a third of its time).
_DRAFT_BY_CODE = (
    select(Draft)
    .where(Draft.resume_code == bindparam("code"))
    .options(joinedload(Draft.survey_version).joinedload(SurveyVersion.survey))
)


def find_draft(session: Session, code: str | None) -> Draft | None:
    """The draft with this resume code, with its version and survey loaded."""
    if not code:
        return None
    return session.scalar(_DRAFT_BY_CODE, {"code": normalise_code(code)})


def save_answers(draft: Draft, page_answers: dict[str, Any]) -> None:
    """Store this page's answers, None meaning "seen but not answered" (so a respondent
    who comes back is not asked again), and drop answers to questions the new ones hide.
    Control characters are taken out first: a NUL saved here could never be sent."""
    answers = {**draft.answers, **printable_answers(page_answers)}
    draft.answers = without_hidden(definition_of(draft.survey_version), answers)
    draft.updated_at = utcnow()


def is_seen(draft: Draft, question_ids: list[str]) -> bool:
    return all(question_id in draft.answers for question_id in question_ids)


def submit(session: Session, draft: Draft, held_because: str | None = None) -> Response:
    """Turn the draft into a response, once: a second call returns the first response.
    HELD_BECAUSE, when given, stores it held out of the measures (app/quarantine.py).

    The draft row is locked (on PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises
    writers) and the response's draft_id is unique, so even two requests at once store one.
    """
    # Only the draft's row: it was loaded with its version and survey joined (find_draft),
    # which the refresh joins again, and those rows must stay free for every other send.
    session.refresh(draft, with_for_update={"of": Draft})
    existing = session.scalar(select(Response).where(Response.draft_id == draft.id))
    if existing is not None:
        return existing
    version = draft.survey_version
    answers = without_hidden(definition_of(version), draft.answers)
    response = store_response(
        session,
        version,
        {question: answer for question, answer in answers.items() if answer is not None},
        submitted_at=utcnow(),
        channel=Channel.ONLINE.value,
        receipt_code=new_code(),
        draft_id=draft.id,
        quarantined_at=utcnow() if held_because else None,
        quarantine_reason=held_because,
    )
    draft.answers = {}  # the answers now live in the response alone
    draft.submitted_at = response.submitted_at
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return session.scalar(select(Response).where(Response.draft_id == draft.id))
    return response
