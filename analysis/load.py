"""The one place that turns database rows into the DataFrames the analysis takes.

Everything else in `analysis` is pure pandas; this module alone speaks SQL, through
SQLAlchemy Core, and never imports Flask or the app's models (which would bring Flask
with them): it names the few columns it reads itself.

Free text is read by `load_comments` alone, for themes and reports, and never the words
of a response flagged as a possible safeguarding disclosure: those reach the safeguarding
lead through the app, and nothing here.

`load_responses`, which feeds the outcome measures, reads choice answers only, and is
fast by asking the database for little and making few Python objects:

- each answer is pulled out of the JSON in SQL (`json_extract` on SQLite, `->>` on
  PostgreSQL), only for the questions asked for; free text is refused;
- a known option travels as a one-character code, and CPython keeps one shared object for
  every one-character string, so the driver allocates nothing per answer and the codes
  hash at once; each chunk of rows is then decoded column by column with
  `pandas.factorize`, a few distinct values at a time, never row by row;
- `submitted_at` travels as text (SQLite) or epoch microseconds (PostgreSQL), parsed by
  pandas in bulk, not as a datetime object per row.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Integer,
    String,
    case,
    cast,
    column,
    extract,
    func,
    select,
    table,
    type_coerce,
)
from sqlalchemy.engine import Connection, Engine

from analysis.definitions import (
    ADMIN_DATA,
    DEFAULT_BY,
    DIMENSION_ORDERS,
    MEASURES,
    PREFER_NOT_TO_SAY,
    Measure,
)
from analysis.periods import (
    FIRST_DATE,
    LAST_YEAR,
    LONDON,
    parse_date,
    period_containing,
    period_dates,
    period_name,
    period_of,
    possible_dates,
    today_in_london,
)
from analysis.results import compute_measures

# The columns read, named here rather than imported from app.models, which imports Flask.
RESPONSES = table(
    "responses",
    column("id", Integer),
    column("survey_id", String),
    column("audience", String),
    column("submitted_at", DateTime(timezone=True)),
    column("answers", JSON),
    column("quarantined_at", DateTime(timezone=True)),
)
# Responses held for the officer (app/quarantine.py: possible ballot stuffing) are left
# out of everything read here until released.
NOT_QUARANTINED = RESPONSES.c.quarantined_at.is_(None)
ADMIN_FIGURES = table(
    "admin_figures",
    column("measure", String),
    column("period", String),
    column("area", String),
    column("numerator", Integer),
    column("denominator", Integer),
)

# The "about you" questions that breakdowns read (audience is a column, not an answer).
BREAKDOWN_QUESTIONS: tuple[str, ...] = tuple(d for d in DIMENSION_ORDERS if d != "audience")
MEASURE_QUESTIONS: tuple[str, ...] = tuple(
    dict.fromkeys(question for measure in MEASURES for question in measure.questions)
)
# Every answer `load_responses` may read: all of them single-choice option ids. Free text
# (`going_well`, `should_change`, ...) is refused, so it can never reach a measure.
CHOICE_QUESTIONS: tuple[str, ...] = MEASURE_QUESTIONS + BREAKDOWN_QUESTIONS

# The options each question is known to have, in order: a measure's scale, or a
# dimension's options and prefer_not_to_say.
KNOWN_OPTIONS: dict[str, tuple[str, ...]] = {
    **{
        question: measure.scale.options
        for measure in MEASURES
        if measure.scale is not None
        for question in measure.questions
    },
    **{
        question: (*DIMENSION_ORDERS[question], PREFER_NOT_TO_SAY)
        for question in BREAKDOWN_QUESTIONS
    },
}

RESPONSE_COLUMNS = ["response_id", "survey", "audience", "submitted_at"]
ADMIN_COLUMNS = ["measure", "period", "area", "numerator", "denominator"]
CHUNK_ROWS = 100_000
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class NothingToMeasure(LookupError):
    """No period was given and the database has no responses or admin data to pick one."""


def measures_from_database(
    connection_or_engine: Connection | Engine,
    *,
    period: str | None = None,
    date_from: str | dt.date | None = None,
    date_to: str | dt.date | None = None,
    by: Sequence[str] = DEFAULT_BY,
    suppress: bool = True,
) -> dict:
    """`analysis.results.compute_measures` over the database, reading only what it needs.

    The options mean what they mean there, and the result is the same as computing over
    every response. Only the questions of the measures and of `by` are loaded, and only
    the responses of the period or date range asked for (with no period and no range,
    the latest period, found in SQL). Raises ValueError for bad options before reading
    any response, and NothingToMeasure when there is no period to choose.
    """
    by = list(by)
    with _connected(connection_or_engine) as connection:
        if period is None and date_from is None and date_to is None:
            period = latest_period(connection)
            if period is None:
                raise NothingToMeasure("there are no responses or admin data to measure yet")
        # Computing over no rows makes compute_measures' own checks, with its messages,
        # before a million rows are read for nothing.
        compute_measures(
            _empty_responses(()),
            _empty_admin(),
            period=period,
            date_from=date_from,
            date_to=date_to,
            by=by,
        )
        if period is not None:
            first, last = period_dates(period)
        else:
            first = None if date_from is None else parse_date(date_from)
            last = None if date_to is None else parse_date(date_to)
        responses = load_responses(
            connection, questions=questions_needed(by=by), date_from=first, date_to=last
        )
        admin = load_admin(connection)
    return compute_measures(
        responses,
        admin,
        period=period,
        date_from=date_from,
        date_to=date_to,
        by=by,
        suppress=suppress,
    )


def latest_period(connection_or_engine: Connection | Engine) -> str | None:
    """The latest period with a response or admin-data figure up to today, or None when
    there are none: a row dated in the future never moves the default period.

    The same choice as `compute_measures` makes with no period, without loading a row.
    """
    ids = [measure.id for measure in MEASURES if measure.source == ADMIN_DATA]
    today = today_in_london()
    with _connected(connection_or_engine) as connection:
        dialect = connection.dialect.name
        latest = select(func.max(_instant(dialect)))
        last = connection.execute(_chosen_responses(latest, dialect, None, None, today)).scalar()
        admin = connection.execute(
            select(func.max(ADMIN_FIGURES.c.period)).where(
                ADMIN_FIGURES.c.measure.in_(ids),
                ADMIN_FIGURES.c.period <= period_containing(today),
            )
        ).scalar()
    present = [] if admin is None else [admin]
    if last is not None:
        present += list(period_of(_timestamps(np.array([last], dtype=object), dialect)))
    # Names like "2025/26" sort in time order as text.
    return max(present, default=None)


def questions_needed(
    measures: Sequence[Measure] = MEASURES, by: Iterable[str] = DEFAULT_BY
) -> tuple[str, ...]:
    """The question ids to load for `measures` broken down `by` these dimensions."""
    wanted = [question for measure in measures for question in measure.questions]
    wanted += [dimension for dimension in by if dimension in BREAKDOWN_QUESTIONS]
    return tuple(dict.fromkeys(wanted))


def load_responses(
    connection_or_engine: Connection | Engine,
    *,
    questions: Sequence[str] = CHOICE_QUESTIONS,
    surveys: Sequence[str] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> pd.DataFrame:
    """The responses as one row each, in the shape `analysis.results` takes.

    Columns response_id (int64), survey, audience (str), submitted_at (datetime64[ns,
    UTC]), then one str column per id in `questions`, in that order: the option id
    answered, or missing where the response has no such answer. Only the responses of
    `surveys` when given, and only those submitted on Europe/London local dates from
    `date_from` to `date_to` (inclusive, either end open) when given. Rows are ordered
    by response id. Raises ValueError for a question that is not a measure or "about
    you" question: free text is never loaded.
    """
    questions = list(dict.fromkeys(questions))
    refused = [question for question in questions if question not in CHOICE_QUESTIONS]
    if refused:
        raise ValueError(
            f"only the choice questions of the measures and breakdowns can be loaded, "
            f"not {', '.join(refused)}"
        )
    with _connected(connection_or_engine) as connection:
        statement = _chosen_responses(
            _responses_statement(connection.dialect.name, questions),
            connection.dialect.name,
            surveys,
            date_from,
            date_to,
        )
        return _read_responses(connection, statement, questions)


def load_for_counts(connection: Connection, where=None, *, lock: bool = False) -> pd.DataFrame:
    """The responses the measure counts hold (app/counts.py), as `load_responses` gives them
    with every choice question: those matching the SQL condition WHERE (all when None),
    not quarantined, dated from FIRST_DATE to the last day of the last period a date may
    name. Unlike `load_responses`, never cut at tomorrow: a row dated ahead is counted
    now, and the counts' readers leave it out until its day is possible.

    With LOCK (PostgreSQL), the rows are locked until the transaction ends, so that two
    transactions taking the same response out of the counts cannot both subtract it.
    """
    statement = _for_counts(connection.dialect.name, where, lock)
    return _read_responses(connection, statement, list(CHOICE_QUESTIONS))


def records_for_counts(
    connection: Connection, where=None, *, lock: bool = False
) -> list[dict[str, Any]]:
    """The rows of `load_for_counts` as records for `analysis.counts.count_records`: its
    columns as keys, `submitted_at` an aware UTC datetime, an unanswered question None.
    For the few responses of a send, where building a frame cost milliseconds."""
    dialect = connection.dialect.name
    return [
        {
            "response_id": response_id,
            "survey": survey,
            "audience": audience,
            "submitted_at": _instant_value(instant, dialect),
            **{
                question: _DECODE[question].get(answer, answer)
                for question, answer in zip(CHOICE_QUESTIONS, answers, strict=True)
            },
        }
        for response_id, survey, audience, instant, *answers in connection.execute(
            _for_counts(dialect, where, lock)
        )
    ]


def _for_counts(dialect: str, where, lock: bool):
    """The statement of `load_for_counts`."""
    last = period_dates(period_name(LAST_YEAR))[1] + dt.timedelta(days=1)
    statement = _responses_statement(dialect, CHOICE_QUESTIONS).where(
        NOT_QUARANTINED,
        RESPONSES.c.submitted_at >= _local_midnight(FIRST_DATE, dialect),
        RESPONSES.c.submitted_at < _local_midnight(last, dialect),
    )
    if where is not None:
        statement = statement.where(where)
    if lock:
        statement = statement.with_for_update()
    return statement


def _responses_statement(dialect: str, questions: Sequence[str]):
    return select(
        RESPONSES.c.id,
        RESPONSES.c.survey_id,
        RESPONSES.c.audience,
        _instant(dialect),
        *(_coded_answer(question) for question in questions),
    ).order_by(RESPONSES.c.id)


def _read_responses(connection: Connection, statement, questions: Sequence[str]) -> pd.DataFrame:
    """The rows of STATEMENT (from `_responses_statement`) as the frame of `load_responses`."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        # A server-side cursor: the client holds one chunk at a time, not the table.
        # Set on the statement: Connection.execution_options would change the caller's
        # connection for every later statement too (an UPDATE in a cursor fails).
        statement = statement.execution_options(stream_results=True)
    chunks = [
        _decode_chunk(rows, questions)
        for rows in connection.execute(statement).partitions(CHUNK_ROWS)
    ]
    if not chunks:
        return _empty_responses(questions)
    names = RESPONSE_COLUMNS + list(questions)
    columns = {
        name: np.concatenate([chunk[index] for chunk in chunks]) for index, name in enumerate(names)
    }
    return pd.DataFrame(
        {
            "response_id": columns["response_id"].astype("int64"),
            "survey": pd.array(columns["survey"], dtype="str"),
            "audience": pd.array(columns["audience"], dtype="str"),
            "submitted_at": _timestamps(columns["submitted_at"], dialect),
            **{question: pd.array(columns[question], dtype="str") for question in questions},
        }
    )


