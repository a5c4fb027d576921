"""Email through a real SMTP server on loopback: what arrives, and how the worker handles a
relay that refuses, times out or is not there."""

import socket
import ssl
import subprocess
import threading
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from app.models import MessageStatus, OutboxMessage
from app.outbox.backends import backend_from_config
from app.outbox.messages import REPORT_WITH_FORUM, STAFF_INVITE
from app.outbox.queue import queue_message
from app.outbox.worker import LONGEST_WAIT, MAX_ATTEMPTS, deliver
from tests.outbox.mailserver import free_port, mail_server

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LINK = "https://send.example.gov.uk/staff/set-password/abc"


def queue(db, to="new.officer@herefordshire.gov.uk", link=LINK) -> OutboxMessage:
    message = queue_message(db, STAFF_INVITE, to, set_password_url=link)
    message.next_attempt_at = T0
    db.commit()
    return message


def stored(db, message: OutboxMessage) -> OutboxMessage:
    db.expire_all()
    row = db.get(OutboxMessage, message.id)
    db.commit()
    return row


def send(app, at=T0):
    return deliver(app.extensions["db_engine"], backend_from_config(app.config), clock=lambda: at)


def test_users_create_emails_the_link_as_text_and_html_built_from_base_url(app, db, runner, client):
    app.config["BASE_URL"] = "https://send.example.gov.uk"
    with mail_server() as server:
        server.configure(app)
        created = runner.invoke(
            args=["users", "create", "Jo@Herefordshire.gov.uk", "--role", "forum"]
        )
        assert created.exit_code == 0, created.output
        printed = created.output.split()[-1]
        result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "1 sent" in result.output
    [mail] = server.received
    assert server.envelopes == [("engagement@herefordshire.gov.uk", ["jo@herefordshire.gov.uk"])]
    assert mail["To"] == "jo@herefordshire.gov.uk"
    assert mail["Subject"] == "Your account for Your voice in Herefordshire SEND"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert printed.startswith("https://send.example.gov.uk/staff/set-password/")
    assert printed in text.split()
    assert f'href="{printed}"' in html
    row = db.scalar(select(OutboxMessage))
    assert mail["Message-ID"] == f"<{row.reference}@send.example.gov.uk>"
    assert (row.status, row.attempts, row.fields) == (MessageStatus.SENT, 1, {})
    # The emailed link is the working one-time link.
    path = printed.removeprefix("https://send.example.gov.uk")
    assert client.get(path).status_code == 200


def test_a_relay_that_says_try_later_is_retried_with_back_off_then_marked_failed(app, db):
    message = queue(db)
    with mail_server(refuse_all="451 4.3.0 Try again later") as server:
        server.configure(app)
        at, waits = T0, []
        for attempt in range(1, MAX_ATTEMPTS + 1):
            tally = send(app, at)
            assert (tally.sent, tally.retrying + tally.failed) == (0, 1), attempt
            row = stored(db, message)
            assert row.attempts == attempt
            assert "451" in row.last_error
            if attempt < MAX_ATTEMPTS:
                assert row.status == MessageStatus.QUEUED
                waits.append(row.next_attempt_at - at)
                # Nothing is tried before its time.
                assert send(app, row.next_attempt_at - timedelta(seconds=1)).retrying == 0
                at = row.next_attempt_at
        assert stored(db, message).status == MessageStatus.FAILED
        assert send(app, at + timedelta(days=30)).failed == 0  # given up: never tried again
    assert waits[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert max(waits) == LONGEST_WAIT
    assert waits == sorted(waits)


def test_a_refused_address_fails_at_once_and_others_still_go(app, db):
    bad = queue(db, to="left@herefordshire.gov.uk")
    good = queue(db, to="here@herefordshire.gov.uk")
    with mail_server(refuse={"left@herefordshire.gov.uk": "550 5.1.1 No such user"}) as server:
        server.configure(app)
        tally = send(app)
    assert (tally.sent, tally.failed, tally.retrying) == (1, 1, 0)
    row = stored(db, bad)
    assert row.status == MessageStatus.FAILED and row.attempts == 1
    assert "550 5.1.1 No such user" in row.last_error
    assert stored(db, good).status == MessageStatus.SENT
    assert [mail["To"] for mail in server.received] == ["here@herefordshire.gov.uk"]


def test_a_malformed_address_fails_without_reaching_the_relay(app, db):
    message = queue(db, to="not an address")
    with mail_server() as server:
        server.configure(app)
        send(app)
    row = stored(db, message)
    assert row.status == MessageStatus.FAILED and "Not a valid email address" in row.last_error
    assert server.received == []


def test_a_relay_that_never_answers_times_out_and_is_tried_again(app, db):
    message = queue(db)
    silent = socket.create_server(("127.0.0.1", 0))
    accepted = []
    threading.Thread(target=lambda: accepted.append(silent.accept()), daemon=True).start()
    app.config.update(
        MAIL_BACKEND="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=silent.getsockname()[1],
        SMTP_STARTTLS=False,
        MAIL_FROM="engagement@herefordshire.gov.uk",
        MAIL_TIMEOUT=1,
    )
    try:
        tally = send(app)
    finally:
        for connection, _address in accepted:
            connection.close()
        silent.close()
    assert tally.retrying == 1
    row = stored(db, message)
    assert row.status == MessageStatus.QUEUED and row.attempts == 1
    assert "timed out" in row.last_error
    assert row.next_attempt_at == T0 + timedelta(minutes=1)


def test_a_relay_that_is_not_there_is_tried_again_later(app, db):
    message = queue(db)
    app.config.update(
        MAIL_BACKEND="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=free_port(),
        SMTP_STARTTLS=False,
        MAIL_FROM="engagement@herefordshire.gov.uk",
    )
    assert send(app).retrying == 1
    row = stored(db, message)
    assert row.status == MessageStatus.QUEUED
    assert "Could not reach the mail relay" in row.last_error


def test_with_no_backend_the_command_says_so_and_keeps_every_message(app, db, runner):
    message = queue(db)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 1
    assert "MAIL_BACKEND is not set" in result.output
    assert stored(db, message).status == MessageStatus.QUEUED


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"MAIL_BACKEND": "smtp", "SMTP_HOST": "", "MAIL_FROM": "x@y.uk"}, "SMTP_HOST"),
        ({"MAIL_BACKEND": "notify", "NOTIFY_API_KEY": ""}, "NOTIFY_API_KEY"),
        ({"MAIL_BACKEND": "carrier-pigeon"}, "carrier-pigeon"),
    ],
)
def test_a_half_configured_backend_is_refused_with_what_to_set(app, runner, settings, named):
    app.config.update(settings)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 1
    assert named in result.output


