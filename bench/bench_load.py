"""Load: many respondents at once completing whole surveys through the real pages.

Run from the repository root:

    python bench/bench_load.py [--respondents 64] [--seconds 35] [--workers 4]

For SQLite (a file in a temporary folder) and then PostgreSQL (a throwaway server from
tests/postgres.py): migrate, load the shipped surveys, serve the app with gunicorn on
127.0.0.1 and let RESPONDENTS simulated children, each with its own cookie jar, answer
surveys page by page as a browser without JavaScript would (start page, "Start now", every
question page with the first option or a line of text, check answers, send, read the
receipt code). On PostgreSQL the respondents are spread over two app servers (two
gunicorn instances on different ports, `--servers`) sharing the database and the workers,
as servers behind a load balancer would. Then, in the same run and with the same gunicorn
worker count and database, the same number of clients hammer a bare Flask endpoint that
inserts one row, the floor any real submission is compared with (issue 6 aims for at
least a quarter of its rate in responses, issue 11 for half of it in page requests).

After each run the database is read back: every receipt a client saw must be stored with
its draft, nothing stored that no client saw, no receipt code twice and no draft with two
responses. Exits 1 if anything was lost or duplicated (or nothing completed).

Responses a second are the page requests served in the timed window over the requests a
complete survey takes (all respondents start together, so completions come in waves);
completions counted directly are printed beside it.

Only 127.0.0.1 is contacted. Each respondent sends from a loopback address of its own
(127.x.y.z, as each phone on mobile data has its own), because the app limits POSTs per
address (app/ratelimit.py); --one-address sends everything from 127.0.0.1, like a class
behind one school address. The session cookie is `Secure` in production; the clients send
it over plain HTTP to loopback, as the TLS proxy in front of a real deployment would.
"""

import argparse
import contextlib
import http.client
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ on the path, not the repository root.
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
SURVEYS = ("children", "young-people", "parent-carers")
FREE_TEXT = "I like my school and my teacher listens to me."
TARGET_RATIO = 0.25
# Issue 11: page requests served a second, at least half the bare endpoint's requests.
TARGET_REQUEST_RATIO = 0.5
BARE_TABLE = "bare_rows"
MAX_PAGES = 80  # more question pages than any survey has: a loop means a bug
ERROR_SAMPLES = 5


# --- the bare endpoint: one row per POST ----------------------------------------------


def create_bare_app():
    """A Flask app whose POST /insert stores one row in a one-column table: the floor a
    real submission is compared with. gunicorn calls this in each worker (after fork), so
    each worker has its own engine, made as the app makes its own (app/db.py)."""
    from flask import Flask, request
    from sqlalchemy import text

    from app.db import make_engine

    bare = Flask("bare_insert")
    engine = make_engine(os.environ["DATABASE_URL"])
    insert = text(f"INSERT INTO {BARE_TABLE} (value) VALUES (:value)")

    @bare.post("/insert")
    def insert_row():
        with engine.begin() as connection:
            connection.execute(insert, {"value": request.form.get("value", "")})
        return "ok", 200, {"Content-Type": "text/plain"}

    @bare.get("/healthz")
    def healthz():
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return "ok", 200, {"Content-Type": "text/plain"}

    return bare


# --- databases -----------------------------------------------------------------------


def prepare_app_database(url: str) -> None:
    """Migrate and load the shipped surveys (open by default), as `make run` does."""
    from app.db import make_engine, session_scope
    from app.migrations import upgrade
    from app.surveys.files import read_survey_files
    from app.surveys.versions import store_surveys

    engine = make_engine(url)
    try:
        upgrade(engine)
        with session_scope(engine) as session:
            store_surveys(session, read_survey_files(ROOT / "surveys"))
    finally:
        engine.dispose()


def prepare_bare_database(url: str) -> None:
    from sqlalchemy import text

    from app.db import make_engine

    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f"CREATE TABLE {BARE_TABLE} (value TEXT NOT NULL)"))
    finally:
        engine.dispose()


