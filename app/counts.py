"""The measure counts (app.models.MeasureCount): kept exact in the transaction of every
change to the responses, and the outcome measures served from them.

Every way a response enters, leaves, or moves in or out of quarantine ends in one of:

- the ORM adds, deletes or changes a Response (a send, a paper entry, an import, an
  erasure): the session events below count it, with no call needed at each door;
- a bulk UPDATE or DELETE (quarantine, release, the retention purge): the code calls
  `count_removed` before it and `count_added` after it, with the same condition.

What a response adds is worked out from the database row itself, read as the full
computation reads it (`analysis.load.load_for_counts`), so the counts cannot drift from
`measures_from_database`; a handful of rows (a send) is counted in plain Python
(`records_for_counts`, `count_records`), the same counts without pandas' cost per
operation. The changes are summed in the session and written just before
COMMIT, each one `INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n`: atomic on
PostgreSQL with any number of workers and servers, in key order so that two transactions
never wait on each other's rows in a cycle, and held only for the commit itself.
A rollback forgets them. Rows taken out are locked first (`load_for_counts(lock=True)`)
so that two transactions cannot both subtract one response.

`rebuild` makes the table afresh from the responses (`flask counts rebuild`, and after a
bulk load that bypassed the ORM); `differences` compares it with a fresh count
(`flask counts check`).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd
from sqlalchemy import and_, delete, event, func, or_, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction

from analysis.counts import (
    COUNT_COLUMNS,
    KEY_COLUMNS,
    RESPONSES,
    SURVEY_DIMENSION,
    YEAR,
    CountKey,
    buckets,
    cells_from_sums,
    count_records,
    count_rows,
)
from analysis.definitions import DEFAULT_BY, DIMENSION_ORDERS, MEASURES
from analysis.load import (
    CHUNK_ROWS,
    NothingToMeasure,
    admin_rows,
    load_for_counts,
    records_for_counts,
)
from analysis.load import RESPONSES as RESPONSE_ROWS
from analysis.measures import ALL, OVERALL
from analysis.periods import period_containing, period_dates, possible_dates
from analysis.results import checked_by, measures_result, published_cells, selection
from app.choice_counts import choices_added, choices_removed
from app.models import MeasureCount, Response
from app.tallies import tally_added, tally_removed

COUNTS = MeasureCount.__table__
# Keys of Session.info: the summed changes not yet written, and the responses changed in
# place whose new state is counted once the flush has written it.
_PENDING = "measure_counts_pending"
_CHANGED = "measure_counts_changed"
# At most this many responses changed in one flush are counted in plain Python; more (an
# import) go through pandas, whose cost per operation is then spread over them.
FEW = 50


def count_added(session: Session, where, *, few: bool = False) -> None:
    """Count the responses matching the SQL condition WHERE as they now stand in the
    database (those quarantined, or dated where no measure can reach them, add nothing),
    and tally them for the staff pages (app/tallies.py) and count their choices for the
    reports (app/choice_counts.py). Written at commit. Call after inserting them or
    letting them out of quarantine; FEW when WHERE picks at most FEW."""
    _pend(session, _counted(session.connection(), where, few=few))
    tally_added(session, where)
    choices_added(session, where)


def count_removed(session: Session, where, *, few: bool = False) -> None:
    """Take the responses matching WHERE out of the counts, the tallies and the choice
    counts, as they now stand, and lock them until commit. Call before deleting them or
    putting them in quarantine; FEW when WHERE picks at most FEW."""
    counted = _counted(session.connection(), where, lock=True, few=few)
    _pend(session, {key: (-numerator, -base) for key, (numerator, base) in counted.items()})
    tally_removed(session, where)
    choices_removed(session, where)


def rebuild(connection: Connection) -> int:
    """Make the counts afresh from every response; how many count rows were written.

    On PostgreSQL the table is locked first: a send that commits meanwhile waits and then
    adds to the new counts, so none is lost or counted twice. Does not commit.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE measure_counts IN EXCLUSIVE MODE"))
    connection.execute(delete(COUNTS))
    rows = fresh_counts(connection)
    records = rows.assign(start=rows["start"].dt.date).to_dict("records")
    for first in range(0, len(records), CHUNK_ROWS):
        connection.execute(COUNTS.insert(), records[first : first + CHUNK_ROWS])
    return len(records)


