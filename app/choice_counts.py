"""The choice counts (app.models.ChoiceCount): how many responses to each survey gave each
answer to each choice question, by London day, kept exact in the transaction of every
change to the responses through the doors app/counts.py keeps the measure counts by: its
`count_added` and `count_removed` (called by its session events for every send, paper
entry, import, erasure and edit, and by the bulk quarantine, release and retention
purge) call `choices_added` and `choices_removed` here with the same condition.

A response counts under the choice questions of the survey version it answered (free
text never), each answer as stored: a single choice once, a multiple choice once under
each option chosen, and once under ANSWERED for the question's base. Responses held
back (quarantined) count nowhere until released, as the report leaves them out.
Changes are summed in the session and written just before COMMIT, one
`INSERT ... ON CONFLICT DO UPDATE SET responses = responses + excluded.responses` per
key, in key order: atomic with any number of workers and servers on PostgreSQL.

`rebuild` makes the table afresh (`flask counts rebuild`, and after a bulk load that
bypassed the ORM); `differences` compares it with a fresh count (`flask counts check`).
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, event, func, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction

from analysis.periods import possible_dates
from app.models import ChoiceCount, Response
from app.surveys.versions import definitions
from app.time import LONDON

CHOICES = ChoiceCount.__table__
KEY = ("survey_id", "day", "question", "answer")
# The answer under which everyone who answered a question is counted: never an option id.
ANSWERED = ""
READ_ROWS = 20_000
# The key of Session.info holding the summed changes not yet written.
_PENDING = "choice_counts_pending"

Key = tuple[str, date, str, str]


def chosen_options(answer: Any) -> set[str]:
    """The options an ANSWER as stored chose: each of a list once, or the one given."""
    given = answer if isinstance(answer, list) else [answer]
    return {option for option in given if isinstance(option, str) and option != ANSWERED}


def choices_added(session: Session, where) -> None:
    """Count the answers of the responses matching the SQL condition WHERE as they now
    stand in the database; written at commit. Call after inserting or releasing them."""
    _pend(session, _count(session.connection(), where))


def choices_removed(session: Session, where) -> None:
    """Take the answers of the responses matching WHERE, as they now stand, out of the
    counts, locking the responses until commit. Call before deleting or holding them."""
    counted = _count(session.connection(), where, lock=True)
    _pend(session, Counter({key: -n for key, n in counted.items()}))


@dataclass(frozen=True)
class ChoiceTotals:
    """What a report's option tables are worked out from: how many chose each
    (question, answer), and how many answered each question."""

    chosen: dict[tuple[str, str], int]
    answered: dict[str, int]


def choice_totals(
    connection: Connection, survey_id: str, first: date, last: date, questions: Sequence[str]
) -> ChoiceTotals:
    """The answers to QUESTIONS of SURVEY_ID's responses on the London dates FIRST to
    LAST (never outside `possible_dates`), summed in SQL over the counts."""
    earliest, latest = possible_dates()
    rows = connection.execute(
        select(CHOICES.c.question, CHOICES.c.answer, func.sum(CHOICES.c.responses))
        .where(
            CHOICES.c.survey_id == survey_id,
            CHOICES.c.day.between(max(first, earliest), min(last, latest)),
            CHOICES.c.question.in_(list(questions)),
        )
        .group_by(CHOICES.c.question, CHOICES.c.answer)
    )
    chosen: dict[tuple[str, str], int] = {}
    answered: dict[str, int] = {}
    for question, answer, responses in rows:
        if answer == ANSWERED:
            answered[question] = int(responses)
        else:
            chosen[question, answer] = int(responses)
    return ChoiceTotals(chosen, answered)


def rebuild(connection: Connection) -> int:
    """Make the choice counts afresh from every response; how many rows were written. On
    PostgreSQL the table is locked first, so a send committing meanwhile waits and then
    adds to the new counts. Does not commit."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE choice_counts IN EXCLUSIVE MODE"))
    connection.execute(delete(CHOICES))
    records = _records(fresh_counts(connection))
    for first in range(0, len(records), READ_ROWS):
        connection.execute(CHOICES.insert(), records[first : first + READ_ROWS])
    return len(records)


def fresh_counts(connection: Connection) -> Counter[Key]:
    """The choice counts counted afresh from every response, a slice of ids at a time."""
    last_id = connection.scalar(select(func.max(Response.id))) or 0
    counted: Counter[Key] = Counter()
    for first in range(1, last_id + 1, READ_ROWS):
        counted.update(_count(connection, Response.id.between(first, first + READ_ROWS - 1)))
    return counted


def differences(connection: Connection) -> dict[Key, tuple[int, int]]:
    """Each key whose kept count differs from a fresh count: (kept, fresh). Empty when
    the counts are exact; a kept 0 counts as absent."""
    kept = Counter(
        {
            tuple(row[:-1]): row[-1]
            for row in connection.execute(
                select(*(CHOICES.c[name] for name in KEY), CHOICES.c.responses)
            )
            if row[-1]
        }
    )
    fresh = fresh_counts(connection)
    return {
        key: (kept[key], fresh[key])
        for key in kept.keys() | fresh.keys()
        if kept[key] != fresh[key]
    }


def _count(connection: Connection, where, lock: bool = False) -> Counter[Key]:
    query = select(
        Response.survey_version_id, Response.survey_id, Response.submitted_at, Response.answers
    ).where(where, Response.quarantined_at.is_(None))
    if lock and connection.dialect.name == "postgresql":
        query = query.with_for_update()
    rows = connection.execute(query).all()
    asked = {
        version: [question.id for question in definition.questions() if question.is_choice]
        for version, definition in definitions(connection, {row[0] for row in rows}).items()
    }
    counted: Counter[Key] = Counter()
    for version, survey_id, submitted_at, answers in rows:
        day = _day(submitted_at)
        for question in asked[version]:
            answer = answers.get(question)
            if answer is None:
                continue
            counted[survey_id, day, question, ANSWERED] += 1
            for option in chosen_options(answer):
                counted[survey_id, day, question, option] += 1
    return counted


def _day(instant: datetime) -> date:
    return instant.astimezone(LONDON).date()


def _records(counted: Counter[Key]) -> list[dict[str, Any]]:
    return [
        dict(zip(KEY, key, strict=True), responses=n) for key, n in sorted(counted.items()) if n
    ]


def _pend(session: Session, counted: Counter[Key]) -> None:
    if counted:
        session.info.setdefault(_PENDING, Counter()).update(counted)


def _write(connection: Connection, counted: Counter[Key]) -> None:
    """Add COUNTED to the choice counts, one atomic upsert per key, in key order."""
    records = _records(counted)
    if not records:
        return
    insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(CHOICES)
    statement = statement.on_conflict_do_update(
        index_elements=list(KEY),
        set_={"responses": CHOICES.c.responses + statement.excluded.responses},
    )
    connection.execute(statement, records)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    """Write the summed changes last, so their rows are locked only for the commit."""
    session.flush()
    pending = session.info.pop(_PENDING, None)
    if pending:
        _write(session.connection(), pending)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    """A rollback forgets the changes: the responses they counted were never stored."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