# --- gunicorn ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with the project's gunicorn.conf.py, on 127.0.0.1 only, logging to a file."""

    def __init__(
        self,
        app_spec: str,
        database_url: str,
        workers: int,
        log: Path,
        secret_key: str | None = None,
    ):
        self.port = free_port()
        self.log = log
        gunicorn = Path(sys.executable).parent / "gunicorn"
        if not gunicorn.exists():
            gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
        env = {
            **os.environ,
            "FLASK_CONFIG": "production",
            # Servers of one site share one key: a session cookie made by one is read by all.
            "SECRET_KEY": secret_key or secrets.token_hex(32),
            "DATABASE_URL": database_url,
            "BIND": f"{HOST}:{self.port}",
            "WEB_CONCURRENCY": str(workers),
        }
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                # No control socket: its default path is one per user, shared with any
                # other gunicorn on the machine (a `make run`, say), which it would take over.
                [str(gunicorn), "-c", "gunicorn.conf.py", "--no-control-socket", app_spec],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def wait_healthy(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
                connection.close()
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not healthy after {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM the master (graceful), then SIGKILL its process group if it lingers."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


ACCESS_LINE = re.compile(
    r'^(?:\S+ )?"(?P<method>[A-Z]+) (?P<path>\S*)" (?P<status>\d{3}) \S+ (?P<ms>\d+)ms$'
)
ERROR_WORDS = re.compile(
    r"Traceback|\[ERROR\]|\[CRITICAL\]|WORKER TIMEOUT|database is locked|deadlock|"
    r"OperationalError|IntegrityError|Exception",
    re.IGNORECASE,
)


@dataclass
class ServerLog:
    statuses: Counter = field(default_factory=Counter)
    server_ms: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)


def read_server_log(path: Path) -> ServerLog:
    """Statuses and request times from gunicorn's access log, and any error lines."""
    result = ServerLog()
    for line in path.read_text(errors="replace").splitlines():
        match = ACCESS_LINE.match(line)
        if match:
            result.statuses[match["status"]] += 1
            result.server_ms.append(float(match["ms"]))
        elif ERROR_WORDS.search(line):
            result.errors[line.split("] ", 2)[-1][:200]] += 1
    return result


# --- a browser without JavaScript ----------------------------------------------------


class FormParser(HTMLParser):
    """The POST forms of a page: hidden fields, radio and checkbox options, textareas."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.receipt: str | None = None
        self._in_form = False
        self._in_receipt = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and attributes.get("method", "").lower() == "post":
            self._in_form = True
            self.forms.append(
                {
                    "action": attributes.get("action"),
                    "hidden": {},
                    "choices": defaultdict(list),
                    "texts": [],
                }
            )
        elif "data-receipt-code" in attributes:
            self._in_receipt = True
        elif self._in_form and tag == "input":
            kind = attributes.get("type", "text").lower()
            name = attributes.get("name")
            if not name:
                return
            form = self.forms[-1]
            if kind == "hidden":
                form["hidden"][name] = attributes.get("value", "")
            elif kind in ("radio", "checkbox"):
                form["choices"][name].append(attributes.get("value", "on"))
            elif kind in ("text", "email", "number", "tel"):
                form["texts"].append(name)
        elif self._in_form and tag == "textarea" and attributes.get("name"):
            self.forms[-1]["texts"].append(attributes["name"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False

    def handle_data(self, data: str) -> None:
        if self._in_receipt and data.strip():
            self.receipt = data.strip()
            self._in_receipt = False


def parse_page(body: bytes) -> FormParser:
    parser = FormParser()
    parser.feed(body.decode("utf-8", errors="replace"))
    parser.close()
    return parser


class JourneyError(Exception):
    """The respondent could not go on: an unexpected status, page or network failure."""


class Abandoned(Exception):
    """The run's hard time limit passed before this survey was sent."""


@dataclass
class Reply:
    status: int
    location: str
    body: bytes


@dataclass
class Tally:
    """One client thread's measurements; merged after the threads end (no locks)."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    requests_in_window: int = 0
    completed: list[tuple[str, str, str]] = field(default_factory=list)  # survey, draft, code
    completed_in_window: int = 0
    submission_seconds: list[float] = field(default_factory=list)
    survey_requests: list[int] = field(default_factory=list)  # requests each survey took
    errors: Counter = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    unconfirmed_sends: int = 0  # the send was posted but no confirmation came back
    abandoned: int = 0

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] += 1
        if len(self.error_samples) < ERROR_SAMPLES:
            self.error_samples.append(f"{kind}: {detail}"[:300])


class Browser:
    """One phone: its own cookie jar, one connection per request (gunicorn's sync workers
    close it after each response anyway), a timeout on every request."""

    def __init__(
        self, port: int, timeout: float, tally: Tally, window_end: float, source: str = HOST
    ):
        self.port = port
        self.source = source
        self.timeout = timeout
        self.tally = tally
        self.window_end = window_end
        self.cookies: dict[str, str] = {}
        self.requests = 0

    def request(self, method: str, path: str, kind: str, form: dict | None = None) -> Reply:
        headers = {"Accept": "text/html", "User-Agent": "bench-load"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.monotonic()
        self.requests += 1
        connection = http.client.HTTPConnection(
            HOST, self.port, timeout=self.timeout, source_address=(self.source, 0)
        )
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
            location = response.headers.get("Location", "")
        except (OSError, http.client.HTTPException) as error:
            raise JourneyError(f"{method} {path}: {type(error).__name__}: {error}") from error
        finally:
            connection.close()
        finished = time.monotonic()
        self.tally.latencies[kind].append(finished - started)
        if finished <= self.window_end:
            self.tally.requests_in_window += 1
        if location:
            parts = urllib.parse.urlsplit(location)
            if parts.hostname not in (None, HOST):
                raise JourneyError(f"{method} {path}: redirected off loopback to {location}")
            location = parts.path + (f"?{parts.query}" if parts.query else "")
        return Reply(response.status, location, data)

    def _keep_cookies(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            first, _, attributes = header.partition(";")
            name, _, value = first.strip().partition("=")
            lowered = attributes.lower().replace(" ", "")
            if "max-age=0" in lowered or "expires=thu,01jan1970" in lowered:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value


def expect(reply: Reply, status: int, what: str) -> Reply:
    if reply.status != status:
        raise JourneyError(f"{what}: HTTP {reply.status}, expected {status} ({reply.location})")
    return reply


def page_form(page: FormParser, what: str) -> dict:
    for form in page.forms:
        if "csrf_token" in form["hidden"]:
            return form
    raise JourneyError(f"{what}: no form with a csrf_token")


def answer_survey(browser: Browser, survey_id: str, hard_deadline: float) -> tuple[str, str]:
    """One whole survey: returns (draft code, receipt code). Raises JourneyError or
    Abandoned; once the send is posted it is never abandoned."""
    tally = browser.tally
    start = expect(browser.request("GET", f"/s/{survey_id}", "GET start page"), 200, "start")
    token = page_form(parse_page(start.body), "start page")["hidden"]["csrf_token"]
    moved = browser.request("POST", f"/s/{survey_id}/start", "POST start", {"csrf_token": token})
    location = expect(moved, 302, "start now").location
    draft = None
    for _ in range(MAX_PAGES):
        if time.monotonic() > hard_deadline:
            raise Abandoned
        if location.startswith(f"/s/{survey_id}/check"):
            break
        if not location.startswith(f"/s/{survey_id}/q/"):
            raise JourneyError(f"unexpected page {location}")
        page = expect(browser.request("GET", location, "GET question"), 200, location)
        form = page_form(parse_page(page.body), location)
        draft = form["hidden"].get("draft") or draft
        data: dict[str, object] = {**form["hidden"], "action": "continue"}
        for name, values in form["choices"].items():
            data[name] = values[0]
        for name in form["texts"]:
            data[name] = FREE_TEXT
        posted = browser.request("POST", location, "POST question", data)
        if posted.status == 200:
            raise JourneyError(f"{location}: the page came back (a validation error?)")
        location = expect(posted, 302, location).location
    else:
        raise JourneyError(f"no check page after {MAX_PAGES} pages")
    check = expect(browser.request("GET", location, "GET check"), 200, "check page")
    form = page_form(parse_page(check.body), "check page")
    draft = form["hidden"].get("draft") or draft
    if not draft:
        raise JourneyError("no draft code on the pages")
    try:
        sent = browser.request("POST", f"/s/{survey_id}/check", "POST send", form["hidden"])
        done_path = expect(sent, 302, "send").location
        done = expect(browser.request("GET", done_path, "GET done"), 200, "confirmation")
    except JourneyError:
        tally.unconfirmed_sends += 1
        raise
    receipt = parse_page(done.body).receipt
    if not receipt:
        tally.unconfirmed_sends += 1
        raise JourneyError(f"no receipt code on {done_path}")
    return draft, receipt


@dataclass
class Plan:
    port: int
    respondents: int
    seconds: float
    max_each: int
    timeout: float
    one_address: bool = False
    # Further app servers on the same database; respondents are spread over all of them,
    # as a load balancer would.
    more_ports: tuple[int, ...] = ()

    def port_for(self, respondent: int) -> int:
        ports = (self.port, *self.more_ports)
        return ports[respondent % len(ports)]

    def source(self, respondent: int, survey: int) -> str:
        """The loopback address a phone sends from (the server still listens on 127.0.0.1
        only): each child's own, as on mobile data, unless all share one like a school's.
        The app limits POSTs by address (app/ratelimit.py), so this decides whether it trips.
        """
        if self.one_address:
            return HOST
        return f"127.{10 + survey % 240}.{respondent // 250}.{respondent % 250 + 2}"


def respondent(number: int, plan: Plan, tally: Tally, go: threading.Event, times: dict) -> None:
    go.wait()
    window_end, hard_deadline = times["window_end"], times["hard_deadline"]
    for done_count in range(plan.max_each):
        # The first survey always starts (the warm-up's window is empty).
        if done_count and time.monotonic() >= window_end:
            return
        survey_id = SURVEYS[(number + done_count) % len(SURVEYS)]
        # A fresh cookie jar for each survey: each is another child's phone.
        source = plan.source(number, done_count)
        browser = Browser(plan.port_for(number), plan.timeout, tally, window_end, source)
        started = time.monotonic()
        try:
            draft, receipt = answer_survey(browser, survey_id, hard_deadline)
        except Abandoned:
            tally.abandoned += 1
            return
        except JourneyError as error:
            tally.error(survey_id, str(error))
            time.sleep(0.5)  # as a person would, rather than hammer a failing server
            continue
        except Exception as error:  # a bug here must show, not hang the run
            tally.error("client bug", f"{type(error).__name__}: {error}")
            continue
        finished = time.monotonic()
        tally.completed.append((survey_id, draft, receipt))
        tally.submission_seconds.append(finished - started)
        tally.survey_requests.append(browser.requests)
        if finished <= window_end:
            tally.completed_in_window += 1


def bare_client(number: int, plan: Plan, tally: Tally, go: threading.Event, times: dict) -> None:
    go.wait()
    window_end = times["window_end"]
    browser = Browser(plan.port, plan.timeout, tally, window_end, plan.source(number, 0))
    for count in range(plan.max_each):
        if time.monotonic() >= window_end:
            return
        try:
            reply = browser.request(
                "POST", "/insert", "POST insert", {"value": f"{number}-{count}"}
            )
        except JourneyError as error:
            tally.error("insert", str(error))
            continue
        if reply.status != 200:
            tally.error("insert", f"HTTP {reply.status}")
            continue
        if time.monotonic() <= window_end:
            tally.completed_in_window += 1
        tally.completed.append(("bare", "", ""))


@dataclass
class RunResult:
    tallies: list[Tally]
    window: float
    elapsed: float
    cpu_seconds: float
    load_before: float

    def merged(self) -> Tally:
        total = Tally()
        for tally in self.tallies:
            for kind, values in tally.latencies.items():
                total.latencies[kind].extend(values)
            total.requests_in_window += tally.requests_in_window
            total.completed.extend(tally.completed)
            total.completed_in_window += tally.completed_in_window
            total.submission_seconds.extend(tally.submission_seconds)
            total.survey_requests.extend(tally.survey_requests)
            total.errors.update(tally.errors)
            total.error_samples.extend(
                tally.error_samples[: ERROR_SAMPLES - len(total.error_samples)]
            )
            total.unconfirmed_sends += tally.unconfirmed_sends
            total.abandoned += tally.abandoned
        return total


def run_load(target, plan: Plan, grace: float) -> RunResult:
    """Start PLAN.respondents threads running TARGET together; they start nothing new after
    PLAN.seconds and give up unsent surveys GRACE seconds later."""
    go = threading.Event()
    times: dict[str, float] = {}
    tallies = [Tally() for _ in range(plan.respondents)]
    threads = [
        threading.Thread(target=target, args=(i, plan, tallies[i], go, times), daemon=True)
        for i in range(plan.respondents)
    ]
    for thread in threads:
        thread.start()
    load_before = os.getloadavg()[0]
    cpu_before = time.process_time()
    started = time.monotonic()
    times["window_end"] = started + plan.seconds
    times["hard_deadline"] = started + plan.seconds + grace
    go.set()
    for thread in threads:
        # Every request has a timeout, so each thread ends; this bounds a stuck one anyway.
        thread.join(timeout=max(1.0, times["hard_deadline"] + 2 * plan.timeout - time.monotonic()))
    elapsed = time.monotonic() - started
    stuck = sum(thread.is_alive() for thread in threads)
    if stuck:
        print(f"  WARNING: {stuck} client threads still running; their results are left out")
    return RunResult(tallies, plan.seconds, elapsed, time.process_time() - cpu_before, load_before)


# --- checking the database -----------------------------------------------------------


@dataclass
class Check:
    stored: int
    receipts_seen: int
    lost: int
    stored_unseen: int
    duplicate_receipts: int
    drafts_with_two: int
    half_sent_drafts: int
    wrong_draft: int

    @property
    def ok(self) -> bool:
        return (
            self.lost == 0
            and self.stored_unseen == 0
            and self.duplicate_receipts == 0
            and self.drafts_with_two == 0
            and self.half_sent_drafts == 0
            and self.wrong_draft == 0
            and self.stored == self.receipts_seen
        )


def check_responses(url: str, completed: list[tuple[str, str, str]]) -> Check:
    from sqlalchemy import text

    from app.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT r.receipt_code, d.resume_code FROM responses r "
                    "LEFT JOIN drafts d ON d.id = r.draft_id"
                )
            ).all()
            drafts_with_two = connection.scalar(
                text(
                    "SELECT COUNT(*) FROM (SELECT draft_id FROM responses WHERE draft_id IS "
                    "NOT NULL GROUP BY draft_id HAVING COUNT(*) > 1) AS twice"
                )
            )
            half_sent = connection.scalar(
                text(
                    "SELECT COUNT(*) FROM drafts d WHERE d.submitted_at IS NOT NULL AND NOT "
                    "EXISTS (SELECT 1 FROM responses r WHERE r.draft_id = d.id)"
                )
            )
    finally:
        engine.dispose()
    stored = {receipt: draft for receipt, draft in rows}
    seen = Counter(receipt for _, _, receipt in completed)
    db_codes = Counter(receipt for receipt, _ in rows)
    return Check(
        stored=len(rows),
        receipts_seen=len(completed),
        lost=sum(1 for _, _, receipt in completed if receipt not in stored),
        stored_unseen=sum(1 for receipt in stored if receipt not in seen),
        duplicate_receipts=sum(n - 1 for n in db_codes.values() if n > 1)
        + sum(n - 1 for n in seen.values() if n > 1),
        drafts_with_two=int(drafts_with_two or 0),
        half_sent_drafts=int(half_sent or 0),
        wrong_draft=sum(
            1 for _, draft, receipt in completed if receipt in stored and stored[receipt] != draft
        ),
    )


def count_bare_rows(url: str) -> int:
    from sqlalchemy import text

    from app.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(text(f"SELECT COUNT(*) FROM {BARE_TABLE}")))
    finally:
        engine.dispose()


# --- reporting -----------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def print_latencies(label: str, values: list[float]) -> None:
    print(
        f"    {label:<16} n={len(values):>6}  p50 {ms(percentile(values, 0.5)):>8}  "
        f"p99 {ms(percentile(values, 0.99)):>8}  max {ms(max(values, default=0)):>8}"
    )


def print_server_log(log: ServerLog) -> None:
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(log.statuses.items()))
    print(f"  server: {sum(log.statuses.values())} requests logged ({statuses})")
    if log.server_ms:
        print(
            f"    time inside gunicorn: p50 {percentile(log.server_ms, 0.5):.0f} ms, "
            f"p99 {percentile(log.server_ms, 0.99):.0f} ms (the rest is queueing)"
        )
    if log.errors:
        print(f"  server errors: {sum(log.errors.values())} lines, for example:")
        for line, n in log.errors.most_common(ERROR_SAMPLES):
            print(f"    {n} x {line}")
    else:
        print("  server errors: none logged")


def print_client_errors(tally: Tally) -> None:
    if not tally.errors:
        print("  client errors: none")
        return
    print(f"  client errors: {dict(tally.errors)}, for example:")
    for sample in tally.error_samples:
        print(f"    {sample}")


# --- one database --------------------------------------------------------------------


@dataclass
class Figures:
    database: str
    responses_per_second: float
    page_requests_per_second: float
    inserts_per_second: float
    requests_per_survey: float
    page_p50: float
    page_p99: float
    submission_p50: float
    submission_p99: float
    insert_p50: float
    insert_p99: float
    check: Check
    bare_ok: bool
    server_errors: int
    client_errors: int
    completed: int

    @property
    def ratio(self) -> float:
        """Responses a second over bare inserts a second: issue 6 aims for a quarter."""
        return self.responses_per_second / self.inserts_per_second if self.inserts_per_second else 0

    @property
    def request_ratio(self) -> float:
        """The same per request: page requests a second over bare inserts a second."""
        if not self.inserts_per_second:
            return 0.0
        return self.page_requests_per_second / self.inserts_per_second


def bench_database(
    name: str, app_url: str, bare_url: str, args: argparse.Namespace, folder: Path
) -> Figures:
    print(f"\n-- {name} --", flush=True)
    prepare_app_database(app_url)
    prepare_bare_database(bare_url)

    # On PostgreSQL, --servers app servers share the database (and the workers between
    # them), as N servers behind a load balancer would (docs/deployment.md).
    count = args.servers if name == "PostgreSQL" else 1
    secret_key = secrets.token_hex(32)
    servers = [
        Server(
            "wsgi:app",
            app_url,
            max(1, args.workers // count),
            folder / f"{name}-app-{number}.log",
            secret_key,
        )
        for number in range(count)
    ]
    ports = tuple(server.port for server in servers)
    try:
        for server in servers:
            server.wait_healthy()
        # Warm up: each worker imports, compiles templates and fills its pool; these
        # responses are checked with the rest but not timed.
        warm = run_load(
            respondent,
            Plan(ports[0], args.workers * 2, 0.001, 1, 30, more_ports=ports[1:]),
            60,
        )
        survey_run = run_load(
            respondent,
            Plan(
                ports[0],
                args.respondents,
                args.seconds,
                args.max_each,
                args.timeout,
                args.one_address,
                more_ports=ports[1:],
            ),
            args.grace,
        )
    finally:
        for server in servers:
            server.stop()
    app_log = ServerLog()
    for server in servers:
        one = read_server_log(server.log)
        app_log.statuses.update(one.statuses)
        app_log.server_ms.extend(one.server_ms)
        app_log.errors.update(one.errors)
    surveys = survey_run.merged()
    warm_tally = warm.merged()
    check = check_responses(app_url, warm_tally.completed + surveys.completed)

    bare_server = Server(
        "bench.bench_load:create_bare_app()", bare_url, args.workers, folder / f"{name}-bare.log"
    )
    try:
        bare_server.wait_healthy()
        bare_warm = run_load(bare_client, Plan(bare_server.port, args.workers * 2, 1.0, 50, 30), 5)
        bare_run = run_load(
            bare_client,
            Plan(bare_server.port, args.respondents, args.bare_seconds, 10**7, args.timeout),
            5,
        )
    finally:
        bare_server.stop()
    bare_log = read_server_log(bare_server.log)
    inserts = bare_run.merged()
    bare_rows = count_bare_rows(bare_url)
    bare_seen = len(inserts.completed) + len(bare_warm.merged().completed)

    page_latencies = [v for values in surveys.latencies.values() for v in values]
    page_rps = surveys.requests_in_window / survey_run.window
    inserts_per_second = inserts.completed_in_window / bare_run.window
    per_survey = sum(surveys.survey_requests) / max(1, len(surveys.survey_requests))
    # All respondents start together, so completions come in waves a survey long; the
    # steady rate is the page requests served in the window over the requests a survey takes.
    responses_per_second = page_rps / per_survey if surveys.survey_requests else 0.0

    print(
        f"  surveys: {args.respondents} respondents for {args.seconds:.0f} s "
        f"({survey_run.elapsed:.1f} s with the surveys in flight), {args.workers} workers "
        f"over {count} app server{'s' if count > 1 else ''}; "
        f"load average at the start {survey_run.load_before:.1f}"
    )
    print(
        f"  completed {len(surveys.completed)} surveys ({surveys.completed_in_window} inside "
        f"the window), {len(page_latencies)} page requests, {per_survey:.1f} a survey; "
        f"abandoned at the time limit: {surveys.abandoned}"
    )
    print(
        f"  responses/s {responses_per_second:.2f} (page requests/s {page_rps:.1f} over "
        f"{per_survey:.1f}; completed over the whole run: "
        f"{len(surveys.completed) / survey_run.elapsed:.2f}/s, inside the window: "
        f"{surveys.completed_in_window / survey_run.window:.2f}/s)"
    )
    print("  latency of page requests:")
    print_latencies("all pages", page_latencies)
    for kind in sorted(surveys.latencies):
        print_latencies(kind, surveys.latencies[kind])
    print("  latency of a whole submission (start page to receipt):")
    print_latencies("survey", surveys.submission_seconds)
    print_client_errors(surveys)
    print_server_log(app_log)
    print(
        f"  load generator CPU: {survey_run.cpu_seconds:.1f} s over {survey_run.elapsed:.1f} s "
        f"on a machine with {os.cpu_count()} cores (it shares them with the server)"
    )
    print(
        f"  check: stored {check.stored} == receipts seen {check.receipts_seen} "
        f"(warm-up {len(warm_tally.completed)} included): "
        f"{'yes' if check.stored == check.receipts_seen else 'NO'}; "
        f"lost {check.lost}, stored but unseen {check.stored_unseen}, duplicate receipt "
        f"codes {check.duplicate_receipts}, drafts with two responses {check.drafts_with_two}, "
        f"drafts marked sent without a response {check.half_sent_drafts}, receipts on the "
        f"wrong draft {check.wrong_draft}; sends without a confirmation seen "
        f"{surveys.unconfirmed_sends + warm_tally.unconfirmed_sends}"
    )

    print(
        f"  bare insert: {args.respondents} clients for {args.bare_seconds:.0f} s; "
        f"load average at the start {bare_run.load_before:.1f}"
    )
    print(f"  inserts/s {inserts_per_second:.1f}")
    print_latencies("POST insert", inserts.latencies["POST insert"])
    print_client_errors(inserts)
    print_server_log(bare_log)
    bare_ok = bare_rows == bare_seen
    print(
        f"  check: rows {bare_rows} == inserts confirmed {bare_seen}: {'yes' if bare_ok else 'NO'}"
    )

    return Figures(
        database=name,
        responses_per_second=responses_per_second,
        page_requests_per_second=page_rps,
        inserts_per_second=inserts_per_second,
        requests_per_survey=per_survey,
        page_p50=percentile(page_latencies, 0.5),
        page_p99=percentile(page_latencies, 0.99),
        submission_p50=percentile(surveys.submission_seconds, 0.5),
        submission_p99=percentile(surveys.submission_seconds, 0.99),
        insert_p50=percentile(inserts.latencies["POST insert"], 0.5),
        insert_p99=percentile(inserts.latencies["POST insert"], 0.99),
        check=check,
        bare_ok=bare_ok,
        server_errors=sum(app_log.errors.values()),
        client_errors=sum(surveys.errors.values()),
        completed=len(surveys.completed),
    )


def bench_sqlite(args: argparse.Namespace) -> Figures:
    folder = Path(tempfile.mkdtemp(prefix="bench-load-sqlite-"))
    try:
        return bench_database(
            "SQLite",
            f"sqlite:///{folder / 'app.db'}",
            f"sqlite:///{folder / 'bare.db'}",
            args,
            folder,
        )
    finally:
        if args.keep_logs:
            print(f"  logs kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def bench_postgres(args: argparse.Namespace) -> Figures:
    from tests.postgres import PostgresServer

    folder = Path(tempfile.mkdtemp(prefix="bench-load-postgres-"))
    server = PostgresServer()
    try:
        server.start()
        server.execute("CREATE DATABASE load_app")
        server.execute("CREATE DATABASE load_bare")
        return bench_database(
            "PostgreSQL", server.url("load_app"), server.url("load_bare"), args, folder
        )
    finally:
        try:
            server.stop()
        except Exception as error:  # keep the original error, if any, in view
            print(f"  could not stop PostgreSQL cleanly: {error}")
        if args.keep_logs:
            print(f"  logs kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def summary(results: list[Figures]) -> None:
    print("\n== summary ==")
    print(
        f"{'database':<11}{'resp/s':>8}{'inserts/s':>11}{'ratio':>7}{'pages/s':>9}"
        f"{'page ratio':>11}{'page p50':>10}{'page p99':>10}{'send p50':>10}{'send p99':>10}"
        f"{'lost':>6}{'dup':>5}"
    )
    for f in results:
        duplicates = f.check.duplicate_receipts + f.check.drafts_with_two
        print(
            f"{f.database:<11}{f.responses_per_second:>8.2f}{f.inserts_per_second:>11.1f}"
            f"{f.ratio:>7.3f}{f.page_requests_per_second:>9.1f}{f.request_ratio:>11.3f}"
            f"{ms(f.page_p50):>10}{ms(f.page_p99):>10}{ms(f.submission_p50):>10}"
            f"{ms(f.submission_p99):>10}{f.check.lost:>6}{duplicates:>5}"
        )
    for f in results:
        verdict = "met" if f.ratio >= TARGET_RATIO else "missed"
        request_verdict = "met" if f.request_ratio >= TARGET_REQUEST_RATIO else "MISSED"
        print(
            f"{f.database}: responses/s over bare inserts/s = {f.ratio:.3f} (aim at least "
            f"{TARGET_RATIO}: {verdict}); a response takes {f.requests_per_survey:.1f} "
            f"requests, and page requests/s over bare requests/s = {f.request_ratio:.3f} "
            f"(aim at least {TARGET_REQUEST_RATIO}: {request_verdict})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=64, help="concurrent respondents")
    parser.add_argument("--seconds", type=float, default=35, help="survey load, a database")
    parser.add_argument("--bare-seconds", type=float, default=12, help="bare insert load")
    parser.add_argument("--max-each", type=int, default=500, help="surveys a respondent at most")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers in all")
    parser.add_argument(
        "--servers", type=int, default=2, help="app servers sharing the workers, PostgreSQL"
    )
    parser.add_argument("--timeout", type=float, default=30, help="seconds, each request")
    # A survey is 30-odd requests; on a busy shared machine each can take seconds.
    parser.add_argument("--grace", type=float, default=120, help="to finish surveys in flight")
    parser.add_argument(
        "--database", choices=("sqlite", "postgresql", "both"), default="both", help="which"
    )
    parser.add_argument(
        "--one-address",
        action="store_true",
        help="every respondent sends from 127.0.0.1, like a class behind one school address",
    )
    parser.add_argument("--keep-logs", action="store_true", help="keep gunicorn's logs")
    args = parser.parse_args(argv)
    if not 1 <= args.respondents <= 60_000:
        parser.error("--respondents must be between 1 and 60000")

    runs = {"sqlite": bench_sqlite, "postgresql": bench_postgres}
    results, broken = [], []
    for name, run in runs.items():
        if args.database not in (name, "both"):
            continue
        try:
            results.append(run(args))
        except Exception as error:  # report it, then still run the other database
            print(f"  {name}: the benchmark could not run: {type(error).__name__}: {error}")
            broken.append(name)
    summary(results)
    if broken:
        print(f"FAILED: no figures for {', '.join(broken)}", file=sys.stderr)
        return 1

    failed = [f.database for f in results if not f.check.ok or not f.bare_ok]
    if failed:
        print(f"FAILED: responses lost or duplicated on {', '.join(failed)}", file=sys.stderr)
        return 1
    empty = [f.database for f in results if f.completed == 0 or f.inserts_per_second == 0]
    if empty:
        print(f"FAILED: nothing completed on {', '.join(empty)}; no figures", file=sys.stderr)
        return 1
    print("no response lost or duplicated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