@pytest.fixture
def certificate(tmp_path, monkeypatch):
    """A self-signed certificate for 127.0.0.1, trusted as the relay's for this test."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def relay_with_sign_in(certificate) -> dict:
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login, auth_data.password) == (b"send-app", b"relay password")
        return AuthResult(success=ok, handled=False)

    return {
        "tls_context": certificate,
        "require_starttls": True,
        "auth_required": True,
        "authenticator": authenticator,
    }


def test_starttls_and_sign_in_with_the_relay_account(app, db, certificate):
    message = queue(db)
    with mail_server(smtp_options=relay_with_sign_in(certificate)) as server:
        server.configure(app)
        app.config.update(
            SMTP_STARTTLS=True, SMTP_USERNAME="send-app", SMTP_PASSWORD="relay password"
        )
        assert send(app).sent == 1
    assert [mail["To"] for mail in server.received] == ["new.officer@herefordshire.gov.uk"]
    assert stored(db, message).status == MessageStatus.SENT


def test_a_wrong_relay_password_is_shown_and_tried_again(app, db, certificate):
    message = queue(db)
    with mail_server(smtp_options=relay_with_sign_in(certificate)) as server:
        server.configure(app)
        app.config.update(SMTP_STARTTLS=True, SMTP_USERNAME="send-app", SMTP_PASSWORD="wrong")
        assert send(app).retrying == 1
    row = stored(db, message)
    assert row.status == MessageStatus.QUEUED and "535" in row.last_error
    assert "wrong" not in row.last_error
    assert server.received == []


def test_line_breaks_cannot_add_headers_or_recipients(app, db):
    injected = queue(db, to="officer@herefordshire.gov.uk\r\nBcc: spy@evil.example")
    titled = queue_message(
        db,
        REPORT_WITH_FORUM,
        "chair@forum.example.org",
        report_title="Children\r\nBcc: spy@evil.example",
        report_url="https://send.example.gov.uk/staff/reports/1",
    )
    titled.next_attempt_at = T0
    db.commit()
    with mail_server() as server:
        server.configure(app)
        send(app)
    assert stored(db, injected).status == MessageStatus.FAILED
    [mail] = server.received
    assert server.envelopes[0][1] == ["chair@forum.example.org"]
    assert mail["Bcc"] is None
    assert mail["Subject"] == "A report is ready for the forum: Children Bcc: spy@evil.example"
    assert stored(db, titled).status == MessageStatus.SENT


def test_a_message_that_cannot_be_built_is_shown_and_the_rest_still_go(app, db):
    broken = queue(db)
    broken.fields = {}  # its link is missing: rendering it fails
    db.commit()
    fine = queue(db, to="fine@herefordshire.gov.uk")
    with mail_server() as server:
        server.configure(app)
        tally = send(app)
    assert (tally.sent, tally.retrying) == (1, 1)
    assert "KeyError" in stored(db, broken).last_error
    assert stored(db, fine).status == MessageStatus.SENT
