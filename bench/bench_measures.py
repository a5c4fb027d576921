"""How long the outcome measures take over many responses, and how much memory.

Run from the repository root:

    python bench/bench_measures.py [--rows 1000000] [--repeat 3] [--seed 0]

Times `compute_measures` for one period with the audience and area breakdowns (target:
at most 2 s for 1,000,000 responses), reports the peak memory that the computation
allocates (tracemalloc, in a separate run because tracing slows it down) and the
process's peak resident size, and compares the time with a plain pandas groupby over
the same rows, the floor any implementation is measured against.
"""

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

# Run as a script, Python puts bench/ on the path, not the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.results import compute_measures
from bench.generate import generate_admin, generate_responses

PERIOD = "2025/26"
BY = ("audience", "area")
TARGET_SECONDS = 2.0


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; returns the exit status (always 0)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="responses to generate")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the generator")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    responses = generate_responses(args.rows, seed=args.seed)
    admin = generate_admin((PERIOD,), seed=args.seed)
    print(f"generated {len(responses):,} responses in {time.perf_counter() - started:.2f} s")

    def measures() -> object:
        return compute_measures(responses, admin, period=PERIOD, by=BY)

    def plain_groupby() -> object:
        return responses.groupby(["audience", "area"])["cares_about_opinion"].value_counts()

    measure_times = _times(measures, args.repeat)
    groupby_times = _times(plain_groupby, args.repeat)
    best, floor = min(measure_times), min(groupby_times)

    tracemalloc.start()
    measures()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # ru_maxrss is in KiB on Linux.
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    print(f"compute_measures, period {PERIOD}, by {', '.join(BY)}, {args.repeat} runs:")
    print(f"  best {best:.3f} s, median {statistics.median(measure_times):.3f} s")
    # Fixed costs dominate small runs, so only a million rows or more are judged, pro rata.
    if args.rows >= 1_000_000:
        allowed = TARGET_SECONDS * args.rows / 1_000_000
        verdict = "met" if best <= allowed else "MISSED"
        print(
            f"  target at most {allowed:.1f} s ({TARGET_SECONDS:.0f} s a million rows): {verdict}"
        )
    else:
        print(f"  target of {TARGET_SECONDS:.0f} s a million rows: not judged below a million")
    print(f"plain groupby value_counts of one question: best {floor:.3f} s")
    print(f"  ratio compute_measures / plain groupby: {best / floor:.1f}x")
    print(f"peak memory allocated by compute_measures (tracemalloc): {_mib(traced_peak)}")
    print(f"peak resident size of the process, generation included: {_mib(max_rss)}")
    return 0


def _times(run: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def _mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


if __name__ == "__main__":
    sys.exit(main())
