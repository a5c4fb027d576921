"""A million responses: the public measures, the staff pages, and respondents' isolation.

Run from the repository root:

    python bench/bench_scale.py [--rows 1000000] [--database both] [--workers 4]
        [--parts measures staff isolation] [--pages dashboard,survey,...]

For SQLite and then PostgreSQL (a throwaway server, tests/postgres.py), a database of
`--rows` generated responses (bench/dataset.py, made once a run) is served by gunicorn
with the project's gunicorn.conf.py, over HTTP only, so the figures are of whatever
serves the pages today. Three parts, each against a baseline in the same run:

1. Measures: `/api/measures` and `/measures`, with and without `by=`, one request at a
   time, and a new response sent through the survey pages before each request (so no
   cache can keep a stale answer). Aims: p50 at most 50 ms, p99 at most 200 ms.
   Baseline: `/healthz` (one database round trip) on the same server.
2. Staff pages, signed in as an officer (password and authenticator code): dashboard,
   a survey's page, responses (also filtered, and the last page), themes, downloads
   (also filtered), a report draft. Aim: p50 at most 300 ms. Each page's CPU time per
   request in the gunicorn workers is printed too: on a shared machine it moves less
   than the wall time.
3. Isolation: 16 respondents answer surveys alone, then again while 32 clients ask
   `/api/measures` for varied periods and breakdowns without pause. Aim: the survey pages'
   p99 with that traffic at most 2x their p99 without it.

Each kind of request is timed at most `--samples` times and, after the first, only while
`--budget` seconds have not passed, so a slow page cannot stall `make bench` (n is
printed: a p99 of few samples is only their maximum). The machine may
be shared; compare the ratios, not the raw times, between runs.
"""

import argparse
import os
import random
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyotp

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ on the path, not the repository root.
sys.path.insert(0, str(ROOT))

from bench.bench_load import (  # noqa: E402 (after the path)
    SURVEYS,
    Browser,
    JourneyError,
    Plan,
    Server,
    Tally,
    answer_survey,
    expect,
    page_form,
    parse_page,
    percentile,
    print_latencies,
    respondent,
    run_load,
)
from bench.dataset import PERIOD, postgres_copy, sqlite_copy  # noqa: E402

MEASURES = (
    ("/api/measures, no breakdown", "/api/measures?by="),
    ("/api/measures by audience, area", "/api/measures?by=audience,area"),
    ("/measures, no breakdown", "/measures?by="),
    ("/measures by area", "/measures?by=area"),
    ("/api/measures, a date range", "/api/measures?from=2025-10-01&to=2026-03-31&by=area"),
    ("/measures, 2025/26 (default by)", "/measures?period=2025/26"),
)
MEASURES_P50, MEASURES_P99 = 0.050, 0.200
STAFF_P50 = 0.300
ISOLATION_RATIO = 2.0
HAMMER_QUERIES = tuple(
    f"/api/measures?period={period}&by={by}"
    for period in ("2025/26", "2024/25", "2026/27")
    for by in ("", "audience", "area", "audience,area", "age_band", "setting,support")
)
PARTS = ("measures", "staff", "isolation")
OFFICER = "bench-officer@example.org"
PASSWORD = "a long benchmark password that nobody will guess"
FOREVER = float("inf")


@dataclass
class Timed:
    label: str
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 0.5)

    @property
    def p99(self) -> float:
        return percentile(self.latencies, 0.99)


def time_requests(
    label: str,
    request: Callable[[], int],
    samples: int,
    budget: float,
    between: Callable[[], None] | None = None,
) -> Timed:
    """Time REQUEST (which returns the status) up to SAMPLES times within BUDGET seconds,
    calling BETWEEN (untimed) before each."""
    timed = Timed(label)
    deadline = time.monotonic() + budget
    while len(timed.latencies) < samples and (not timed.latencies or time.monotonic() < deadline):
        if between is not None:
            between()
        started = time.perf_counter()
        status = request()
        timed.latencies.append(time.perf_counter() - started)
        timed.statuses[status] += 1
    return timed


