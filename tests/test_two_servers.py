"""Two app servers on one PostgreSQL: real gunicorn twice, on two loopback ports, each
with two workers, and nothing shared between them but the database. Rate limits, staff
sessions, the measure counts and the outbox must behave as on one server."""

import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.config import ProductionConfig, TestConfig
from app.db import make_engine
from app.models import MessageStatus, OutboxMessage, RateLimitWindow, User
from tests.factories import PASSWORD, load_shipped_surveys, make_user, unused_code
from tests.outbox.mailserver import mail_server
from tests.served import ROOT, Served

pytestmark = pytest.mark.postgres

OFFICER = "officer@herefordshire.gov.uk"


class Browser:
    """One person's browser: its cookies go with it to whichever server it asks."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self, server: Served, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], BeautifulSoup]:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = "&".join(
                f"{quote_plus(name)}={quote_plus(value)}" for name, value in form.items()
            ).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        reply = connection.getresponse()
        # Production cookies are Secure; this client, unlike a browser, sends them over
        # plain loopback HTTP, which is all the test needs.
        for cookie in reply.msg.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            if value and "max-age=0" not in cookie.lower() and "1970" not in cookie:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        page = BeautifulSoup(reply.read(), "html.parser")
        connection.close()
        return reply.status, dict(reply.getheaders()), page

    def get(self, server: Served, path: str):
        return self.request(server, "GET", path)

    def post(self, server: Served, path: str, form: dict[str, str], token_from: str | None = None):
        """POST FORM with the CSRF token of the page at TOKEN_FROM (PATH by default)."""
        _status, _headers, page = self.get(server, token_from or path)
        token = page.select_one("input[name=csrf_token]")["value"]
        return self.request(server, "POST", path, {"csrf_token": token, **form})

    def sign_in(self, server: Served, engine) -> None:
        status, headers, _ = self.post(
            server, "/staff/sign-in", {"email": OFFICER, "password": PASSWORD}
        )
        assert (status, headers.get("Location")) == (302, "/staff/two-factor")
        with Session(engine) as session:
            user = session.scalar(select(User).where(User.email == OFFICER))
            code = unused_code(session, user)
        status, headers, _ = self.post(server, "/staff/two-factor", {"code": code})
        assert (status, headers.get("Location")) == (302, "/staff")


def public_measures(server: Served, path: str) -> bytes:
    """The body of a public measures request, asked again after "Retry-After" while its
    one slot (shared by both servers on this machine) is busy or resting."""
    for _ in range(20):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request("GET", path)
        reply = connection.getresponse()
        body = reply.read()
        connection.close()
        if reply.status != 503:
            assert reply.status == 200
            return body
        time.sleep(int(reply.getheader("Retry-After", "1")))
    raise AssertionError(f"{path} stayed busy")


@pytest.fixture(scope="module")
def database_url(postgres) -> str:
    postgres.execute("CREATE DATABASE two_servers TEMPLATE template_migrated")
    url = postgres.url("two_servers")
    engine = make_engine(url)
    with Session(engine) as session:
        load_shipped_surveys(session)
        make_user(session, "officer", OFFICER)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def servers(database_url, tmp_path_factory):
    settings = {"SECRET_KEY": TestConfig.SECRET_KEY}
    started = []
    try:
        for name in ("a", "b"):
            folder = tmp_path_factory.mktemp(f"server-{name}")
            started.append(
                Served(folder, None, workers=2, database_url=database_url, environment=settings)
            )
        yield started
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def test_a_rate_limit_counts_the_tries_made_on_both_servers(servers, engine):
    limit, _per = ProductionConfig.RATE_LIMITS["sign-in"]
    browser = Browser()
    with engine.begin() as connection:
        connection.execute(delete(RateLimitWindow))
    try:
        statuses = [
            # A new address each time: past a few failures one account is throttled on
            # its own (app/staff/throttle.py), and that is not the limit tested here.
            browser.post(
                servers[number % 2],
                "/staff/sign-in",
                {"email": f"someone{number}@example.org", "password": "wrong"},
            )[0]
            for number in range(limit)
        ]
        assert 429 not in statuses
        for server in servers:
            form = {"email": "someone.else@example.org", "password": "wrong"}
            assert browser.post(server, "/staff/sign-in", form)[0] == 429
    finally:
        with engine.begin() as connection:
            connection.execute(delete(RateLimitWindow))


def test_signing_out_on_one_server_ends_the_session_on_the_other(servers, engine):
    first, second = servers
    browser = Browser()
    browser.sign_in(first, engine)
    assert browser.get(second, "/staff")[0] == 200
    status, headers, _ = browser.post(second, "/staff/sign-out", {}, token_from="/staff")
    assert status == 302
    status, headers, _ = browser.get(first, "/staff")
    assert status == 302
    assert headers["Location"].startswith("/staff/sign-in")


def test_answers_typed_in_on_both_servers_are_in_the_measures_of_both(servers, engine):
    browser = Browser()
    browser.sign_in(servers[0], engine)
    answers = ["always", "never", "mostly", "always", "sometimes", "always"] * 2
    for number, answer in enumerate(answers):
        server = servers[number % 2]
        path = "/staff/surveys/children/enter"
        _status, _headers, page = browser.get(server, path)
        form = {
            "csrf_token": page.select_one("input[name=csrf_token]")["value"],
            "entry_key": page.select_one("input[name=entry_key]")["value"],
            "channel": "paper",
            "filled_in_on-day": "3",
            "filled_in_on-month": "10",
            "filled_in_on-year": "2025",
            "cares_about_opinion": answer,
        }
        status, _headers, _page = browser.request(server, "POST", path, form)
        assert status == 302
    for server in servers:
        result = json.loads(public_measures(server, "/api/measures?period=2025/26&by="))
        measure = next(m for m in result["measures"] if m["id"] == "o2_opinion_cared_about")
        assert measure["overall"]["base"] == len(answers)
        assert measure["overall"]["numerator"] == 8


def test_an_email_queued_on_one_server_is_sent_once_by_two_workers_at_once(servers, engine):
    browser = Browser()
    browser.sign_in(servers[1], engine)
    invited = "new.officer@herefordshire.gov.uk"
    status, _headers, _page = browser.post(
        servers[1], "/staff/team/invite", {"email": invited, "role": "officer"}
    )
    assert status == 200
    with mail_server(stall_seconds=1.0) as mail:
        environment = {
            **os.environ,
            "FLASK_CONFIG": "production",
            "SECRET_KEY": TestConfig.SECRET_KEY,
            "DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "MAIL_BACKEND": "smtp",
            "SMTP_HOST": mail.host,
            "SMTP_PORT": str(mail.port),
            "SMTP_STARTTLS": "false",
            "MAIL_FROM": "SEND engagement <engagement@herefordshire.gov.uk>",
        }
        flask = str(Path(sys.executable).parent / "flask")
        workers = [
            subprocess.Popen(
                [flask, "--app", "wsgi", "outbox", "send"],
                cwd=ROOT,
                env=environment,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for _ in range(2)
        ]
        outputs = [worker.communicate(timeout=120)[0].decode() for worker in workers]
        assert [worker.returncode for worker in workers] == [0, 0], outputs
        recipients = [to for _sender, tos in mail.envelopes for to in tos]
    assert recipients.count(invited) == 1
    with Session(engine) as session:
        statuses = session.scalars(
            select(OutboxMessage.status).where(OutboxMessage.recipient == invited)
        ).all()
    assert statuses == [MessageStatus.SENT.value]
