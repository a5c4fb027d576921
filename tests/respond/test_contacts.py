"""An email left for results cannot be joined to the response it was left after: not by
its time, not by its id, not by the order rows come out of the table."""

import re
from datetime import date

import pytest
from sqlalchemy import text

from app.respond.contacts import add_contact, remove_contact
from app.time import today_in_london
from tests.factories import load_shipped_surveys
from tests.pages import parse
from tests.respond.walk import complete, form_fields

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def surveys(db):
    load_shipped_surveys(db)


def rows(db, sql):
    found = [dict(row) for row in db.execute(text(sql)).mappings()]
    db.commit()
    return found


def test_an_emails_time_cannot_be_joined_to_the_response_sent_just_before(app, db):
    for email in ("one@example.org", "two@example.org"):
        client = app.test_client()
        done = complete(client, "parent-carers", {"told_how_views_used": "yes"})
        fields = {**form_fields(parse(done)), "email": email, "consent": "y"}
        assert client.post("/s/parent-carers/done", data=fields).status_code == 302

    contacts = rows(db, "SELECT * FROM contact_requests")
    responses = rows(db, "SELECT id, submitted_at FROM responses")
    assert len(contacts) == len(responses) == 2
    for contact in contacts:
        # Nothing finer than the day: no value with a time of day to set beside submitted_at.
        assert not any(re.search(r"\d:\d\d", str(value)) for value in contact.values())
        assert contact["consented_on"] in (today_in_london(), today_in_london().isoformat())


def test_ids_and_table_order_do_not_follow_the_order_emails_were_left(db, backend):
    left = [f"parent{number:02}@example.org" for number in range(20)]
    for email in left:
        add_contact(db, "parent-carers", email)
        db.commit()
    by_id = [row["email"] for row in rows(db, "SELECT email FROM contact_requests ORDER BY id")]
    assert sorted(by_id) == left and by_id != left
    if backend == "sqlite":
        # The id is SQLite's rowid, so the table's own order is the random ids' order too.
        unordered = [row["email"] for row in rows(db, "SELECT email FROM contact_requests")]
        assert unordered != left


def test_the_daily_purge_rewrites_earlier_emails_in_a_random_order(db, runner, backend):
    left = [f"parent{number:02}@example.org" for number in range(20)]
    tokens = {}
    for email in left:  # each in a transaction of its own, as parent carers leave them
        tokens[email] = add_contact(db, "parent-carers", email)
        db.flush()
        db.execute(
            text("UPDATE contact_requests SET consented_on = :day WHERE email = :email"),
            {"day": date(2026, 1, 5), "email": email},
        )
        db.commit()

    assert runner.invoke(args=["responses", "purge"]).exit_code == 0
    if backend == "postgresql":
        stored = rows(
            db, "SELECT email, xmin::text AS written_by FROM contact_requests ORDER BY ctid"
        )
        assert len({row["written_by"] for row in stored}) == 1
    else:
        stored = rows(db, "SELECT email FROM contact_requests")
    order = [row["email"] for row in stored]
    assert sorted(order) == left and order != left
    assert remove_contact(db, tokens[left[3]])
    db.commit()


def test_the_migration_keeps_emails_with_their_day_and_drops_addresses(app, db):
    from app import migrations

    engine = app.extensions["db_engine"]
    db.close()
    migrations.downgrade(engine, "5b1e7c2d9a04")
    with engine.begin() as connection:
        for number, email in ((1, "a@example.org"), (2, "b@example.org")):
            connection.execute(
                text(
                    "INSERT INTO contact_requests (id, survey_id, email, consented_at,"
                    " removal_token_hash) VALUES (:id, 'parent-carers', :email,"
                    " '2026-03-04 12:30:00', :hash)"
                ),
                {"id": number, "email": email, "hash": email * 2},
            )
        connection.execute(
            text("INSERT INTO rate_limit_windows VALUES ('respond:127.0.9.1', 0, 1)")
        )
    migrations.upgrade(engine)
    contacts = rows(db, "SELECT id, email, consented_on FROM contact_requests ORDER BY email")
    assert [(c["email"], str(c["consented_on"])) for c in contacts] == [
        ("a@example.org", "2026-03-04"),
        ("b@example.org", "2026-03-04"),
    ]
    assert {c["id"] for c in contacts}.isdisjoint({1, 2})
    assert rows(db, "SELECT * FROM rate_limit_windows") == []
    db.close()
    migrations.downgrade(engine, "5b1e7c2d9a04")
    migrations.upgrade(engine)
    assert len(rows(db, "SELECT * FROM contact_requests")) == 2
