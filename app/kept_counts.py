"""Tables of counts of responses kept exact in the transaction of every change to the
responses: the staff pages' tallies (app/tallies.py) and the reports' choice counts
(app/choice_counts.py). Each is a table with its key columns and a `responses` count,
and a function counting the responses an SQL condition picks, by key, as they stand.

app/counts.py calls `added` after responses are inserted or released and `removed` before
they are deleted or held back, with the same condition it counts the measures by. The
changes are summed in the session and written just before COMMIT, one
`INSERT ... ON CONFLICT DO UPDATE SET responses = responses + excluded.responses` per
key, in key order: atomic with any number of workers and servers on PostgreSQL, and
held only for the commit itself. A rollback forgets them.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, event, func, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction

from app.models import Response

READ_ROWS = 20_000

# (connection, SQL condition on the responses, lock them until commit) -> counts by key.
Count = Callable[[Connection, Any, bool], Counter]


@dataclass(frozen=True)
class KeptCounts:
    table: Table
    key: tuple[str, ...]
    count: Count

    def added(self, session: Session, where) -> None:
        """Count the responses matching WHERE as they now stand; written at commit."""
        self._pend(session, self.count(session.connection(), where, False))

    def removed(self, session: Session, where) -> None:
        """Take the responses matching WHERE, as they now stand, out of the counts,
        locking them until commit."""
        counted = self.count(session.connection(), where, True)
        self._pend(session, Counter({key: -n for key, n in counted.items()}))

    def rebuild(self, connection: Connection) -> int:
        """Make the table afresh from every response; how many rows were written. On
        PostgreSQL the table is locked first, so a send committing meanwhile waits and
        then adds to the new counts. Does not commit."""
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"LOCK TABLE {self.table.name} IN EXCLUSIVE MODE"))
        connection.execute(delete(self.table))
        records = self._records(self.fresh(connection))
        for first in range(0, len(records), READ_ROWS):
            connection.execute(self.table.insert(), records[first : first + READ_ROWS])
        return len(records)

    def fresh(self, connection: Connection) -> Counter:
        """The counts made afresh from every response, a slice of ids at a time."""
        last_id = connection.scalar(select(func.max(Response.id))) or 0
        counted: Counter = Counter()
        for first in range(1, last_id + 1, READ_ROWS):
            where = Response.id.between(first, first + READ_ROWS - 1)
            counted.update(self.count(connection, where, False))
        return counted

    def differences(self, connection: Connection) -> dict[tuple, tuple[int, int]]:
        """Each key whose kept count differs from a fresh count: (kept, fresh). Empty
        when the counts are exact; a kept 0 counts as absent."""
        columns = [self.table.c[name] for name in self.key]
        kept = Counter(
            {
                tuple(row[:-1]): row[-1]
                for row in connection.execute(select(*columns, self.table.c.responses))
                if row[-1]
            }
        )
        fresh = self.fresh(connection)
        return {
            key: (kept[key], fresh[key])
            for key in kept.keys() | fresh.keys()
            if kept[key] != fresh[key]
        }

    @property
    def pending_key(self) -> str:
        """The key of Session.info holding the summed changes not yet written."""
        return f"{self.table.name}_pending"

    def _pend(self, session: Session, counted: Counter) -> None:
        if counted:
            session.info.setdefault(self.pending_key, Counter()).update(counted)

    def _records(self, counted: Counter) -> list[dict[str, Any]]:
        return [
            dict(zip(self.key, key, strict=True), responses=n)
            for key, n in sorted(counted.items())
            if n
        ]

    def write(self, connection: Connection, counted: Counter) -> None:
        """Add COUNTED to the table, one atomic upsert per key, in key order."""
        records = self._records(counted)
        if not records:
            return
        insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
        statement = insert(self.table)
        statement = statement.on_conflict_do_update(
            index_elements=list(self.key),
            set_={"responses": self.table.c.responses + statement.excluded.responses},
        )
        connection.execute(statement, records)


_KEPT: list[KeptCounts] = []


def kept_counts(table: Table, key: tuple[str, ...], count: Count) -> KeptCounts:
    """TABLE's counts, kept in every transaction from now on."""
    kept = KeptCounts(table, key, count)
    _KEPT.append(kept)
    return kept


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    """Write the summed changes last, so their rows are locked only for the commit."""
    session.flush()
    for kept in _KEPT:
        pending = session.info.pop(kept.pending_key, None)
        if pending:
            kept.write(session.connection(), pending)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    """A rollback forgets the changes: the responses they counted were never stored."""
    if transaction.parent is None:
        for kept in _KEPT:
            session.info.pop(kept.pending_key, None)