def fresh_counts(connection: Connection) -> pd.DataFrame:
    """The counts worked out from every response now stored, in the columns of
    `analysis.counts.count_rows`, one row per key. Read a slice of ids at a time, so a
    million responses never sit in memory at once."""
    last_id = connection.scalar(select(func.max(Response.id))) or 0
    pieces = [
        count_rows(_load(connection, Response.id.between(first, first + CHUNK_ROWS * 2 - 1)))
        for first in range(1, last_id + 1, CHUNK_ROWS * 2)
    ]
    if not pieces:
        return count_rows(_load(connection, Response.id < 0))
    return _summed(pd.concat(pieces, ignore_index=True))


def differences(connection: Connection) -> pd.DataFrame:
    """The count rows that differ from a fresh count: the key, then kept and fresh
    numerator and base. Empty when the counts are exact. Rows of 0 count as absent."""
    kept = pd.DataFrame(
        connection.execute(select(*(COUNTS.c[name] for name in COUNT_COLUMNS))).all(),
        columns=COUNT_COLUMNS,
    )
    kept = kept.loc[(kept["numerator"] != 0) | (kept["base"] != 0)]
    fresh = fresh_counts(connection)
    fresh = fresh.assign(start=fresh["start"].dt.date)
    both = _keyed(kept).merge(
        _keyed(fresh), on=KEY_COLUMNS, how="outer", suffixes=("_kept", "_fresh")
    )
    both = both.fillna({name: 0 for name in both.columns if name not in KEY_COLUMNS})
    differ = (both["numerator_kept"] != both["numerator_fresh"]) | (
        both["base_kept"] != both["base_fresh"]
    )
    return both.loc[differ].reset_index(drop=True)


def measures_from_counts(
    connection: Connection,
    *,
    period: str | None = None,
    date_from: str | dt.date | None = None,
    date_to: str | dt.date | None = None,
    by: Sequence[str] = DEFAULT_BY,
    suppress: bool = True,
) -> dict[str, Any]:
    """What `analysis.load.measures_from_database` returns, equal to it in every figure,
    from the counts: a few hundred rows summed in SQL, never the responses. Raises as
    it does: ValueError for bad options, NothingToMeasure with nothing to choose from.
    """
    return CountedMeasures(connection).result(
        period=period, date_from=date_from, date_to=date_to, by=by, suppress=suppress
    )


def latest_period(connection: Connection) -> str | None:
    """`analysis.load.latest_period` from the counts: the latest period with a response
    or admin-data figure up to today, or None."""
    return CountedMeasures(connection).latest_period()