def get(browser: Browser, path: str, kind: str = "GET") -> int:
    """The status of GET PATH; 0 when no answer came (gunicorn's worker timeout killed it)."""
    try:
        return browser.request("GET", path, kind).status
    except JourneyError:
        return 0


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


# --- set-up ---------------------------------------------------------------------------


def add_officer(url: str, secret_key: str) -> str:
    """An officer with PASSWORD and an authenticator app; returns the app's TOTP secret."""
    from argon2 import PasswordHasher

    from app.db import make_engine, session_scope
    from app.models import Role, TwoFactor
    from app.staff.accounts import create_user
    from app.staff.two_factor import seal

    totp_secret = pyotp.random_base32()
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            user, _token = create_user(session, OFFICER, Role.OFFICER)
            user.password_hash = PasswordHasher().hash(PASSWORD)
            session.add(
                TwoFactor(
                    user=user,
                    secret=seal(totp_secret, secret_key),
                    confirmed_at=datetime.now(UTC),
                )
            )
    finally:
        engine.dispose()
    return totp_secret


def sign_in(browser: Browser, totp_secret: str) -> None:
    page = expect(browser.request("GET", "/staff/sign-in", "sign-in"), 200, "sign-in page")
    token = page_form(parse_page(page.body), "sign-in")["hidden"]["csrf_token"]
    form = {"csrf_token": token, "email": OFFICER, "password": PASSWORD}
    step = expect(browser.request("POST", "/staff/sign-in", "sign-in", form), 302, "password")
    if step.location.startswith("/staff/two-factor"):
        page = expect(browser.request("GET", step.location, "sign-in"), 200, "code page")
        token = page_form(parse_page(page.body), "code")["hidden"]["csrf_token"]
        form = {"csrf_token": token, "code": pyotp.TOTP(totp_secret).now()}
        step = expect(browser.request("POST", step.location, "sign-in", form), 302, "code")
    if not step.location.startswith("/staff"):
        raise JourneyError(f"signed in, but sent to {step.location}")


def new_report(browser: Browser) -> str:
    """A draft report of the children's survey for PERIOD; returns its page's path."""
    page = expect(browser.request("GET", "/staff/reports", "reports"), 200, "reports page")
    form = page_form(parse_page(page.body), "reports")
    data = {**form["hidden"], "survey_id": "children", "period": PERIOD}
    made = expect(browser.request("POST", "/staff/reports", "reports", data), 302, "new report")
    return made.location


# --- the three parts ------------------------------------------------------------------


class NewResponses:
    """Sends one whole survey through the pages each call, each from a phone of its own."""

    def __init__(self, port: int):
        self.port = port
        self.count = 0
        self.tally = Tally()

    def __call__(self) -> None:
        self.count += 1
        plan = Plan(self.port, 1, 0, 1, 30)
        browser = Browser(self.port, 30, self.tally, FOREVER, plan.source(9_000, self.count))
        answer_survey(browser, SURVEYS[self.count % len(SURVEYS)], FOREVER)


def bench_measures(port: int, args: argparse.Namespace, baseline: Timed) -> list[Timed]:
    browser = Browser(port, 120, Tally(), FOREVER)
    arrivals = NewResponses(port)
    results = []
    for label, path in MEASURES:
        timed = time_requests(
            label, lambda p=path: get(browser, p), args.samples, args.budget, arrivals
        )
        results.append(timed)
        met = timed.p50 <= MEASURES_P50 and timed.p99 <= MEASURES_P99
        print(
            f"  {label:<34} n={len(timed.latencies):>3} p50 {ms(timed.p50):>8} "
            f"p99 {ms(timed.p99):>8}  p50/baseline {timed.p50 / baseline.p50:6.1f}x  "
            f"statuses {dict(timed.statuses)}  aim p50<=50 ms, p99<=200 ms: {verdict(met)}",
            flush=True,
        )
    print(f"  new responses sent between requests: {arrivals.count}")
    return results


