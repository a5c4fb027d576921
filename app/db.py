"""The database: declarative base, engine set-up, and one session per request.

SQLite is the embedded default. Several gunicorn workers share one file, so every
connection uses WAL (readers never block the writer), waits on a busy database instead
of failing, enforces foreign keys, and starts write transactions with BEGIN IMMEDIATE:
a deferred transaction that reads and then writes can fail with "database is locked"
when another worker wrote in between, and the busy timeout cannot save it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.types import TypeDecorator

# Named constraints let Alembic alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores instants in UTC and always gives back timezone-aware UTC datetimes.

    SQLite keeps no zone, so a naive value read back would be ambiguous; this makes both
    databases behave the same.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime; give it a timezone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str, *, busy_timeout_ms: int = 15_000) -> Engine:
    """An engine for URL; SQLite connections get the pragmas the module docstring explains."""
    parsed = make_url(url)
    # Statement parameters are answers, codes and emails: never in an error's text or a log.
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)

    if parsed.database and parsed.database != ":memory:" and "uri" not in parsed.query:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"timeout": busy_timeout_ms / 1000}, hide_parameters=True
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself, not the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def reading(engine: Engine) -> Engine:
    """The same engine, but SQLite transactions start DEFERRED: for requests that only read."""
    return engine.execution_options(sqlite_begin="DEFERRED")


def init_db(app: Flask) -> None:
    """Create the engine for the app's DATABASE_URL and close each request's session after it."""
    engine = make_engine(
        app.config["DATABASE_URL"], busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"]
    )
    app.extensions["db_engine"] = engine
    app.teardown_appcontext(_close_session)


def get_engine() -> Engine:
    return current_app.extensions["db_engine"]


def get_session() -> Session:
    """The session of this request or command, opened on first use.

    Requests that change nothing (GET, HEAD) read in a deferred transaction so they never
    wait for a writer; everything else writes. Helpers never commit: the view or command does.
    """
    if "db_session" not in g:
        engine = get_engine()
        if is_read_only_request():
            engine = reading(engine)
        g.db_session = Session(engine, expire_on_commit=False)
    return g.db_session


def is_read_only_request() -> bool:
    """True in a request whose session reads in a deferred transaction (GET, HEAD)."""
    return has_request_context() and request.method in SAFE_METHODS


def discard_session() -> None:
    """Roll back and close this request's session (after a database error)."""
    _close_session(None)


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits once at the end, or rolls everything back on error."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session