def load_admin(
    connection_or_engine: Connection | Engine, *, periods: Sequence[str] | None = None
) -> pd.DataFrame:
    """The imported admin-data counts: columns measure, period, area (str, "" for the
    whole county), numerator, denominator (int64); only `periods` when given."""
    frame = pd.DataFrame(admin_rows(connection_or_engine, periods=periods), columns=ADMIN_COLUMNS)
    return frame.astype(
        {
            "measure": "str",
            "period": "str",
            "area": "str",
            "numerator": "int64",
            "denominator": "int64",
        }
    )


def admin_rows(
    connection_or_engine: Connection | Engine, *, periods: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """The rows of `load_admin` as records (area as stored: None or "" for the whole
    county), for the few dozen rows a request for the measures reads."""
    ids = [measure.id for measure in MEASURES if measure.source == ADMIN_DATA]
    statement = (
        select(*(ADMIN_FIGURES.c[name] for name in ADMIN_COLUMNS))
        .where(ADMIN_FIGURES.c.measure.in_(ids))
        .order_by(ADMIN_FIGURES.c.measure, ADMIN_FIGURES.c.period, ADMIN_FIGURES.c.area)
    )
    if periods is not None:
        statement = statement.where(ADMIN_FIGURES.c.period.in_(list(periods)))
    with _connected(connection_or_engine) as connection:
        return [dict(row) for row in connection.execute(statement).mappings()]


class _connected:
    """A connection from an engine (closed afterwards) or the caller's own connection."""

    def __init__(self, connection_or_engine: Connection | Engine) -> None:
        self._given = connection_or_engine
        self._opened: Connection | None = None

    def __enter__(self) -> Connection:
        if isinstance(self._given, Engine):
            self._opened = self._given.connect()
            return self._opened
        return self._given

    def __exit__(self, *_exc: object) -> None:
        if self._opened is not None:
            self._opened.close()


def _code(index: int) -> str:
    # Control characters from \x01: never an option id, and never the empty string.
    return chr(1 + index)


_DECODE: dict[str, dict[str, str]] = {
    question: {_code(index): option for index, option in enumerate(options)}
    for question, options in KNOWN_OPTIONS.items()
}


def _coded_answer(question: str):
    """The answer to `question`: a known option as its code, anything else as its text.

    `json_extract(answers, '$."id"')` on SQLite, `answers ->> 'id'` on PostgreSQL; NULL
    when unanswered. An option not in KNOWN_OPTIONS (one added to a survey since)
    arrives as its own text, so it is reported, not lost.
    """
    answer = RESPONSES.c.answers[question].as_string()
    codes = {option: code for code, option in _DECODE[question].items()}
    return case(codes, value=answer, else_=answer).label(question)


def _instant(dialect: str):
    """`submitted_at` in the cheapest form to turn into a pandas timestamp in bulk.

    Not a datetime object per row: PostgreSQL gives whole microseconds since the epoch,
    and SQLite its stored UTC text ("2025-10-01 12:00:00.000000"), parsed by pandas.
    """
    if dialect == "postgresql":
        micros = func.round(extract("epoch", RESPONSES.c.submitted_at) * 1_000_000)
        return cast(micros, BigInteger).label("submitted_at")
    return type_coerce(RESPONSES.c.submitted_at, String).label("submitted_at")


def _local_midnight(day: dt.date, dialect: str) -> dt.datetime:
    """The instant Europe/London's `day` begins, as `submitted_at` is compared in SQL."""
    instant = pd.Timestamp(day).tz_localize(LONDON).tz_convert("UTC").to_pydatetime()
    # SQLite keeps naive UTC (app.db.UTCDateTime), and its text sorts as time does.
    return instant.replace(tzinfo=None) if dialect == "sqlite" else instant


def _decode_chunk(rows: Sequence[Sequence[object]], questions: Sequence[str]) -> list[np.ndarray]:
    """One object array per column of `rows`, in the order selected, codes decoded.

    In the text columns equal values share one string object, so a million answers
    cost eight bytes each rather than a string each.
    """
    ids, surveys, audiences, instants, *answers = (
        np.fromiter(values, dtype=object, count=len(rows)) for values in zip(*rows, strict=True)
    )
    return [
        ids,
        _shared(surveys),
        _shared(audiences),
        instants,
        *(
            _shared(values, _DECODE[question])
            for question, values in zip(questions, answers, strict=True)
        ),
    ]


def _shared(values: np.ndarray, decode: Mapping[str, str] | None = None) -> np.ndarray:
    """`values`, each distinct value decoded (or kept) once and shared by its rows."""
    codes, uniques = pd.factorize(values)
    decode = decode or {}
    # A missing value has code -1, which picks the None appended last.
    labels = [decode.get(value, value) for value in uniques] + [None]
    return np.array(labels, dtype=object)[codes]


def _instant_value(value: Any, dialect: str) -> dt.datetime:
    """One `_instant` as an aware UTC datetime: what `_timestamps` makes of it."""
    if dialect == "postgresql":
        return EPOCH + dt.timedelta(microseconds=int(value))
    parsed = dt.datetime.fromisoformat(value)
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def _timestamps(values: np.ndarray, dialect: str) -> pd.Series:
    if dialect == "postgresql":
        instants = pd.to_datetime(values.astype("int64"), unit="us", utc=True)
    else:
        instants = pd.to_datetime(values, format="ISO8601", utc=True)
    return pd.Series(instants).astype("datetime64[ns, UTC]")


def _empty_admin() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="str") for name in ADMIN_COLUMNS[:3]}).assign(
        numerator=pd.Series(dtype="int64"), denominator=pd.Series(dtype="int64")
    )