STAFF_PAGES = (
    ("dashboard", "/staff"),
    ("survey page", "/staff/surveys/parent-carers"),
    ("responses", "/staff/responses"),
    ("responses filtered", "/staff/responses?survey=young-people&period=2025%2F26&area=kington"),
    ("responses last page", "/staff/responses?page=999999999"),
    ("responses filtered last", "/staff/responses?area=not_stated&audience=child&page=999999999"),
    ("themes", "/staff/themes"),
    ("downloads and charts", "/staff/exports"),
    ("downloads filtered", "/staff/exports?survey=parent-carers&period=2025%2F26&area=hereford"),
    ("report draft", None),
)


def worker_cpu(server: Server) -> float:
    """CPU seconds (user and system) used so far by SERVER's gunicorn workers; the
    database's own processes (PostgreSQL's) are not included."""
    master = server.process.pid
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return 0.0
    ticks = 0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def bench_staff(server: Server, totp_secret: str, args: argparse.Namespace, baseline: Timed):
    browser = Browser(server.port, 120, Tally(), FOREVER)
    sign_in(browser, totp_secret)
    chosen = [
        (label, path)
        for label, path in STAFF_PAGES
        if not args.pages or any(word in label for word in args.pages.split(","))
    ]
    results = []
    for label, path in chosen:
        path = path or new_report(browser)
        cpu = worker_cpu(server)
        timed = time_requests(label, lambda p=path: get(browser, p), args.samples, args.budget)
        cpu_each = (worker_cpu(server) - cpu) / len(timed.latencies)
        results.append(timed)
        print(
            f"  {label:<24} n={len(timed.latencies):>3} p50 {ms(timed.p50):>8} "
            f"p99 {ms(timed.p99):>8}  app CPU {ms(cpu_each):>7}/request  "
            f"p50/baseline {timed.p50 / baseline.p50:6.1f}x  statuses {dict(timed.statuses)}  "
            f"aim p50<=300 ms: {verdict(timed.p50 <= STAFF_P50 and set(timed.statuses) == {200})}"
            f"\n    {path}",
            flush=True,
        )
    return results


def hammer(port: int, number: int, stop: threading.Event, timed: Timed) -> None:
    """One client asking for the measures again and again, a varied query each time; after
    a 503 it pauses 0.1 s (not the Retry-After it was given) so the load generator on this
    machine does not spin."""
    chooser = random.Random(number)
    browser = Browser(port, 120, Tally(), FOREVER, f"127.200.{number // 250}.{number % 250 + 2}")
    while not stop.is_set():
        started = time.perf_counter()
        status = get(browser, chooser.choice(HAMMER_QUERIES))
        timed.latencies.append(time.perf_counter() - started)
        timed.statuses[status] += 1
        if status == 503:
            stop.wait(0.1)


def survey_pages(port: int, args: argparse.Namespace) -> tuple[list[float], int]:
    run = run_load(respondent, Plan(port, args.respondents, args.seconds, 500, 60), 30)
    tally = run.merged()
    pages = [v for values in tally.latencies.values() for v in values]
    return pages, len(tally.completed)


def bench_isolation(port: int, args: argparse.Namespace) -> tuple[float, float]:
    alone, completed_alone = survey_pages(port, args)
    stop = threading.Event()
    timings = [Timed(f"hammer {n}") for n in range(args.hammers)]
    threads = [
        threading.Thread(target=hammer, args=(port, n, stop, timings[n]), daemon=True)
        for n in range(args.hammers)
    ]
    for thread in threads:
        thread.start()
    try:
        crowded, completed_crowded = survey_pages(port, args)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=150)
    measures = Timed("measures")
    for timed in timings:
        measures.latencies += timed.latencies
        measures.statuses.update(timed.statuses)
    print_latencies("pages alone", alone)
    print_latencies("pages + measures", crowded)
    print_latencies("measures clients", measures.latencies)
    print(
        f"  surveys completed: {completed_alone} alone, {completed_crowded} with the measures "
        f"traffic; measures statuses {dict(measures.statuses)}"
    )
    ratio = percentile(crowded, 0.99) / percentile(alone, 0.99)
    print(
        f"  survey page p99 with / without measures traffic: {ratio:.2f}x "
        f"(aim at most {ISOLATION_RATIO:.0f}x: {verdict(ratio <= ISOLATION_RATIO)})",
        flush=True,
    )
    return percentile(alone, 0.99), ratio


