"""The GOV.UK Notify backend, through Notify's own Python client, against a local HTTP
server on loopback that checks each request as Notify would: the path, the JWT signed with
the key's secret, and the JSON body. (The real service cannot be reached from here.)"""

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from sqlalchemy import select

from app.config import Config
from app.models import MessageStatus, OutboxMessage
from app.outbox.backends import backend_from_config
from app.outbox.messages import KINDS, RESULTS_PUBLISHED
from app.outbox.queue import queue_message
from app.outbox.worker import deliver

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"herefordshire_send_live-{SERVICE_ID}-{SECRET}"
TEMPLATES = {kind: str(uuid.uuid4()) for kind in KINDS}
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class FakeNotify:
    requests: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # email address -> (status, JSON errors) Notify answers with.
    answers: dict[str, tuple[int, dict]] = field(default_factory=dict)
    url: str = ""


def notify_handler(fake: FakeNotify):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            self.check(body)
            status, reply = fake.answers.get(body.get("email_address"), (201, None))
            if fake.problems:
                status, reply = 403, {"errors": [{"error": "AuthError", "message": "bad"}]}
            fake.requests.append(body)
            reply = reply or {
                "id": str(uuid.uuid4()),
                "reference": body.get("reference"),
                "content": {"subject": "s", "body": "b", "from_email": "x@notify"},
                "template": {"id": body["template_id"], "version": 1, "uri": "u"},
                "uri": "u",
            }
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def check(self, body):
            if self.path != "/v2/notifications/email":
                fake.problems.append(f"path {self.path}")
            if self.headers["Content-Type"] != "application/json":
                fake.problems.append("not JSON")
            scheme, _, token = self.headers.get("Authorization", "").partition(" ")
            try:
                claims = jwt.decode(token, SECRET, algorithms=["HS256"])
            except jwt.InvalidTokenError as error:
                fake.problems.append(f"JWT: {error}")
                return
            if scheme != "Bearer" or claims.get("iss") != SERVICE_ID:
                fake.problems.append(f"{scheme} {claims}")
            if abs(claims.get("iat", 0) - time.time()) > 30:
                fake.problems.append("iat out of bounds")
            if set(body) - {"email_address", "template_id", "personalisation", "reference"}:
                fake.problems.append(f"body {sorted(body)}")

        def log_message(self, *args):
            pass

    return Handler


@contextmanager
def fake_notify() -> Iterator[FakeNotify]:
    fake = FakeNotify()
    server = ThreadingHTTPServer(("127.0.0.1", 0), notify_handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def notify(app):
    with fake_notify() as fake:
        app.config.update(
            MAIL_BACKEND="notify",
            NOTIFY_API_KEY=API_KEY,
            NOTIFY_BASE_URL=fake.url,
            NOTIFY_TEMPLATES=TEMPLATES,
            MAIL_TIMEOUT=5,
        )
        yield fake


def queue(db, to="parent@example.org") -> OutboxMessage:
    message = queue_message(
        db,
        RESULTS_PUBLISHED,
        to,
        survey_title="Parent carers' survey",
        report_url="https://send.example.gov.uk/you-said-we-did/parent-carers/2025-26",
        remove_url="https://send.example.gov.uk/email/remove/abc",
    )
    message.next_attempt_at = T0
    db.commit()
    return message


def send(app):
    return deliver(app.extensions["db_engine"], backend_from_config(app.config), clock=lambda: T0)


def test_notify_gets_the_template_personalisation_and_reference_in_a_signed_request(
    app, db, notify
):
    message = queue(db)
    assert send(app).sent == 1
    assert notify.problems == []
    assert notify.requests == [
        {
            "email_address": "parent@example.org",
            "template_id": TEMPLATES[RESULTS_PUBLISHED],
            "personalisation": {
                "survey_title": "Parent carers' survey",
                "report_url": "https://send.example.gov.uk/you-said-we-did/parent-carers/2025-26",
                "remove_url": "https://send.example.gov.uk/email/remove/abc",
            },
            "reference": message.reference,
        }
    ]
    db.expire_all()
    row = db.get(OutboxMessage, message.id)
    # Sent to a parent carer: nothing of the address or links is kept.
    assert (row.status, row.recipient, row.fields) == (MessageStatus.SENT, None, {})


def test_a_wrong_key_is_refused_by_the_check_and_tried_again_later(app, db, notify):
    app.config["NOTIFY_API_KEY"] = f"herefordshire_send_live-{SERVICE_ID}-{uuid.uuid4()}"
    message = queue(db)
    assert send(app).retrying == 1
    db.expire_all()
    row = db.get(OutboxMessage, message.id)
    assert row.status == MessageStatus.QUEUED
    assert row.last_error.startswith("GOV.UK Notify said 403")


@pytest.mark.parametrize(
    ("status", "error", "outcome"),
    [
        (400, "ValidationError", MessageStatus.FAILED),
        (429, "RateLimitError", MessageStatus.QUEUED),
        (500, "Exception", MessageStatus.QUEUED),
    ],
)
def test_notify_errors_fail_for_good_or_are_tried_again(app, db, notify, status, error, outcome):
    notify.answers["parent@example.org"] = (
        status,
        {"status_code": status, "errors": [{"error": error, "message": "Not a valid email"}]},
    )
    message = queue(db)
    send(app)
    db.expire_all()
    row = db.get(OutboxMessage, message.id)
    assert row.status == outcome
    assert row.last_error.startswith(f"GOV.UK Notify said {status}")
    assert row.recipient == "parent@example.org"  # kept until sent or purged


def test_every_kind_has_a_template_setting(app, runner):
    app.config.update(MAIL_BACKEND="notify", NOTIFY_API_KEY=API_KEY, NOTIFY_TEMPLATES={})
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 1
    for kind in KINDS:
        assert f"NOTIFY_TEMPLATE_{kind.upper()}" in result.output
    assert set(Config.NOTIFY_TEMPLATES) == set(KINDS)


def test_nothing_reaches_notify_when_no_message_is_due(app, db, notify):
    queue(db)
    db.scalar(select(OutboxMessage)).next_attempt_at = datetime(2027, 1, 1, tzinfo=UTC)
    db.commit()
    assert send(app).sent == 0
    assert notify.requests == []
