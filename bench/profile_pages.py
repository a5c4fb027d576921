"""Where a survey page's CPU goes: CPU milliseconds per request kind, and a profile of each.

Run from the repository root:

    python bench/profile_pages.py [--surveys 60] [--database sqlite|postgresql] [--top 25]

The production app (ProductionConfig, as bench/bench_load.py serves it with gunicorn) on
a fresh database with the shipped surveys answers whole surveys through the same journey
as bench_load's respondents (its `answer_survey`), in this process, without HTTP: each
request is handed straight to the app's WSGI callable and timed there with
`time.process_time`, so the figures are the app's own CPU (gunicorn's parsing of the
request, the same for the bare insert endpoint, is left out). The first surveys warm the
caches and are not counted. With --profile, cProfile runs around each request and prints,
for each kind, the functions that took the most time including what they called.

Not part of `make bench` (its name does not start with bench_): a tool for looking.
"""

import argparse
import cProfile
import io
import os
import pstats
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_load import (  # noqa: E402  (needs the repository root on the path)
    SURVEYS,
    Reply,
    Tally,
    answer_survey,
    prepare_app_database,
)


class Timed:
    """The app's WSGI callable, timing each request's CPU under the kind it was asked as."""

    def __init__(self, wsgi_app, profile: bool):
        self.wsgi_app = wsgi_app
        self.kind = "other"
        self.counting = False
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.profiles: dict[str, cProfile.Profile] = defaultdict(cProfile.Profile)
        self.profile = profile

    def __call__(self, environ, start_response):
        profiler = self.profiles[self.kind] if self.profile and self.counting else None
        started = time.process_time()
        if profiler:
            profiler.enable()
        try:
            # Read the body inside the timing: gunicorn's worker hands it over the same way.
            return list(self.wsgi_app(environ, start_response))
        finally:
            if profiler:
                profiler.disable()
            if self.counting:
                self.cpu[self.kind].append(time.process_time() - started)


class InProcessBrowser:
    """bench_load's Browser, over the Flask test client instead of HTTP."""

    def __init__(self, client, timed: Timed, address: str):
        self.client = client
        self.timed = timed
        self.address = address
        self.tally = Tally()
        self.requests = 0

    def request(self, method: str, path: str, kind: str, form: dict | None = None) -> Reply:
        self.timed.kind = kind
        self.requests += 1
        response = self.client.open(
            path,
            method=method,
            data=form,
            headers={"Accept": "text/html", "User-Agent": "bench-load"},
            environ_base={"REMOTE_ADDR": self.address},
        )
        return Reply(response.status_code, response.headers.get("Location", ""), response.data)


def run(url: str, surveys: int, warm: int, profile: bool) -> Timed:
    os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
    os.environ["FLASK_CONFIG"] = "production"
    os.environ["DATABASE_URL"] = url
    prepare_app_database(url)
    from app import create_app
    from app.config import ProductionConfig

    config = type("Config", (ProductionConfig,), {"DATABASE_URL": url, "SECRET_KEY": "k" * 64})
    app = create_app(config)
    timed = Timed(app.wsgi_app, profile)
    app.wsgi_app = timed
    for number in range(warm + surveys):
        timed.counting = number >= warm
        # A fresh cookie jar and address for each survey: each is another child's phone.
        client = app.test_client()
        address = f"127.{10 + number % 240}.{number // 250 % 250}.{number % 250 + 2}"
        browser = InProcessBrowser(client, timed, address)
        answer_survey(browser, SURVEYS[number % len(SURVEYS)], time.monotonic() + 600)
    app.extensions["db_engine"].dispose()
    return timed


def report(timed: Timed, top: int) -> None:
    print(f"{'request kind':<16}{'n':>6}{'mean ms':>9}{'p50 ms':>8}{'total s':>9}")
    everything = [value for values in timed.cpu.values() for value in values]
    for kind in sorted(timed.cpu):
        values = timed.cpu[kind]
        print(
            f"{kind:<16}{len(values):>6}{1000 * statistics.fmean(values):>9.2f}"
            f"{1000 * statistics.median(values):>8.2f}{sum(values):>9.2f}"
        )
    print(f"{'all requests':<16}{len(everything):>6}{1000 * statistics.fmean(everything):>9.2f}")
    for kind, profiler in sorted(timed.profiles.items()):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        print(f"\n===== {kind}: own time by package, share of the request =====")
        shares = own_time_by_package(stats)
        whole = sum(shares.values())
        print("  ".join(f"{name} {100 * t / whole:.0f}%" for name, t in shares.most_common(12)))
        stats.sort_stats("cumulative").print_stats(top)
        print(f"===== {kind} (cumulative; divide by n above for per request) =====")
        print("\n".join(out.getvalue().splitlines()[6:]))


def own_time_by_package(stats: pstats.Stats) -> Counter:
    """Each function's own time (not what it called), summed by the package it is in:
    the templates and the app's own modules by name, built-in functions as "builtins"."""
    shares: Counter = Counter()
    for (path, _line, name), (_cc, _nc, own, _cum, _callers) in stats.stats.items():
        shares[package_of(path, name)] += own
    return shares


def package_of(path: str, name: str) -> str:
    if path == "~":
        return "builtins"
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0]
    if path.endswith(".html"):
        return "templates"
    if str(ROOT) in path:
        return path.split(str(ROOT) + "/", 1)[1].rsplit(".", 1)[0].replace("/", ".")
    return "python"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--surveys", type=int, default=60, help="surveys timed")
    parser.add_argument("--warm", type=int, default=6, help="surveys first, not timed")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--profile", action="store_true", help="cProfile each kind")
    parser.add_argument("--top", type=int, default=30, help="functions shown per kind")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="profile-pages-"))
    server = None
    try:
        if args.database == "postgresql":
            from tests.postgres import PostgresServer

            server = PostgresServer().start()
            server.execute("CREATE DATABASE profile_app")
            url = server.url("profile_app")
        else:
            url = f"sqlite:///{folder / 'app.db'}"
        timed = run(url, args.surveys, args.warm, args.profile)
    finally:
        if server:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    report(timed, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
