"""A million generated responses in a real, migrated database, made once per `make bench`.

Generating a million rows takes minutes, so each database is generated once a run and
reused by every benchmark: SQLite as a file in the run's cache folder (BENCH_CACHE, set by
bench/run.py and removed when the run ends), copied for each benchmark that writes to it;
PostgreSQL as a template database on the benchmark's throwaway server, copied per use
with CREATE DATABASE ... TEMPLATE. A script run on its own caches in a temporary folder
of its own.

The rows go straight in through sqlite3 and COPY (the ORM would take many minutes, and
how fast rows go in is not what is measured), so anything the app keeps derived from the
responses must be rebuilt afterwards: see `rebuild_derived`.
"""

import atexit
import json
import os
import shutil
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from app import choice_counts, migrations
from app.config import Config
from app.counts import rebuild
from app.db import make_engine, session_scope
from app.feedback.comments import catch_up
from app.surveys.files import read_survey_files
from app.surveys.versions import latest_version, store_surveys
from app.tallies import rebuild as rebuild_tallies
from bench.generate import SURVEYS, generate_admin, generate_responses

PERIOD = "2025/26"
CHUNK = 50_000
FREE_TEXT_SHARE = 0.3
# A few dozen different comments, some about several themes, some about none, kind and
# unkind, so tagging, feeling and quotes do the work they do on real answers.
FREE_TEXT = (
    "The new key worker listens to us and explains what happens next.",
    "We would like the plan review letters to arrive before the meeting, not after it.",
    "We waited over a year for an assessment and nobody told us why.",
    "My teacher listens to me and I feel safe at school.",
    "The annual review was late again and the EHCP still says the wrong things.",
    "Nobody listens to what we say, it is really frustrating.",
    "I like my school and my friends.",
    "The waiting list for speech therapy is far too long.",
    "Staff were kind and helpful when we asked for support.",
    "We have to tell our story again and again to different people.",
    "The SENCO is brilliant and really cares about my son.",
    "It took ages to get a reply to my emails.",
    "Transport to school is often late and the driver changes every week.",
    "The short breaks club is great fun.",
    "I wish there were more clubs I could go to after school.",
    "Communication from the SEN team is poor and confusing.",
    "The local offer website is hard to find things on.",
    "Our caseworker changed three times this year.",
    "The draft plan was good and we felt involved in writing it.",
    "My child was excluded because the school could not meet his needs.",
    "CAMHS have not seen us after eighteen months on the waiting list.",
    "Thank you for asking us what we think.",
    "The parent carer forum helped us understand the process.",
    "The tribunal was stressful but we won in the end.",
    "Help came too late for my daughter.",
    "I feel happy when the teaching assistant helps me with reading.",
    "The school does not follow the plan and nothing happens when we complain.",
    "Everything is fine, no comments.",
    "More training for teachers about autism please.",
    "We were not believed until we got a private diagnosis.",
    "The therapist was lovely and my son looks forward to sessions.",
    "Meetings are always in working hours which is hard for parents.",
    "It is good that we now get a named contact.",
    "The specialist school place was agreed quickly, which was a relief.",
    "Nothing has changed since last year.",
    "Please answer the phone, we never heard back.",
)
INSERT = (
    "INSERT INTO responses (public_id, survey_id, survey_version_id, audience, submitted_at, "
    "channel, answers, created_at) VALUES (?, ?, ?, ?, ?, 'online', ?, ?)"
)
COPY = (
    "COPY responses (public_id, survey_id, survey_version_id, audience, submitted_at, channel, "
    "answers, created_at) FROM STDIN"
)


def cache_folder() -> Path:
    """The run's cache folder: BENCH_CACHE, or a temporary one removed when this process ends."""
    configured = os.environ.get("BENCH_CACHE")
    if configured:
        return Path(configured)
    global _own_cache
    if _own_cache is None:
        _own_cache = Path(tempfile.mkdtemp(prefix="bench-cache-"))
        atexit.register(shutil.rmtree, _own_cache, True)
    return _own_cache


_own_cache: Path | None = None


def sqlite_copy(rows: int, seed: int, destination: Path) -> Path:
    """A copy, at DESTINATION, of the run's SQLite database of ROWS responses (made once)."""
    shutil.copy(sqlite_database(rows, seed), destination)
    return destination


def sqlite_database(rows: int, seed: int) -> Path:
    """The run's SQLite database of ROWS responses, made on first use: only to read."""
    cached = cache_folder() / f"sqlite-{rows}-{seed}.db"
    if not cached.exists():
        started = time.perf_counter()
        partial = cached.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        fill_database(f"sqlite:///{partial}", rows, seed)
        partial.rename(cached)
        print(
            f"  generated {rows:,} responses into SQLite ({cached.stat().st_size / 2**20:,.0f} "
            f"MiB) in {time.perf_counter() - started:.0f} s (not counted; cached for the run)",
            flush=True,
        )
    return cached


