"""Whether the database can store answers now, and if not, why, in words safe to log."""

from dataclasses import dataclass

from sqlalchemy import Engine, insert
from sqlalchemy.exc import DBAPIError

from app.models import RateLimitWindow

# PostgreSQL's SQLSTATE for a write refused by a read-only transaction or database.
READ_ONLY_SQLSTATE = "25006"


@dataclass(frozen=True)
class DatabaseProblem:
    """SUMMARY is safe to show anyone ("database read-only"); REASON is the driver's own
    first line ("attempt to write a readonly database") for the log, without the statement
    or its parameters, which could hold answers or codes."""

    summary: str
    reason: str

    def __str__(self) -> str:
        return f"{self.summary}: {self.reason}"


def problem_of(error: DBAPIError) -> DatabaseProblem:
    """What went wrong, from an error the driver raised."""
    original = error.orig
    reason = (str(original).strip().splitlines() or [type(original).__name__])[0]
    read_only = getattr(original, "sqlstate", None) == READ_ONLY_SQLSTATE or str(
        getattr(original, "sqlite_errorname", "")
    ).startswith("SQLITE_READONLY")
    return DatabaseProblem("database read-only" if read_only else "database unavailable", reason)


def write_problem(engine: Engine) -> DatabaseProblem | None:
    """None if the database takes a write now; otherwise why not.

    It writes a row and rolls it back: a read-only database (a file the server may not
    write, PostgreSQL with default_transaction_read_only) still answers SELECT 1.
    """
    probe = insert(RateLimitWindow).values(key="healthz", window_start=-1, hits=0)
    try:
        with engine.connect() as connection:
            transaction = connection.begin()
            connection.execute(probe)
            transaction.rollback()
    except DBAPIError as error:
        return problem_of(error)
    return None
