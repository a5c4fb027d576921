"""Fixtures: the app on a fresh, migrated database (SQLite, and PostgreSQL where a test
module is marked `postgres`), its test client and CLI runner, and a session."""

import itertools
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy.orm import Session

from app import create_app, migrations
from app.config import TestConfig
from app.db import make_engine, reading
from tests.postgres import PostgresServer

_database_numbers = itertools.count()


class ReadingClient(FlaskClient):
    """Reads each response to its end and closes it, as a browser does, unless a test
    asks for it unread (buffered=False): a download sent from a temporary file is then
    closed, and so removed, as it is under gunicorn."""

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


Flask.test_client_class = ReadingClient

# CI runs the same examples every time, so a red run can be reproduced.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("postgres"):
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def postgres():
    server = PostgresServer().start()
    try:
        server.execute("CREATE DATABASE template_migrated")
        engine = make_engine(server.url("template_migrated"))
        migrations.upgrade(engine)
        engine.dispose()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    engine = make_engine(f"sqlite:///{path}")
    migrations.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated database of its own for each test: copied from a template, for speed."""
    if backend == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres")
        name = f"test_{next(_database_numbers)}"
        server.execute(f"CREATE DATABASE {name} TEMPLATE template_migrated")
        return server.url(name)
    path = tmp_path / "test.db"
    shutil.copy(request.getfixturevalue("sqlite_template"), path)
    return f"sqlite:///{path}"


@pytest.fixture
def app(database_url: str, tmp_path: Path):
    config = type("Config", (TestConfig,), {"DATABASE_URL": database_url})
    app = create_app(config)
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Clock:
    """The time as signing in sees it, moved on by hand: `clock.advance(minutes=15)`."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Stops the clock of staff sessions, the sign-in limits, codes and the part-signed-in
    state; the test moves it on by hand (never sleep)."""
    clock = Clock(datetime.now(UTC))
    for module in ("sessions", "throttle", "two_factor", "sign_in_steps"):
        monkeypatch.setattr(f"app.staff.{module}.utcnow", clock)
    return clock


@pytest.fixture
def db(app):
    """A session on the test's database; tests commit when they mean to store something.

    Its SQLite transactions start deferred, so a test that reads does not hold the write
    lock that the command or request under test needs.
    """
    with Session(reading(app.extensions["db_engine"]), expire_on_commit=False) as session:
        yield session
