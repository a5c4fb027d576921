"""Several workers on one database: each message is claimed by one of them, sent once, and
a message whose worker died is taken over when its lease runs out. On SQLite and
PostgreSQL."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import make_engine, utcnow
from app.models import MessageStatus, OutboxMessage
from app.outbox.backends import backend_from_config
from app.outbox.messages import REPORT_WITH_FORUM
from app.outbox.queue import queue_message
from app.outbox.worker import LEASE, claim, deliver, deliver_all
from tests.outbox.mailserver import mail_server

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
WORKER = [sys.executable, "-m", "flask", "--app", "wsgi"]


def queue_many(db, count: int) -> None:
    for number in range(count):
        queue_message(
            db,
            REPORT_WITH_FORUM,
            f"member{number}@forum.example.org",
            report_title="Children and young people, 2025/26",
            report_url="https://send.example.gov.uk/staff/reports/1",
        )
    db.commit()


def statuses(db) -> dict[str, int]:
    rows = db.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    db.commit()
    return dict(rows)


def test_two_workers_racing_send_each_message_exactly_once(app, db, backend, database_url):
    queue_many(db, 30)
    with mail_server(stall_seconds=0.01) as server:
        server.configure(app)
        mail = backend_from_config(app.config)
        start = threading.Barrier(2)
        errors = []

        def worker():
            # An engine of its own: a separate app server on the same database.
            engine = make_engine(database_url)
            try:
                start.wait()
                while deliver(engine, mail, limit=2).sent:
                    pass
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                engine.dispose()

        workers = [threading.Thread(target=worker) for _ in range(2)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join(60)
    assert errors == []
    ids = [mail["Message-ID"] for mail in server.received]
    assert len(ids) == 30
    assert len(set(ids)) == 30
    assert statuses(db) == {MessageStatus.SENT: 30}


def test_a_claimed_message_is_not_claimed_again_while_its_lease_runs(app, db, backend):
    queue_many(db, 3)
    engine = app.extensions["db_engine"]
    now = utcnow() + timedelta(seconds=1)
    first = claim(engine, now=now, limit=2)
    second = claim(engine, now=now, limit=10)
    assert len(first) == 2 and len(second) == 1
    assert {m.id for m in first}.isdisjoint({m.id for m in second})
    assert claim(engine, now=now + LEASE - timedelta(seconds=1)) == []


def test_a_dead_workers_lease_is_taken_over_once_it_runs_out(app, db, backend):
    queue_many(db, 1)
    engine = app.extensions["db_engine"]
    now = utcnow() + timedelta(seconds=1)
    [dead] = claim(engine, now=now)  # claimed, then the worker died: nothing recorded
    with mail_server() as server:
        server.configure(app)
        mail = backend_from_config(app.config)
        assert deliver_all(engine, mail, clock=lambda: now + timedelta(minutes=1)).sent == 0
        assert deliver_all(engine, mail, clock=lambda: now + LEASE + timedelta(seconds=1)).sent == 1
    assert len(server.received) == 1
    row = db.get(OutboxMessage, dead.id)
    assert (row.status, row.attempts) == (MessageStatus.SENT, 2)


def worker_environment(app, database_url: str, server) -> dict[str, str]:
    return {
        **os.environ,
        "FLASK_CONFIG": "development",
        "DATABASE_URL": database_url,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "BASE_URL": app.config["BASE_URL"],
        "MAIL_BACKEND": "smtp",
        "MAIL_FROM": "engagement@herefordshire.gov.uk",
        "SMTP_HOST": server.host,
        "SMTP_PORT": str(server.port),
        "SMTP_STARTTLS": "false",
    }


def start_worker(app, database_url, server) -> subprocess.Popen:
    return subprocess.Popen(
        [*WORKER, "outbox", "send", "--watch", "--interval", "1"],
        cwd=ROOT,
        env=worker_environment(app, database_url, server),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.1)


def test_a_worker_killed_mid_send_loses_nothing_and_sends_at_most_one_copy_more(
    app, db, backend, database_url
):
    queue_many(db, 1)
    with mail_server(stall_seconds=30) as server:
        worker = start_worker(app, database_url, server)
        try:
            # The relay has the message but has not said so: the worker is mid-send.
            assert server.data_started.wait(60), worker.stderr.read() if worker.poll() else ""
        finally:
            worker.kill()
            worker.communicate()
        assert statuses(db) == {MessageStatus.SENDING: 1}
        server.stall_seconds = 0
        server.configure(app)
        later = utcnow() + LEASE + timedelta(seconds=1)
        tally = deliver_all(
            app.extensions["db_engine"], backend_from_config(app.config), clock=lambda: later
        )
    assert tally.sent == 1
    assert statuses(db) == {MessageStatus.SENT: 1}
    # The one duplicate the design allows, recognisable as the same message.
    first, again = server.received
    assert first["Message-ID"] == again["Message-ID"]


def test_watch_sends_messages_as_they_are_queued_and_stops_cleanly_on_sigterm(
    app, db, backend, database_url
):
    with mail_server() as server:
        worker = start_worker(app, database_url, server)
        try:
            time.sleep(1)
            queue_many(db, 2)
            wait_for(lambda: len(server.received) == 2 or worker.poll() is not None)
            worker.send_signal(signal.SIGTERM)
            output, errors = worker.communicate(timeout=30)
        finally:
            if worker.poll() is None:
                worker.kill()
    assert worker.returncode == 0, errors
    assert "Stopped." in output
    assert len(server.received) == 2
    assert statuses(db) == {MessageStatus.SENT: 2}
