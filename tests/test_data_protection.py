"""Retention, erasure by receipt code, and consistent backups."""

import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sqlalchemy import func, select

from app import create_app
from app.config import TestConfig
from app.models import AuditEvent, MessageStatus, OutboxMessage, Response, SafeguardingFlag
from app.outbox.messages import RESULTS_PUBLISHED, STAFF_INVITE
from app.outbox.queue import queue_message
from app.respond.drafts import new_code
from tests.factories import load_shipped_surveys, make_response

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def count(db, model=Response):
    number = db.scalar(select(func.count()).select_from(model))
    db.commit()
    return number


def test_purge_deletes_only_answers_older_than_the_retention(app, runner, db):
    now = datetime.now(UTC)
    days = app.config["RETENTION_DAYS"]
    make_response(db, submitted_at=now - timedelta(days=days + 1))
    make_response(db, submitted_at=now - timedelta(days=days - 1))
    dry = runner.invoke(args=["responses", "purge", "--dry-run"])
    assert dry.output.startswith("Would delete 1 response(s)")
    assert count(db) == 2
    done = runner.invoke(args=["responses", "purge"])
    assert done.exit_code == 0 and done.output.startswith("Deleted 1 response(s)")
    assert count(db) == 1
    assert count(db, AuditEvent) == 1


def test_one_response_is_erased_by_its_receipt_code(runner, db):
    response = make_response(db)
    response.receipt_code = code = new_code()
    db.commit()
    result = runner.invoke(args=["responses", "erase", code.lower()])
    assert result.exit_code == 0, result.output
    assert count(db) == 0
    again = runner.invoke(args=["responses", "erase", code])
    assert again.exit_code == 1
    assert again.output.strip() == f"Error: no response has the receipt code {code}"


def test_a_disclosure_waiting_for_the_safeguarding_lead_is_not_erased(runner, db):
    response = make_response(db, answers={"should_change": "i want to kill myself"})
    response.receipt_code = code = new_code()
    db.commit()
    assert count(db, SafeguardingFlag) == 1
    result = runner.invoke(args=["responses", "erase", code])
    assert result.exit_code == 1
    assert "waiting for the safeguarding lead" in result.output
    assert count(db) == 1


def test_backup_writes_a_consistent_copy_that_restores(app, runner, db, tmp_path, backend, request):
    make_response(db)
    target = tmp_path / ("copy.db" if backend == "sqlite" else "copy.dump")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    if backend == "sqlite":
        with sqlite3.connect(target) as copy:
            assert copy.execute("SELECT count(*) FROM responses").fetchone() == (1,)
        # Restoring is using the copy as the database: the app runs on it as it was.
        restored = create_app(
            type("Config", (TestConfig,), {"DATABASE_URL": f"sqlite:///{target}"})
        )
        assert restored.test_client().get("/healthz").get_data(as_text=True) == "ok"
        restored.extensions["db_engine"].dispose()
    else:
        assert target.read_bytes().startswith(b"PGDMP")
        server = request.getfixturevalue("postgres")
        server.execute("CREATE DATABASE restored")
        url = server.url("restored").replace("+psycopg", "")
        subprocess.run([shutil.which("pg_restore"), f"--dbname={url}", str(target)], check=True)
        with psycopg.connect(url) as copy:
            assert copy.execute("SELECT count(*) FROM responses").fetchone() == (1,)
    again = runner.invoke(args=["backup", str(target)])
    assert again.exit_code == 1 and "already exists" in again.output


def test_purge_deletes_failed_and_stale_emails_to_parent_carers_and_keeps_the_rest(
    app, runner, db, backend
):
    old = datetime.now(UTC) - timedelta(days=app.config["RETENTION_DAYS"] + 1)

    def parent(address, status=MessageStatus.QUEUED, created_at=None):
        message = queue_message(
            db, RESULTS_PUBLISHED, address, survey_title="x", report_url="u", remove_url="r"
        )
        message.status = status.value
        if created_at:
            message.created_at = created_at
        return message

    parent("failed@example.org", MessageStatus.FAILED)
    parent("never-sent@example.org", created_at=old)
    parent("waiting@example.org")
    parent("sent@example.org", MessageStatus.SENT, created_at=old)
    staff = queue_message(db, STAFF_INVITE, "officer@herefordshire.gov.uk", set_password_url="u")
    staff.status = MessageStatus.FAILED.value
    db.commit()
    done = runner.invoke(args=["responses", "purge"])
    assert done.exit_code == 0
    assert "2 unsent email(s) to parent carers" in done.output
    left = db.scalars(select(OutboxMessage.recipient).order_by(OutboxMessage.id)).all()
    assert left == ["waiting@example.org", "sent@example.org", "officer@herefordshire.gov.uk"]