# --- one database ---------------------------------------------------------------------


def bench_database(name: str, url: str, args: argparse.Namespace, folder: Path) -> dict:
    secret_key = secrets.token_hex(32)
    totp_secret = add_officer(url, secret_key)
    server = Server("wsgi:app", url, args.workers, folder / f"{name}.log", secret_key)
    try:
        server.wait_healthy(timeout=120)
        # Warm up each worker (imports, templates, pools); not timed.
        run_load(respondent, Plan(server.port, args.workers * 2, 0.001, 1, 60), 60)
        probe = Browser(server.port, 60, Tally(), FOREVER)
        baseline = time_requests("/healthz", lambda: get(probe, "/healthz"), 30, 30)
        print(f"  baseline /healthz: p50 {ms(baseline.p50)}, p99 {ms(baseline.p99)}", flush=True)
        measures, staff, ratio = [], [], None
        if "measures" in args.parts:
            print("  measures (one at a time, a new response before each):")
            measures = bench_measures(server.port, args, baseline)
        if "staff" in args.parts:
            print("  staff pages (signed in as an officer; app CPU is the gunicorn workers'):")
            staff = bench_staff(server, totp_secret, args, baseline)
        if "isolation" in args.parts:
            print(
                f"  isolation: {args.respondents} respondents for {args.seconds:.0f} s alone, "
                f"then with {args.hammers} clients asking for the measures:"
            )
            _alone, ratio = bench_isolation(server.port, args)
    finally:
        server.stop()
    return {"database": name, "measures": measures, "staff": staff, "isolation": ratio}


def bench_sqlite(args: argparse.Namespace) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-scale-sqlite-"))
    try:
        path = sqlite_copy(args.rows, args.seed, folder / "app.db")
        return bench_database("SQLite", f"sqlite:///{path}", args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench_postgres(args: argparse.Namespace) -> dict:
    from tests.postgres import PostgresServer

    folder = Path(tempfile.mkdtemp(prefix="bench-scale-postgres-"))
    server = PostgresServer().start()
    try:
        url = postgres_copy(server, args.rows, args.seed, "scale_app")
        return bench_database("PostgreSQL", url, args, folder)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def summary(results: list[dict]) -> None:
    print("\n== summary (p50 / p99) ==")
    for result in results:
        measures = ", ".join(f"{t.label}: {ms(t.p50)} / {ms(t.p99)}" for t in result["measures"])
        staff = ", ".join(f"{t.label}: {ms(t.p50)}" for t in result["staff"])
        if measures:
            print(f"{result['database']}: measures {measures}")
        if staff:
            print(f"{result['database']}: staff p50 {staff}")
        if result["isolation"] is not None:
            print(f"{result['database']}: isolation ratio {result['isolation']:.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="responses generated")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the generator")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--samples", type=int, default=30, help="timed requests, each kind")
    parser.add_argument("--budget", type=float, default=45, help="seconds, each kind at most")
    parser.add_argument("--respondents", type=int, default=16, help="isolation: respondents")
    parser.add_argument("--hammers", type=int, default=32, help="isolation: measures clients")
    parser.add_argument("--seconds", type=float, default=25, help="isolation: each phase")
    parser.add_argument(
        "--parts",
        nargs="+",
        choices=PARTS,
        default=PARTS,
        help="which parts to run (all three unless named)",
    )
    parser.add_argument(
        "--pages", default="", help="staff pages whose label has one of these words (a,b)"
    )
    args = parser.parse_args(argv)

    runs = {"sqlite": bench_sqlite, "postgresql": bench_postgres}
    results, broken = [], []
    for name, run in runs.items():
        if args.database not in (name, "both"):
            continue
        print(f"\n-- {name}, {args.rows:,} responses --", flush=True)
        try:
            results.append(run(args))
        except Exception as error:  # report it, then still run the other database
            print(f"  {name}: the benchmark could not run: {type(error).__name__}: {error}")
            broken.append(name)
    summary(results)
    if broken:
        print(f"FAILED: no figures for {', '.join(broken)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