def _empty_responses(questions: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "response_id": pd.Series(dtype="int64"),
            "survey": pd.Series(dtype="str"),
            "audience": pd.Series(dtype="str"),
            "submitted_at": pd.Series(dtype="datetime64[ns, UTC]"),
        }
    )
    return frame.assign(**{question: pd.Series(dtype="str") for question in questions})


SAFEGUARDING_FLAGS = table("safeguarding_flags", column("response_id", Integer))
FREE_TEXT_QUESTIONS: tuple[str, ...] = ("going_well", "should_change")


def load_comments(
    connection: Connection,
    *,
    surveys: Sequence[str] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    questions: Sequence[str] = FREE_TEXT_QUESTIONS,
) -> pd.DataFrame:
    """The free-text answers as comments: response_id, audience, question, text, one row
    per written answer. Never a response flagged as a possible safeguarding disclosure:
    those words go to the safeguarding lead alone, not into themes, quotes or reports."""
    flagged = select(SAFEGUARDING_FLAGS.c.response_id)
    frames = []
    for question in questions:
        text = RESPONSES.c.answers[question].as_string()
        statement = _answers_statement(
            connection, [RESPONSES.c.audience, text], surveys, date_from, date_to
        ).where(text.is_not(None), RESPONSES.c.id.not_in(flagged))
        rows = connection.execute(statement).all()
        frames.append(
            pd.DataFrame(rows, columns=["response_id", "audience", "text"]).assign(
                question=question
            )
        )
    comments = pd.concat(frames, ignore_index=True)
    return comments[["response_id", "audience", "question", "text"]].astype(
        {"response_id": "int64", "audience": "str", "question": "str", "text": "str"}
    )


def _answers_statement(connection, columns, surveys, date_from, date_to):
    statement = select(RESPONSES.c.id, *columns).order_by(RESPONSES.c.id)
    return _chosen_responses(statement, connection.dialect.name, surveys, date_from, date_to)


def _chosen_responses(statement, dialect, surveys, date_from, date_to):
    """STATEMENT limited to the responses of SURVEYS (all when None) sent on Europe/London
    dates from DATE_FROM to DATE_TO, inclusive, an end left None being open, and never
    outside `possible_dates`: a row stored with an impossible date (0001-01-01 would
    overflow pandas' timestamps) cannot break a page. Never a quarantined response."""
    statement = statement.where(NOT_QUARANTINED)
    first, last = possible_dates()
    date_from = first if date_from is None else max(date_from, first)
    date_to = last if date_to is None else min(date_to, last)
    if surveys is not None:
        statement = statement.where(RESPONSES.c.survey_id.in_(list(surveys)))
    next_day = date_to + dt.timedelta(days=1)
    return statement.where(
        RESPONSES.c.submitted_at >= _local_midnight(date_from, dialect),
        RESPONSES.c.submitted_at < _local_midnight(next_day, dialect),
    )
