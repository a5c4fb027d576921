"""Rate limits on signing in and sending answers, counted in the database so that every
gunicorn worker shares them."""

import hashlib
import time

import pytest
from sqlalchemy import select

from app.models import RateLimitSecret, RateLimitWindow
from app.ratelimit import allow, forget_old_windows
from tests.factories import load_shipped_surveys
from tests.pages import csrf_token, parse
from tests.respond.walk import complete

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine(app):
    """The app's engine, inside the app (the keys are hashed with its SECRET_KEY)."""
    with app.app_context():
        yield app.extensions["db_engine"]


def test_tries_are_counted_per_key_and_refused_past_the_limit(engine):
    assert [allow(engine, "sign-in:1.2.3.4", 3, 60) for _ in range(4)] == [True, True, True, False]
    assert allow(engine, "sign-in:5.6.7.8", 3, 60)


def test_a_second_engine_sees_the_same_counts_as_another_worker_would(app, engine):
    from app.db import make_engine

    other = make_engine(app.config["DATABASE_URL"])
    allow(engine, "respond:9.9.9.9", 2, 60)
    allow(other, "respond:9.9.9.9", 2, 60)
    assert not allow(engine, "respond:9.9.9.9", 2, 60)
    other.dispose()


def test_old_windows_are_forgotten(engine):
    allow(engine, "k", 1, 60)
    assert forget_old_windows(engine, now=time.time() + 3600) == 1
    assert allow(engine, "k", 1, 60)


def stored(engine):
    with engine.connect() as connection:
        windows = connection.execute(select(RateLimitWindow.key, RateLimitWindow.window_start))
        days = connection.execute(select(RateLimitSecret.day, RateLimitSecret.secret))
        return windows.all(), days.all()


def test_no_address_is_stored_only_a_keyed_hash(app, client, db):
    load_shipped_surveys(db)
    client.environ_base["REMOTE_ADDR"] = "127.0.9.1"
    complete(client, "children", {})
    with app.app_context():
        windows, days = stored(app.extensions["db_engine"])
    keys = [key for key, _start in windows]
    # Starting and sending count as "respond", sending also as "sends" (ballot stuffing).
    assert keys and {key.partition(":")[0] for key in keys} == {"respond", "sends"}
    assert "127.0.9.1" not in repr(windows + days)
    # Not a plain hash either: nobody can test a guessed address without the day's secrets.
    guesses = {hashlib.sha256(b"respond:127.0.9.1").hexdigest(), "127.0.9.1"}
    assert not {key.partition(":")[2] for key in keys} & guesses


def test_the_key_changes_with_the_day_and_the_secret_key(app, engine, monkeypatch):
    from app import ratelimit

    with engine.begin() as connection:
        today = ratelimit.pseudonym(connection, "respond:127.0.9.1", 20000)
        assert ratelimit.pseudonym(connection, "respond:127.0.9.1", 20000) == today
        assert ratelimit.pseudonym(connection, "respond:127.0.9.1", 20001) != today
        monkeypatch.setitem(app.config, "SECRET_KEY", "another key")
        assert ratelimit.pseudonym(connection, "respond:127.0.9.1", 20000) != today


def test_each_try_deletes_ended_windows_and_secrets_no_window_needs(engine, monkeypatch):
    from app import ratelimit

    yesterday = time.time() - ratelimit.DAY
    monkeypatch.setattr(ratelimit.time, "time", lambda: yesterday)
    allow(engine, "respond:127.0.9.1", 5, 600)
    monkeypatch.undo()
    [(old_key, _start)], [(old_day, _secret)] = stored(engine)

    allow(engine, "respond:127.0.9.2", 5, 600)
    windows, days = stored(engine)
    assert old_key not in [key for key, _start in windows]
    assert [day for day, _secret in days] == [int(time.time()) // ratelimit.DAY]
    assert old_day not in [day for day, _secret in days]


def test_a_window_longer_than_a_day_keeps_its_days_secret(engine, monkeypatch):
    from app import ratelimit

    week = 7 * ratelimit.DAY
    assert [allow(engine, "sent:127.0.9.1", 2, week) for _ in range(3)] == [True, True, False]
    allow(engine, "respond:127.0.9.2", 5, 60)  # another try purges what has ended
    assert not allow(engine, "sent:127.0.9.1", 2, week)


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


def wrong_password(client, **request) -> int:
    """The status of a wrong password sent by CLIENT, with REQUEST's headers or environ."""
    token = csrf_token(client, "/staff/sign-in")
    return client.post(
        "/staff/sign-in",
        data={"csrf_token": token, "email": "a@b.org", "password": "x"},
        **request,
    ).status_code


def test_addresses_in_one_ipv6_64_count_as_one_sender(app):
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "sign-in": (2, 900)}
    client = app.test_client()

    def sign_in_from(address):
        return wrong_password(client, environ_base={"REMOTE_ADDR": address})

    one_home = ["2001:db8:1:2::1", "2001:db8:1:2:ffff:1:2:3", "2001:db8:1:2:abcd::9"]
    assert [sign_in_from(address) for address in one_home] == [200, 200, 429]
    # The next /64 is someone else, and an IPv4 address written as IPv6 is that address.
    assert sign_in_from("2001:db8:1:3::1") == 200
    assert [sign_in_from("::ffff:192.0.2.7"), sign_in_from("192.0.2.7")] == [200, 200]
    assert sign_in_from("192.0.2.7") == 429


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
        return wrong_password(client, headers={"X-Forwarded-For": address})

    assert [sign_in_from("10.0.0.1"), sign_in_from("10.0.0.2"), sign_in_from("10.0.0.1")] == [
        200,
        200,
        429,
    ]
    app.extensions["db_engine"].dispose()


def test_the_privacy_notice_says_how_long_tries_are_counted(app, client):
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "respond": (600, 20 * 60)}
    section = parse(client.get("/privacy")).find("h2", string="Internet addresses")
    words = " ".join(p.get_text() for p in section.find_next_siblings("p", limit=2))
    assert "We do not store it" in words
    assert "in 20 minutes" in words and "after its 20 minutes" in words


def test_a_window_not_aligned_to_a_day_keeps_its_days_secret(engine, monkeypatch):
    from app import ratelimit

    per = 7 * 3600 + 1  # windows start at any time of day, never in step with midnight
    after_midnight = int(time.time()) // ratelimit.DAY * ratelimit.DAY + 60
    assert after_midnight - after_midnight % per < after_midnight - 60  # began yesterday
    monkeypatch.setattr(ratelimit.time, "time", lambda: after_midnight)
    assert [allow(engine, "odd:127.0.9.1", 2, per) for _ in range(2)] == [True, True]
    allow(engine, "respond:127.0.9.2", 5, 60)  # deletes what has ended, not yesterday's secret
    assert not allow(engine, "odd:127.0.9.1", 2, per)
