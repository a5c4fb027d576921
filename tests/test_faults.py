"""Faults: the database locked or unreachable, or a request failing mid-submit. The
respondent sees a clear "try again" page, saved answers are still there, and nothing is
half-stored."""

import socket
import sqlite3

import pytest
from sqlalchemy import func, make_url, select

from app.db import make_engine
from app.models import Draft, Response
from tests.factories import load_shipped_surveys
from tests.pages import parse
from tests.respond.walk import answer, form_fields, start


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def stored(db):
    number = db.scalar(select(func.count()).select_from(Response))
    db.commit()
    return number


def saved_answers(db):
    db.expire_all()
    answers = db.scalar(select(Draft)).answers
    db.commit()
    return answers


def test_an_unreachable_database_shows_try_again_and_loses_nothing_saved(app, client, db, tmp_path):
    first = start(client, "children")
    second = client.get(
        answer(client, first, {"cares_about_opinion": "always"}).headers["Location"]
    )
    working = app.extensions["db_engine"]
    gone = tmp_path / "gone" / "x.db"
    app.extensions["db_engine"] = make_engine(f"sqlite:///{gone}")
    gone.parent.rmdir()
    refused = answer(client, second, {"told_how_views_used": "yes"})
    assert refused.status_code == 503
    assert parse(refused).h1.text == "Sorry, please try again"
    app.extensions["db_engine"] = working
    assert saved_answers(db) == {"cares_about_opinion": "always"}
    assert answer(client, second, {"told_how_views_used": "yes"}).status_code == 302
    assert saved_answers(db) == {"cares_about_opinion": "always", "told_how_views_used": "yes"}


def test_a_locked_database_shows_try_again_then_works(app, client, db):
    app.extensions["db_engine"] = make_engine(app.config["DATABASE_URL"], busy_timeout_ms=200)
    first = start(client, "children")
    path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        refused = answer(client, first, {"cares_about_opinion": "mostly"})
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert refused.status_code == 503
    assert answer(client, first, {"cares_about_opinion": "mostly"}).status_code == 302
    assert saved_answers(db) == {"cares_about_opinion": "mostly"}


def test_a_submit_that_fails_midway_stores_nothing_and_can_be_sent_again(
    app, client, db, monkeypatch
):
    import app.respond.drafts as drafts

    app.config["PROPAGATE_EXCEPTIONS"] = False
    page = start(client, "young-people")
    while "/q/" in page.request.path:
        page = client.get(
            answer(
                client,
                page,
                {"going_well": "good"},
                "continue" if "going_well" in page.request.path else "skip",
            ).headers["Location"]
        )
    real = drafts.store_response

    def fail_after_storing(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("worker stopped")

    monkeypatch.setattr(drafts, "store_response", fail_after_storing)
    fields = form_fields(parse(page))
    failed = client.post("/s/young-people/check", data=fields)
    assert failed.status_code == 500
    assert parse(failed).h1.text == "Sorry, please try again"
    assert stored(db) == 0
    assert saved_answers(db)["going_well"] == "good"

    monkeypatch.setattr(drafts, "store_response", real)
    assert (
        client.post("/s/young-people/check", data=fields).headers["Location"]
        == "/s/young-people/done"
    )
    assert stored(db) == 1


def _read_only(app, backend, request):
    """Make the test's database refuse writes, as a full disk, a read-only mount or a
    PostgreSQL standby would; returns how to undo it."""
    url = make_url(app.config["DATABASE_URL"])
    working = app.extensions["db_engine"]
    if backend == "sqlite":
        app.extensions["db_engine"] = make_engine(f"sqlite:///file:{url.database}?mode=ro&uri=true")

        def undo():
            app.extensions["db_engine"].dispose()
            app.extensions["db_engine"] = working

        return undo
    server = request.getfixturevalue("postgres")
    server.execute(f"ALTER DATABASE {url.database} SET default_transaction_read_only = on")
    working.dispose()

    def undo():
        server.execute(f"ALTER DATABASE {url.database} RESET default_transaction_read_only")
        working.dispose()

    return undo


@pytest.mark.postgres
def test_a_read_only_database_is_reported_and_answers_saved_before_are_kept(
    app, client, db, backend, request, caplog
):
    first = start(client, "children")
    second = client.get(
        answer(client, first, {"cares_about_opinion": "always"}).headers["Location"]
    )
    db.close()
    undo = _read_only(app, backend, request)
    try:
        health = client.get("/healthz")
        refused = answer(client, second, {"told_how_views_used": "yes"})
    finally:
        undo()
    assert (health.status_code, health.get_data(as_text=True)) == (503, "database read-only")
    assert refused.status_code == 503
    assert parse(refused).h1.text == "Sorry, please try again"
    logged = [r.getMessage() for r in caplog.records if r.name == app.logger.name]
    assert any(
        "read-only" in m and ("readonly" in m or "read-only transaction" in m) for m in logged
    )
    assert client.get("/healthz").get_data(as_text=True) == "ok"
    assert saved_answers(db) == {"cares_about_opinion": "always"}
    assert answer(client, second, {"told_how_views_used": "yes"}).status_code == 302
    assert saved_answers(db) == {"cares_about_opinion": "always", "told_how_views_used": "yes"}


@pytest.mark.postgres
def test_a_stopped_database_is_reported_with_its_reason(app, client, backend, tmp_path, caplog):
    if backend == "sqlite":
        gone = tmp_path / "gone" / "x.db"
        stopped = make_engine(f"sqlite:///{gone}")
        gone.parent.rmdir()
    else:
        with socket.socket() as unused:
            unused.bind(("127.0.0.1", 0))
            port = unused.getsockname()[1]
        stopped = make_engine(f"postgresql+psycopg://x@127.0.0.1:{port}/x")
    working, app.extensions["db_engine"] = app.extensions["db_engine"], stopped
    try:
        health = client.get("/healthz")
    finally:
        app.extensions["db_engine"] = working
    assert (health.status_code, health.get_data(as_text=True)) == (503, "database unavailable")
    [logged] = [r.getMessage() for r in caplog.records if r.name == app.logger.name]
    assert logged.startswith("Health check failed, database unavailable: ")
    assert ("unable to open" if backend == "sqlite" else "refused") in logged
