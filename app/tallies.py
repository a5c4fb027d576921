"""The response tallies (app.models.ResponseTally): how many responses each survey has by
London day, audience, area, channel and held back or not, kept exact in the transaction
of every change to the responses through the doors app/counts.py keeps the measure
counts by: its `count_added` and `count_removed` (called by its session events for
every send, paper entry, import, erasure and edit, and by the bulk quarantine, release
and retention purge) call `tally_added` and `tally_removed` here with the same condition.

What a response adds is read from its database row, its area as the staff pages read it
(`Response.answers["area"]`), so the tallies cannot drift from a count of the responses.
They are summed and written at commit as app/kept_counts.py says.

`rebuild` makes the table afresh (`flask counts rebuild`, and after a bulk load that
bypassed the ORM); `differences` compares it with a fresh count.
"""

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.kept_counts import kept_counts
from app.models import Response, ResponseTally
from app.time import london_day

TALLIES = ResponseTally.__table__
KEY = ("survey_id", "day", "audience", "area", "channel", "held")
AREA = "area"
# Answers with no area, or "prefer not to say", are counted here: they are people heard.
NOT_STATED = "not_stated"
NOT_STATED_ANSWERS = frozenset({None, "prefer_not_to_say"})

Key = tuple[str, date, str, str, str, bool]


def area_of(answered: object) -> str:
    """The area group of an `area` answer as the database gives it."""
    return NOT_STATED if answered in NOT_STATED_ANSWERS else str(answered)


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
        counted[
            survey_id, london_day(submitted_at), audience, area_of(area), channel, bool(held)
        ] += 1
    return counted


TALLIES_KEPT = kept_counts(TALLIES, KEY, _tally)
tally_added = TALLIES_KEPT.added
tally_removed = TALLIES_KEPT.removed
rebuild = TALLIES_KEPT.rebuild
differences = TALLIES_KEPT.differences
