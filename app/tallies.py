"""The response tallies (app.models.ResponseTally): how many responses each survey has by
London day, audience, area, channel and held back or not, kept exact in the transaction
of every change to the responses through the doors app/counts.py keeps the measure
counts by: its `count_added` and `count_removed` (called by its session events for
every send, paper entry, import, erasure and edit, and by the bulk quarantine, release
and retention purge) call `tally_added` and `tally_removed` here with the same condition.

What a response adds is read from its database row, its area as the staff pages read it
(`Response.answers["area"]`), so the tallies cannot drift from a count of the responses.
Changes are summed in the session and written just before COMMIT, one
`INSERT ... ON CONFLICT DO UPDATE SET responses = responses + excluded.responses` per
key, in key order: atomic with any number of workers and servers on PostgreSQL.

`rebuild` makes the table afresh (`flask counts rebuild`, and after a bulk load that
bypassed the ORM); `differences` compares it with a fresh count.
"""

from collections import Counter
from datetime import date, datetime

from sqlalchemy import delete, event, func, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction

from app.models import Response, ResponseTally
from app.time import LONDON

TALLIES = ResponseTally.__table__
KEY = ("survey_id", "day", "audience", "area", "channel", "held")
AREA = "area"
# Answers with no area, or "prefer not to say", are counted here: they are people heard.
NOT_STATED = "not_stated"
NOT_STATED_ANSWERS = frozenset({None, "prefer_not_to_say"})
READ_ROWS = 20_000
# The key of Session.info holding the summed changes not yet written.
_PENDING = "response_tallies_pending"

Key = tuple[str, date, str, str, str, bool]


def area_of(answered: object) -> str:
    """The area group of an `area` answer as the database gives it."""
    return NOT_STATED if answered in NOT_STATED_ANSWERS else str(answered)


def tally_added(session: Session, where) -> None:
    """Tally the responses matching the SQL condition WHERE as they now stand in the
    database; written at commit. Call after inserting them or releasing them."""
    _pend(session, _tally(session.connection(), where))


def tally_removed(session: Session, where) -> None:
    """Take the responses matching WHERE, as they now stand, out of the tallies, locking
    them until commit. Call before deleting them or holding them back."""
    _pend(
        session, Counter({key: -n for key, n in _tally(session.connection(), where, True).items()})
    )


def rebuild(connection: Connection) -> int:
    """Make the tallies afresh from every response; how many rows were written. On
    PostgreSQL the table is locked first, so a send committing meanwhile waits and then
    adds to the new tallies. Does not commit."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE response_tallies IN EXCLUSIVE MODE"))
    connection.execute(delete(TALLIES))
    fresh = fresh_tallies(connection)
    records = [dict(zip(KEY, key, strict=True), responses=n) for key, n in sorted(fresh.items())]
    for first in range(0, len(records), READ_ROWS):
        connection.execute(TALLIES.insert(), records[first : first + READ_ROWS])
    return len(records)


def fresh_tallies(connection: Connection) -> Counter[Key]:
    """The tallies counted afresh from every response, a slice of ids at a time."""
    last_id = connection.scalar(select(func.max(Response.id))) or 0
    counted: Counter[Key] = Counter()
    for first in range(1, last_id + 1, READ_ROWS):
        counted += _tally(connection, Response.id.between(first, first + READ_ROWS - 1))
    return counted


def differences(connection: Connection) -> dict[Key, tuple[int, int]]:
    """Each key whose kept tally differs from a fresh count: (kept, fresh). Empty when
    the tallies are exact; a kept 0 counts as absent."""
    kept = Counter(
        {
            tuple(row[:-1]): row[-1]
            for row in connection.execute(
                select(*(TALLIES.c[name] for name in KEY), TALLIES.c.responses)
            )
            if row[-1]
        }
    )
    fresh = fresh_tallies(connection)
    return {
        key: (kept[key], fresh[key])
        for key in kept.keys() | fresh.keys()
        if kept[key] != fresh[key]
    }


def _tally(connection: Connection, where, lock: bool = False) -> Counter[Key]:
    query = select(
        Response.survey_id,
        Response.submitted_at,
        Response.audience,
        Response.answers[AREA].as_string(),
        Response.channel,
        Response.quarantined_at.is_not(None),
    ).where(where)
    if lock and connection.dialect.name == "postgresql":
        query = query.with_for_update()
    counted: Counter[Key] = Counter()
    for survey_id, submitted_at, audience, area, channel, held in connection.execute(query):
        counted[survey_id, _day(submitted_at), audience, area_of(area), channel, bool(held)] += 1
    return counted


def _day(instant: datetime) -> date:
    return instant.astimezone(LONDON).date()


def _pend(session: Session, counted: Counter[Key]) -> None:
    if counted:
        session.info.setdefault(_PENDING, Counter()).update(counted)


def _write(connection: Connection, counted: Counter[Key]) -> None:
    """Add COUNTED to the tallies, one atomic upsert per key, in key order."""
    records = [
        dict(zip(KEY, key, strict=True), responses=n) for key, n in sorted(counted.items()) if n
    ]
    if not records:
        return
    insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(TALLIES)
    statement = statement.on_conflict_do_update(
        index_elements=list(KEY),
        set_={"responses": TALLIES.c.responses + statement.excluded.responses},
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
    """A rollback forgets the changes: the responses they tallied were never stored."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
