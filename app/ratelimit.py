"""Limits on how often one address may sign in or send answers, shared by all workers.

No address is stored. A key such as "respond:203.0.113.9" is kept as "respond:" and an
HMAC of the whole key, made with a secret for the UTC day its window starts in; that
secret comes from SECRET_KEY and a random value stored for the day. Every counted try
also deletes the windows that have ended and the day secrets no window needs any more,
so a quiet night leaves nothing behind once the next try comes (and `responses purge`
clears them too). Once a day's random value is deleted, its keys cannot be linked to an
address, even by someone holding SECRET_KEY and a copy of the database.
"""

import hashlib
import hmac
import ipaddress
import secrets
import time
from collections.abc import Callable
from functools import wraps

from flask import current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy import Connection, Engine, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.db import get_engine
from app.models import RateLimitSecret, RateLimitWindow

INSERTS = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}
DAY = 24 * 3600


def allow(engine: Engine, key: str, limit: int, per_seconds: int) -> bool:
    """Count one more try of KEY ("name:address") in this window; False once it is over LIMIT.

    Counted in a transaction of its own, so a try counts even if the request then fails.
    Needs the app (for SECRET_KEY).
    """
    now = int(time.time())
    window_start = now - now % per_seconds
    table = RateLimitWindow.__table__
    with engine.begin() as connection:
        hashed = pseudonym(connection, key, window_start // DAY)
        statement = (
            INSERTS[engine.dialect.name](table)
            .values(
                key=hashed, window_start=window_start, expires_at=window_start + per_seconds, hits=1
            )
            .on_conflict_do_update(
                index_elements=["key", "window_start"], set_={"hits": table.c.hits + 1}
            )
            .returning(table.c.hits)
        )
        hits = connection.execute(statement).scalar_one()
        _forget(connection, now)
    return hits <= limit


def pseudonym(connection: Connection, key: str, day: int) -> str:
    """KEY as stored: its name in clear, the rest an HMAC keyed by DAY's secret."""
    name = key.partition(":")[0]
    digest = hmac.new(_day_secret(connection, day), key.encode(), hashlib.sha256).hexdigest()
    return f"{name}:{digest}"


def _day_secret(connection: Connection, day: int) -> bytes:
    """DAY's secret: SECRET_KEY and DAY's random value (made by whichever worker needs it first)."""
    connection.execute(
        INSERTS[connection.dialect.name](RateLimitSecret)
        .values(day=day, secret=secrets.token_hex(32))
        .on_conflict_do_nothing(index_elements=["day"])
    )
    random_part = connection.scalar(
        select(RateLimitSecret.secret).where(RateLimitSecret.day == day)
    )
    secret_key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret_key, f"rate-limit:{day}:{random_part}".encode(), hashlib.sha256).digest()


def forget_old_windows(engine: Engine, now: float | None = None) -> int:
    """Delete the windows that have ended by NOW and the day secrets none of the rest need;
    how many windows went."""
    with engine.begin() as connection:
        return _forget(connection, int(time.time() if now is None else now))


def _forget(connection: Connection, now: int) -> int:
    gone = connection.execute(delete(RateLimitWindow).where(RateLimitWindow.expires_at <= now))
    days_in_use = select(RateLimitWindow.window_start // DAY).distinct()
    connection.execute(
        delete(RateLimitSecret).where(
            RateLimitSecret.day < now // DAY, RateLimitSecret.day.not_in(days_in_use)
        )
    )
    return gone.rowcount


def within_limit(name: str) -> bool:
    """Count one more try of RATE_LIMITS[NAME] from this request's address; False once
    that address is past the limit."""
    limit, per = current_app.config["RATE_LIMITS"][name]
    return allow(get_engine(), f"{name}:{sender(request.remote_addr)}", limit, per)


def sender(address: str | None) -> str:
    """Who a request's ADDRESS counts as: an IPv4 address itself, but an IPv6 address's
    /64 network, because one home or phone is given a whole /64 and can pick a new
    address in it for every try."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return address or ""
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


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
