"""Limits on how often one address may sign in or send answers, shared by all workers."""

import time
from collections.abc import Callable
from functools import wraps

from flask import current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy import Engine, delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.db import get_engine
from app.models import RateLimitWindow

INSERTS = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}


def allow(engine: Engine, key: str, limit: int, per_seconds: int) -> bool:
    """Count one more try of KEY in this window; False once it is over LIMIT.

    Counted in a transaction of its own, so a try counts even if the request then fails.
    """
    now = int(time.time())
    table = RateLimitWindow.__table__
    statement = (
        INSERTS[engine.dialect.name](table)
        .values(key=key, window_start=now - now % per_seconds, hits=1)
        .on_conflict_do_update(
            index_elements=["key", "window_start"], set_={"hits": table.c.hits + 1}
        )
        .returning(table.c.hits)
    )
    with engine.begin() as connection:
        hits = connection.execute(statement).scalar_one()
    return hits <= limit


def forget_old_windows(engine: Engine, older_than_seconds: int = 24 * 3600) -> int:
    """Delete the counts of windows that started longer ago than that; how many went."""
    cutoff = int(time.time()) - older_than_seconds
    with engine.begin() as connection:
        result = connection.execute(
            delete(RateLimitWindow).where(RateLimitWindow.window_start < cutoff)
        )
    return result.rowcount


def within_limit(name: str) -> bool:
    """Count one more try of RATE_LIMITS[NAME] from this request's address; False once
    that address is past the limit."""
    limit, per = current_app.config["RATE_LIMITS"][name]
    return allow(get_engine(), f"{name}:{request.remote_addr}", limit, per)


def rate_limited(name: str, methods: tuple[str, ...] = ("POST",)) -> Callable:
    """Refuse requests (POSTs, unless METHODS says otherwise) to the view past the
    RATE_LIMITS[NAME] tries from one address."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if request.method in methods and not within_limit(name):
                _limit, per = current_app.config["RATE_LIMITS"][name]
                return render_template(
                    "too_many.html", title=_("Too many tries"), minutes=max(1, per // 60)
                ), 429
            return view(*args, **kwargs)

        return wrapped

    return decorator
