"""Keeping answers only as long as promised, erasing one on request, and backups."""

import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.audit import record
from app.counts import count_removed
from app.models import (
    ContactRequest,
    Draft,
    ErasedImport,
    MessageStatus,
    OutboxMessage,
    Response,
    SafeguardingFlag,
    User,
)
from app.outbox.messages import TO_PARENT_CARERS
from app.respond.contacts import mix_contacts
from app.respond.drafts import normalise_code
from app.time import LONDON

# Unsent answers are kept long enough to come back to after a holiday, no longer.
DRAFT_DAYS = 90


class ErasureRefused(ValueError):
    """The response cannot be erased now; the message says why and what to do."""


@dataclass(frozen=True)
class PurgeCounts:
    responses: int
    drafts: int
    contacts: int
    messages: int

    def __str__(self) -> str:
        return (
            f"{self.responses} response(s), {self.drafts} unsent draft(s), "
            f"{self.contacts} email address(es) and {self.messages} unsent email(s) to "
            "parent carers"
        )


def purge(
    session: Session, retention_days: int, now: datetime, dry_run: bool = False
) -> PurgeCounts:
    """Delete responses older than RETENTION_DAYS, drafts older than DRAFT_DAYS, and
    emails left for results older than RETENTION_DAYS, with the emails to parent carers that
    failed or were never sent in that time; store the emails left before today again in a
    random order (`mix_contacts`). Does not commit."""
    answers_before = now - timedelta(days=retention_days)
    drafts_before = now - timedelta(days=DRAFT_DAYS)
    old_responses = Response.submitted_at < answers_before
    old_drafts = (Draft.updated_at < drafts_before) & Draft.submitted_at.is_(None)
    old_contacts = ContactRequest.consented_on < answers_before.date()
    # A sent one keeps no address; a failed one will never be sent, so it keeps it no longer.
    stale_messages = OutboxMessage.kind.in_(TO_PARENT_CARERS) & (
        (OutboxMessage.status == MessageStatus.FAILED.value)
        | (
            (OutboxMessage.status != MessageStatus.SENT.value)
            & (OutboxMessage.created_at < answers_before)
        )
    )
    counts = PurgeCounts(
        *(
            session.scalar(select(func.count()).select_from(model).where(condition))
            for model, condition in (
                (Response, old_responses),
                (Draft, old_drafts),
                (ContactRequest, old_contacts),
                (OutboxMessage, stale_messages),
            )
        )
    )
    if not dry_run:
        count_removed(session, old_responses)
        for model, condition in (
            (Response, old_responses),
            (Draft, old_drafts),
            (ContactRequest, old_contacts),
            (OutboxMessage, stale_messages),
        ):
            session.execute(delete(model).where(condition))
        mix_contacts(session, now.astimezone(LONDON).date())
        record(session, None, "data.purge", f"before:{answers_before.date()}", counts=str(counts))
    return counts


def erase(session: Session, receipt_code: str) -> bool:
    """Delete the response with this receipt code (the respondent's right to erasure);
    False if there is none. Does not commit. Refused as `erase_response` refuses."""
    response = session.scalar(
        select(Response).where(Response.receipt_code == normalise_code(receipt_code))
    )
    if response is None:
        return False
    erase_response(session, response, None)
    return True


def erase_response(session: Session, response: Response, user: User | None) -> None:
    """Delete RESPONSE, audited as done by USER (None: from the command line). Does not
    commit.

    A response the safeguarding lead has not yet dealt with is kept until they have: a
    child's disclosure of harm must reach a person first.
    """
    if awaits_safeguarding(session, response):
        raise ErasureRefused(
            "this response is waiting for the safeguarding lead; erase it after they have "
            "marked it handled"
        )
    # Remembered so that importing a file, or an earlier download, again cannot bring
    # the erased response back.
    for key in {response.import_key, response.public_id} - {None}:
        session.add(ErasedImport(import_key=key))
    session.delete(response)
    record(session, user, "data.erase", f"response:{response.id}", channel=response.channel)


def awaits_safeguarding(session: Session, response: Response) -> bool:
    """Whether RESPONSE has a safeguarding flag not yet marked handled."""
    flag = session.scalar(
        select(SafeguardingFlag).where(SafeguardingFlag.response_id == response.id)
    )
    return flag is not None and flag.handled_at is None


def backup(engine: Engine, destination: Path) -> None:
    """Write a consistent copy of the database to DESTINATION (a new file).

    SQLite: VACUUM INTO, which reads one snapshot while others keep writing. PostgreSQL:
    pg_dump in its custom format, restored with pg_restore.
    """
    if destination.exists():
        raise FileExistsError(f"{destination} already exists; choose a new file name")
    destination.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        # VACUUM cannot run inside a transaction, so not through a SQLAlchemy connection
        # (which begins one); the raw connection is in autocommit mode (app/db.py).
        connection = engine.raw_connection()
        try:
            connection.cursor().execute("VACUUM INTO ?", (str(destination),))
        finally:
            connection.close()
        return
    url = make_url(engine.url).set(drivername="postgresql")
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise RuntimeError("pg_dump is not installed (Debian: apt-get install postgresql-client)")
    subprocess.run(
        [
            pg_dump,
            "--format=custom",
            f"--file={destination}",
            url.render_as_string(hide_password=False),
        ],
        check=True,
    )
