"""The outcome measures end to end from SQLite: load from the database, then compute.

Run from the repository root:

    python bench/bench_measures_sqlite.py [--rows 1000000] [--repeat 3] [--seed 0]

Generates `--rows` responses across the three shipped surveys (bench/dataset.py; once a
`make bench` run) into a temporary SQLite database made through the real schema
(migrations, shipped survey versions for the foreign keys, answers stored as JSON with
some free text, as the app stores them). Then it times `measures_from_database` (what
`flask measures` and `/api/measures` run: `load_responses` + `load_admin` +
`compute_measures`) for one period with the audience and area breakdowns (target: at
most 20 s for 1,000,000 responses, peak memory under 2 GB), and compares the time with a
plain pandas groupby over the same loaded rows.

Generating and measuring each run in a process of their own: generation's time is
reported apart and not counted, and its memory cannot inflate the measured peak (on
Linux a process started from a big one inherits its ru_maxrss, so this one stays small).
"""

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

# Run as a script, Python puts bench/ on the path, not the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.load import load_admin, load_responses, measures_from_database, questions_needed
from analysis.periods import period_dates
from analysis.results import compute_measures
from app.db import make_engine
from bench.dataset import sqlite_database

PERIOD = "2025/26"
BY = ("audience", "area")
TARGET_SECONDS = 20.0
TARGET_BYTES = 2 * 2**30


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
        print(f"\n{sqlite_database(args.rows, args.seed)}")
        return 0
    if args.measure is not None:
        return measure(args.measure, args.rows, args.repeat)

    common = ["--rows", str(args.rows), "--repeat", str(args.repeat), "--seed", str(args.seed)]
    # Generated in a process of its own (or found in the run's cache), never in this one.
    generate = [sys.executable, __file__, "--generate", "-", *common]
    lines = subprocess.run(generate, check=True, stdout=subprocess.PIPE, text=True).stdout
    *said, last = lines.strip().splitlines()
    path = Path(last)
    for line in said:
        print(line)
    print(f"{args.rows:,} responses in SQLite ({_mib(path.stat().st_size)})", flush=True)
    child = [sys.executable, __file__, "--measure", str(path), *common]
    return subprocess.run(child, check=False).returncode


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