def postgres_copy(server, rows: int, seed: int, name: str) -> str:
    """The URL of database NAME on SERVER (tests/postgres.py), a copy of a template of ROWS
    responses made once on that server."""
    template = f"bench_{rows}_{seed}"
    made = getattr(server, "bench_templates", set())
    if template not in made:
        started = time.perf_counter()
        server.execute(f"CREATE DATABASE {template}")
        fill_database(server.url(template), rows, seed)
        made.add(template)
        server.bench_templates = made
        print(
            f"  generated {rows:,} responses into PostgreSQL in "
            f"{time.perf_counter() - started:.0f} s (not counted; a template for the run)",
            flush=True,
        )
    server.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    return server.url(name)


def fill_database(url: str, rows: int, seed: int) -> None:
    """Migrate URL's database, load the shipped surveys, and store ROWS generated responses
    (answers as the JSON the app stores, some free text) and the admin figures."""
    engine = make_engine(url)
    migrations.upgrade(engine)
    with session_scope(engine) as session:
        store_surveys(session, read_survey_files(Config.SURVEYS_DIR))
        versions = {survey: latest_version(session, survey).id for survey in SURVEYS.values()}
    engine.dispose()

    frame = generate_responses(rows, seed=seed, period=PERIOD)
    rng = np.random.default_rng(seed + 1)
    answers = answers_json(frame, rng)
    public_ids = [str(uuid.UUID(bytes=rng.bytes(16), version=4)) for _ in range(rows)]
    surveys = frame["survey"].to_numpy()
    version_ids = frame["survey"].map(versions).astype(int).to_numpy()
    audiences = frame["audience"].to_numpy()
    admin = generate_admin((PERIOD,), seed=seed)
    if url.startswith("sqlite"):
        stamps = frame["submitted_at"].dt.strftime("%Y-%m-%d %H:%M:%S.%f").to_numpy()
        _fill_sqlite(url.removeprefix("sqlite:///"), public_ids, surveys, version_ids,
                     audiences, stamps, answers, admin)  # fmt: skip
    else:
        stamps = frame["submitted_at"].dt.strftime("%Y-%m-%d %H:%M:%S.%f+00").to_numpy()
        _fill_postgres(url, public_ids, surveys, version_ids, audiences, stamps, answers, admin)
    rebuild_derived(url)


def rebuild_derived(url: str) -> None:
    """Rebuild what the app keeps derived from the responses, after they went in in bulk:
    the measures' counts (app/counts.py), the staff pages' tallies (app/tallies.py), the
    reports' choice counts (app/choice_counts.py) and each comment's themes, feeling and
    quote key (app/feedback/comments.py) are kept up to date by the app as answers
    arrive, and rows written straight into the table here bypass that."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            rebuild(connection)
            rebuild_tallies(connection)
            choice_counts.rebuild(connection)
        with Session(engine) as session:
            catch_up(session, after_batch=session.commit)
    finally:
        engine.dispose()


def answers_json(frame: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Each row's answers as the JSON object the app stores, built column by column."""
    questions = [
        c for c in frame.columns if c not in ("response_id", "survey", "audience", "submitted_at")
    ]
    pieces = np.full(len(frame), "", dtype=object)
    for question in questions:
        values = frame[question]
        member = (f'"{question}": "' + values.fillna("") + '", ').to_numpy(dtype=object)
        pieces = pieces + np.where(values.isna().to_numpy(), "", member)
    texts = np.array([f'"going_well": {json.dumps(text)}, ' for text in FREE_TEXT], dtype=object)
    chosen = texts[rng.integers(len(FREE_TEXT), size=len(frame))]
    pieces = pieces + np.where(rng.random(len(frame)) < FREE_TEXT_SHARE, chosen, "")
    return "{" + pd.Series(pieces).str.removesuffix(", ").to_numpy(dtype=object) + "}"


def _admin_rows(admin: pd.DataFrame) -> list[tuple]:
    return [
        (
            row.measure,
            row.period,
            "" if pd.isna(row.area) else row.area,
            int(row.numerator),
            int(row.denominator),
        )
        for row in admin.itertuples()
    ]


def _fill_sqlite(path, public_ids, surveys, version_ids, audiences, stamps, answers, admin):
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("BEGIN")
    for start in range(0, len(answers), CHUNK):
        window = slice(start, start + CHUNK)
        connection.executemany(
            INSERT,
            zip(
                public_ids[window],
                surveys[window],
                (int(v) for v in version_ids[window]),
                audiences[window],
                stamps[window],
                answers[window],
                stamps[window],
                strict=True,
            ),
        )
    connection.executemany(
        "INSERT INTO admin_figures (measure, period, area, numerator, denominator, imported_at) "
        "VALUES (?, ?, ?, ?, ?, '2026-01-05 09:00:00.000000')",
        _admin_rows(admin),
    )
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.close()


def _fill_postgres(url, public_ids, surveys, version_ids, audiences, stamps, answers, admin):
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as connection:
        with connection.cursor() as cursor, cursor.copy(COPY) as copy:
            for row in zip(
                public_ids, surveys, version_ids.tolist(), audiences, stamps, answers,
                strict=True,
            ):  # fmt: skip
                copy.write_row((*row[:5], "online", row[5], row[4]))
        connection.cursor().executemany(
            "INSERT INTO admin_figures (measure, period, area, numerator, denominator, "
            "imported_at) VALUES (%s, %s, %s, %s, %s, '2026-01-05 09:00:00+00')",
            _admin_rows(admin),
        )
        connection.commit()
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
