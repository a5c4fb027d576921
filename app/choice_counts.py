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
They are summed and written at commit as app/kept_counts.py says.

`rebuild` makes the table afresh (`flask counts rebuild`, and after a bulk load that
bypassed the ORM); `differences` compares it with a fresh count (`flask counts check`).
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from analysis.periods import possible_dates
from app.kept_counts import kept_counts
from app.models import ChoiceCount, Response
from app.surveys.versions import definitions
from app.time import london_day

CHOICES = ChoiceCount.__table__
KEY = ("survey_id", "day", "question", "answer")
# The answer under which everyone who answered a question is counted: never an option id.
ANSWERED = ""

Key = tuple[str, date, str, str]


def chosen_options(answer: Any) -> set[str]:
    """The options an ANSWER as stored chose: each of a list once, or the one given."""
    given = answer if isinstance(answer, list) else [answer]
    return {option for option in given if isinstance(option, str) and option != ANSWERED}


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
        day = london_day(submitted_at)
        for question in asked[version]:
            answer = answers.get(question)
            if answer is None:
                continue
            counted[survey_id, day, question, ANSWERED] += 1
            for option in chosen_options(answer):
                counted[survey_id, day, question, option] += 1
    return counted


CHOICES_KEPT = kept_counts(CHOICES, KEY, _count)
choices_added = CHOICES_KEPT.added
choices_removed = CHOICES_KEPT.removed
rebuild = CHOICES_KEPT.rebuild
differences = CHOICES_KEPT.differences
