"""The database layer: SQLite settings, migrations that match the models, and concurrent writers."""

import multiprocessing

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from app.db import Base, make_engine

pytestmark = pytest.mark.postgres


def test_migrations_create_exactly_what_the_models_describe(app):
    engine = app.extensions["db_engine"]
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_migrations_go_down_and_up_again(app):
    from app import migrations

    engine = app.extensions["db_engine"]
    migrations.downgrade(engine, "base")
    with engine.connect() as connection:
        assert "surveys" not in engine.dialect.get_table_names(connection)
    migrations.upgrade(engine)
    with engine.connect() as connection:
        assert "surveys" in engine.dialect.get_table_names(connection)


def test_sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}", busy_timeout_ms=1234)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def _read_then_write(url: str, rounds: int) -> None:
    engine = make_engine(url)
    for _ in range(rounds):
        # Read, then write from what was read: the pattern that fails with "database is
        # locked" under deferred transactions when another process writes in between.
        with engine.begin() as connection:
            value = connection.execute(text("SELECT n FROM counter")).scalar_one()
            connection.execute(text("UPDATE counter SET n = :n"), {"n": value + 1})
    engine.dispose()


def test_concurrent_read_then_write_transactions_never_lock_or_lose_updates(tmp_path):
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (n INTEGER NOT NULL)"))
        connection.execute(text("INSERT INTO counter VALUES (0)"))
    workers, rounds = 6, 60
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_read_then_write, args=(url, rounds)) for _ in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0] * workers
    with engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM counter")).scalar_one() == workers * rounds


def test_foreign_keys_are_enforced(db):
    from sqlalchemy.exc import IntegrityError

    from app.db import utcnow
    from app.models import Response

    db.add(
        Response(
            survey_id="nope",
            survey_version_id=999,
            audience="child",
            submitted_at=utcnow(),
            answers={},
        )
    )
    with pytest.raises(IntegrityError):
        db.commit()


def test_answers_are_jsonb_on_postgresql_and_json_text_on_sqlite(app, backend):
    engine = app.extensions["db_engine"]
    with engine.connect() as connection:
        columns = {
            c["name"]: c["type"] for c in engine.dialect.get_columns(connection, "responses")
        }
    expected = "JSONB" if backend == "postgresql" else "JSON"
    assert type(columns["answers"]).__name__ == expected
