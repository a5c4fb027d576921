"""Rate limits on signing in and sending answers, counted in the database so that every
gunicorn worker shares them."""

import pytest

from app.ratelimit import allow, forget_old_windows
from tests.pages import csrf_token, parse

pytestmark = pytest.mark.postgres


def test_tries_are_counted_per_key_and_refused_past_the_limit(app):
    engine = app.extensions["db_engine"]
    assert [allow(engine, "sign-in:1.2.3.4", 3, 60) for _ in range(4)] == [True, True, True, False]
    assert allow(engine, "sign-in:5.6.7.8", 3, 60)


def test_a_second_engine_sees_the_same_counts_as_another_worker_would(app):
    from app.db import make_engine

    one = app.extensions["db_engine"]
    other = make_engine(app.config["DATABASE_URL"])
    allow(one, "respond:9.9.9.9", 2, 60)
    allow(other, "respond:9.9.9.9", 2, 60)
    assert not allow(one, "respond:9.9.9.9", 2, 60)
    other.dispose()


def test_old_windows_are_forgotten(app):
    engine = app.extensions["db_engine"]
    allow(engine, "k", 1, 60)
    assert forget_old_windows(engine, older_than_seconds=-3600) == 1
    assert allow(engine, "k", 1, 60)


def test_sign_in_is_refused_after_too_many_tries(app, client):
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "sign-in": (2, 900)}
    for _ in range(2):
        token = csrf_token(client, "/staff/sign-in")
        client.post(
            "/staff/sign-in", data={"csrf_token": token, "email": "a@b.org", "password": "x"}
        )
    refused = client.post(
        "/staff/sign-in", data={"csrf_token": token, "email": "a@b.org", "password": "x"}
    )
    assert refused.status_code == 429
    assert parse(refused).h1.text == "Too many tries"


def test_question_pages_are_not_counted_so_a_class_on_one_address_can_finish(app, db):
    from tests.factories import load_shipped_surveys
    from tests.respond.walk import complete

    load_shipped_surveys(db)
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "respond": (4, 600)}
    # Two whole surveys from one address: 2 starts and 2 sends count, not the 32 pages.
    for _ in range(2):
        done = complete(app.test_client(), "children", {})
        assert parse(done).select_one("[data-receipt-code]") is not None


def test_behind_a_proxy_each_persons_address_is_counted(database_url):
    from app import create_app
    from app.config import TestConfig

    config = type("Config", (TestConfig,), {"DATABASE_URL": database_url, "PROXIES": 1})
    app = create_app(config)
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "sign-in": (1, 900)}
    client = app.test_client()

    def sign_in_from(address):
        token = csrf_token(client, "/staff/sign-in")
        return client.post(
            "/staff/sign-in",
            data={"csrf_token": token, "email": "a@b.org", "password": "x"},
            headers={"X-Forwarded-For": address},
        ).status_code

    assert [sign_in_from("10.0.0.1"), sign_in_from("10.0.0.2"), sign_in_from("10.0.0.1")] == [
        200,
        200,
        429,
    ]
    app.extensions["db_engine"].dispose()