class CountedMeasures:
    """The measures from the counts, read over one connection: the admin figures are
    read once, however many results a page asks for (its figures and its trend).

    Nothing is kept beyond the object, which lives for one request: a worker never
    serves figures older than the transaction it reads in.
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    @cached_property
    def admin(self) -> list[dict[str, Any]]:
        return admin_rows(self.connection)

    @cached_property
    def admin_periods(self) -> list[str]:
        return sorted({row["period"] for row in self.admin})

    def periods(self) -> list[str]:
        """Every period with a response on a possible date or an admin-data figure."""
        return sorted({*counted_periods(self.connection), *self.admin_periods})

    def latest_period(self) -> str | None:
        """The latest period with a response or admin-data figure up to today, or None."""
        today = possible_dates()[1] - dt.timedelta(days=1)
        this_year = period_containing(today)
        present = counted_periods(self.connection, up_to_today=True)
        present += [name for name in self.admin_periods if name <= this_year]
        return max(present, default=None)

    def result(
        self,
        *,
        period: str | None = None,
        date_from: str | dt.date | None = None,
        date_to: str | dt.date | None = None,
        by: Sequence[str] = DEFAULT_BY,
        suppress: bool = True,
    ) -> dict[str, Any]:
        """`measures_from_counts` with these options."""
        if period is None and date_from is None and date_to is None:
            period = self.latest_period()
            if period is None:
                raise NothingToMeasure("there are no responses or admin data to measure yet")
        by = checked_by(by, DIMENSION_ORDERS)
        chosen = selection(period, date_from, date_to, self.admin_periods)
        sums = _sums(
            self.connection,
            chosen.first,
            chosen.last,
            COUNTS.c.dimension.in_([OVERALL, *by]),
            COUNTS.c.measure != RESPONSES,
        )
        survey = cells_from_sums(sums, by)
        cells = published_cells(
            survey, self.admin, periods=chosen.periods, by=by, suppress_small=suppress
        )
        return measures_result(chosen.label, cells, MEASURES, by)


@dataclass(frozen=True)
class SurveyMeasures:
    """One survey's measures in one period, as a report's headlines read them."""

    result: dict[str, Any]
    responses: int


def survey_measures(connection: Connection, survey_id: str, period: str) -> SurveyMeasures:
    """What `compute_measures` gives for the responses of SURVEY_ID alone in PERIOD,
    overall only (by=()) and without admin data (its admin-data measures have base 0),
    with how many responses the survey has in PERIOD: from the counts' survey cells, a
    few dozen rows summed in SQL."""
    first, last = period_dates(period)
    sums = _sums(
        connection,
        first,
        last,
        COUNTS.c.dimension == SURVEY_DIMENSION,
        COUNTS.c.category == survey_id,
    )
    responses = sum(int(base) for measure, *_cell, base in sums if measure == RESPONSES)
    overall = [
        (measure, OVERALL, ALL, numerator, base)
        for measure, _dimension, _category, numerator, base in sums
        if measure != RESPONSES
    ]
    cells = published_cells(cells_from_sums(overall, ()), [], periods=[period], by=())
    return SurveyMeasures(measures_result(period, cells, MEASURES, ()), responses)


def counted_periods(connection: Connection, *, up_to_today: bool = False) -> list[str]:
    """The periods with at least one counted response on a possible date (up to tomorrow,
    or up to today with UP_TO_TODAY, as the default period is chosen), oldest first.

    Read from the year counts; only a year that runs past the possible dates is summed
    over the days, months and years inside them."""
    first, last = possible_dates()
    if up_to_today:
        last -= dt.timedelta(days=1)
    starts = connection.scalars(
        select(COUNTS.c.start).where(
            COUNTS.c.grain == YEAR,
            COUNTS.c.measure == RESPONSES,
            COUNTS.c.dimension == OVERALL,
            COUNTS.c.base > 0,
        )
    )
    periods = []
    for name in sorted({period_containing(start) for start in starts}):
        begin, end = period_dates(name)
        inside = (max(begin, first), min(end, last))
        if inside == (begin, end) or (
            inside[0] <= inside[1] and _responses_between(connection, *inside) > 0
        ):
            periods.append(name)
    return periods


def _in_dates(first: dt.date, last: dt.date):
    """The SQL condition picking the count rows whose days tile FIRST to LAST, or None
    when the range is empty."""
    runs = [
        and_(COUNTS.c.grain == grain, COUNTS.c.start.between(start, end))
        for grain, start, end in buckets(first, last)
    ]
    return or_(*runs) if runs else None


def _responses_between(connection: Connection, first: dt.date, last: dt.date) -> int:
    """How many responses are counted on the local dates FIRST to LAST."""
    return connection.scalar(
        select(func.coalesce(func.sum(COUNTS.c.base), 0)).where(
            _in_dates(first, last),
            COUNTS.c.measure == RESPONSES,
            COUNTS.c.dimension == OVERALL,
        )
    )


def _sums(connection: Connection, first: dt.date | None, last: dt.date | None, *where) -> list:
    """(measure, dimension, category, numerator, base) of each cell matching WHERE over
    the local dates FIRST to LAST (an open end reaching as far as a response may be
    dated), summed in SQL over the counts."""
    earliest, latest = possible_dates()
    first = earliest if first is None else max(first, earliest)
    last = latest if last is None else min(last, latest)
    dates = _in_dates(first, last)
    if dates is None:
        return []
    return connection.execute(
        select(
            COUNTS.c.measure,
            COUNTS.c.dimension,
            COUNTS.c.category,
            func.sum(COUNTS.c.numerator),
            func.sum(COUNTS.c.base),
        )
        .where(dates, *where)
        .group_by(COUNTS.c.measure, COUNTS.c.dimension, COUNTS.c.category)
    ).all()


def _load(connection: Connection, where, *, lock: bool = False) -> pd.DataFrame:
    """`load_for_counts` of the responses matching WHERE, a condition on app.models'
    Response: analysis reads the table through its own description of it, so the
    condition picks the ids in a subquery."""
    return load_for_counts(connection, _chosen(where), lock=lock)


def _chosen(where):
    return RESPONSE_ROWS.c.id.in_(select(Response.id).where(where))


def _counted(
    connection: Connection, where, *, lock: bool = False, few: bool = False
) -> dict[CountKey, tuple[int, int]]:
    """The counts the responses matching WHERE make, by key."""
    if few:
        return count_records(records_for_counts(connection, _chosen(where), lock=lock))
    rows = count_rows(_load(connection, where, lock=lock))
    return {
        (row.grain, row.start.date(), row.measure, row.dimension, row.category): (
            int(row.numerator),
            int(row.base),
        )
        for row in rows.itertuples(index=False)
    }


def _keyed(rows: pd.DataFrame) -> pd.DataFrame:
    """ROWS with text keys (the start date as ISO text) and whole-number counts."""
    return rows.astype(
        {**{name: "str" for name in KEY_COLUMNS}, "numerator": "int64", "base": "int64"}
    )


def _pend(session: Session, counted: dict[CountKey, tuple[int, int]]) -> None:
    """Add COUNTED to the session's changes not yet written, summed by key."""
    pending = session.info.setdefault(_PENDING, {})
    for key, (numerator, base) in counted.items():
        total = pending.setdefault(key, [0, 0])
        total[0] += numerator
        total[1] += base


