"""The outcome measures end to end from SQLite: load from the database, then compute.

Run from the repository root:

    python bench/bench_measures_sqlite.py [--rows 1000000] [--repeat 3] [--seed 0]

Generates `--rows` responses across the three shipped surveys into a temporary SQLite
database made through the real schema (migrations, shipped survey versions for the
foreign keys, answers stored as JSON with some free text, as the app stores them). Then
it times `measures_from_database` (what `flask measures` and `/api/measures` run:
`load_responses` + `load_admin` + `compute_measures`) for one period with the audience
and area breakdowns (target: at most 20 s for 1,000,000 responses, peak memory under
2 GB), and compares the time with a plain pandas groupby over the same loaded rows.

Generating and measuring each run in a process of their own: generation's time is
reported apart and not counted, and its memory cannot inflate the measured peak (on
Linux a process started from a big one inherits its ru_maxrss, so this one stays small).
"""

import argparse
import json
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

# Run as a script, Python puts bench/ on the path, not the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.load import load_admin, load_responses, measures_from_database, questions_needed
from analysis.periods import period_dates
from analysis.results import compute_measures
from app import migrations
from app.config import Config
from app.db import make_engine, session_scope
from app.surveys.files import read_survey_files
from app.surveys.versions import latest_version, store_surveys
from bench.generate import SURVEYS, generate_admin, generate_responses

PERIOD = "2025/26"
BY = ("audience", "area")
TARGET_SECONDS = 20.0
TARGET_BYTES = 2 * 2**30
CHUNK = 50_000
FREE_TEXT_SHARE = 0.3
FREE_TEXT = (
    "The new key worker listens to us and explains what happens next. "
    "We would like the plan review letters to arrive before the meeting, not after it."
)


def main(argv: list[str] | None = None) -> int:
    """Generate, then measure in a child process; returns the child's exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="responses to generate")
    parser.add_argument("--repeat", type=int, default=3, help="timed end-to-end runs")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the generator")
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate is not None:
        generate_database(args.generate, args.rows, args.seed)
        return 0
    if args.measure is not None:
        return measure(args.measure, args.rows, args.repeat)

    with tempfile.TemporaryDirectory(prefix="bench-measures-") as folder:
        path = Path(folder) / "bench.db"
        common = ["--rows", str(args.rows), "--repeat", str(args.repeat), "--seed", str(args.seed)]
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--generate", str(path), *common], check=True)
        print(
            f"generated {args.rows:,} responses into SQLite ({_mib(path.stat().st_size)}) in "
            f"{time.perf_counter() - started:.1f} s (not counted)",
            flush=True,
        )
        child = [sys.executable, __file__, "--measure", str(path), *common]
        return subprocess.run(child, check=False).returncode


def generate_database(path: Path, rows: int, seed: int) -> None:
    """A migrated SQLite database at `path` holding `rows` generated responses and admin data."""
    engine = make_engine(f"sqlite:///{path}")
    migrations.upgrade(engine)
    with session_scope(engine) as session:
        store_surveys(session, read_survey_files(Config.SURVEYS_DIR))
        versions = {survey: latest_version(session, survey).id for survey in SURVEYS.values()}
    engine.dispose()

    frame = generate_responses(rows, seed=seed, period=PERIOD)
    answers = _answers_json(frame, np.random.default_rng(seed + 1))
    submitted_at = frame["submitted_at"].dt.strftime("%Y-%m-%d %H:%M:%S.%f").to_numpy()
    version_ids = frame["survey"].map(versions).to_numpy()
    columns = (frame["survey"].to_numpy(), version_ids, frame["audience"].to_numpy())
    admin = generate_admin((PERIOD,), seed=seed)

    # Straight through sqlite3 in big transactions: the ORM would take minutes here, and
    # how fast rows go in is not what this benchmark measures.
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("BEGIN")
    insert = (
        "INSERT INTO responses (survey_id, survey_version_id, audience, submitted_at, channel, "
        "answers, created_at) VALUES (?, ?, ?, ?, 'online', ?, ?)"
    )
    for start in range(0, rows, CHUNK):
        window = slice(start, start + CHUNK)
        connection.executemany(
            insert,
            zip(
                columns[0][window],
                (int(v) for v in version_ids[window]),
                columns[2][window],
                submitted_at[window],
                answers[window],
                submitted_at[window],
                strict=True,
            ),
        )
    connection.executemany(
        "INSERT INTO admin_figures (measure, period, area, numerator, denominator, imported_at) "
        "VALUES (?, ?, ?, ?, ?, '2026-01-05 09:00:00.000000')",
        (
            (
                row.measure,
                row.period,
                "" if pd.isna(row.area) else row.area,
                int(row.numerator),
                int(row.denominator),
            )
            for row in admin.itertuples()
        ),
    )
    connection.execute("COMMIT")
    connection.close()


def _answers_json(frame: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Each row's answers as the JSON object the app stores, built column by column."""
    questions = [c for c in frame.columns if c not in ("response_id", "survey", "audience")]
    questions.remove("submitted_at")
    pieces = np.full(len(frame), "", dtype=object)
    for question in questions:
        values = frame[question]
        member = (f'"{question}": "' + values.fillna("") + '", ').to_numpy(dtype=object)
        pieces = pieces + np.where(values.isna().to_numpy(), "", member)
    text = f'"going_well": {json.dumps(FREE_TEXT)}, '
    pieces = pieces + np.where(rng.random(len(frame)) < FREE_TEXT_SHARE, text, "")
    return "{" + pd.Series(pieces).str.removesuffix(", ").to_numpy(dtype=object) + "}"