def _summed(rows: pd.DataFrame) -> pd.DataFrame:
    summed = rows.groupby(KEY_COLUMNS, sort=True)[["numerator", "base"]].sum().reset_index()
    return summed.loc[(summed["numerator"] != 0) | (summed["base"] != 0)].reset_index(drop=True)


def _write(connection: Connection, pending: dict[CountKey, list[int]]) -> None:
    """Add the PENDING changes to the counts, one atomic upsert per key, in key order."""
    records = [
        {**dict(zip(KEY_COLUMNS, key, strict=True)), "numerator": numerator, "base": base}
        for key, (numerator, base) in sorted(pending.items())
        if numerator or base
    ]
    if not records:
        return
    insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(COUNTS)
    statement = statement.on_conflict_do_update(
        index_elements=KEY_COLUMNS,
        set_={
            "numerator": COUNTS.c.numerator + statement.excluded.numerator,
            "base": COUNTS.c.base + statement.excluded.base,
        },
    )
    connection.execute(statement, records)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context, _instances) -> None:
    """Take deleted and changed responses out of the counts while the rows still hold
    what was counted."""
    gone = [item.id for item in session.deleted if isinstance(item, Response)]
    changed = [
        item.id
        for item in session.dirty
        if isinstance(item, Response) and item.id is not None and session.is_modified(item)
    ]
    if gone or changed:
        count_removed(session, Response.id.in_(gone + changed), few=len(gone + changed) <= FEW)
    if changed:
        session.info.setdefault(_CHANGED, []).extend(changed)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    """Count new responses, and changed ones as they now stand."""
    added = [item.id for item in session.new if isinstance(item, Response)]
    added += session.info.pop(_CHANGED, [])
    if added:
        count_added(session, Response.id.in_(added), few=len(added) <= FEW)


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
        session.info.pop(_CHANGED, None)