def measure(path: Path, rows: int, repeat: int) -> int:
    """Time load + compute from the database at `path` and print the figures."""
    engine = make_engine(f"sqlite:///{path}")
    # End to end exactly as `flask measures --period` and /api/measures run it.
    totals = [
        _time(lambda: measures_from_database(engine, period=PERIOD, by=BY)) for _ in range(repeat)
    ]
    # Once more in its two steps, to say where the time goes and to keep the frame.
    first, last = period_dates(PERIOD)
    started = time.perf_counter()
    with engine.connect() as connection:
        responses = load_responses(
            connection, questions=questions_needed(by=BY), date_from=first, date_to=last
        )
        admin = load_admin(connection)
    loaded = time.perf_counter()
    compute_measures(responses, admin, period=PERIOD, by=BY)
    computed = time.perf_counter()
    engine.dispose()
    # ru_maxrss is in KiB on Linux; this process only loaded and computed.
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    assert len(responses) == rows, f"loaded {len(responses):,} rows, expected {rows:,}"
    floor = min(_time(lambda: _plain_groupby(responses)) for _ in range(repeat))
    best = min(totals)
    print(f"load + compute from SQLite, period {PERIOD}, by {', '.join(BY)}, {repeat} runs:")
    print(f"  best {best:.2f} s, median {statistics.median(totals):.2f} s")
    print(
        f"  of which loading {loaded - started:.2f} s, computing {computed - loaded:.2f} s "
        "(one further run)"
    )
    if rows >= 1_000_000:
        allowed = TARGET_SECONDS * rows / 1_000_000
        verdict = "met" if best <= allowed else "MISSED"
        print(f"  target at most {allowed:.0f} s ({TARGET_SECONDS:.0f} s a million): {verdict}")
    else:
        print(f"  target of {TARGET_SECONDS:.0f} s a million rows: not judged below a million")
    print(f"plain pandas groupby value_counts over the loaded rows: best {floor:.3f} s")
    print(f"  ratio end to end / plain groupby: {best / floor:.0f}x")
    print(f"  ratio computing only / plain groupby: {(computed - loaded) / floor:.1f}x")
    verdict = "met" if max_rss < TARGET_BYTES else "MISSED"
    print(f"peak resident size of the measuring process: {_mib(max_rss)} (under 2 GiB: {verdict})")
    return 0


def _plain_groupby(responses: pd.DataFrame) -> object:
    return responses.groupby(["audience", "area"])["cares_about_opinion"].value_counts()


def _time(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def _mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


if __name__ == "__main__":
    sys.exit(main())
