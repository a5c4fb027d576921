"""Failed sign-ins limited per account, on top of the limit per address (app/ratelimit.py),
so guesses spread over many addresses are stopped too.

Each try counts as a failure until it succeeds. After FREE_FAILURES failures each further
try must wait, twice as long each time, up to LONGEST_DELAY; tries refused while waiting
are not counted, so the wait never grows past that. A successful sign-in clears the count.
Passwords and codes (the second step) are counted apart, so knowing the password does not
clear the count of wrong codes.
An attacker can slow the account's owner down, never lock them out for good: a browser
that has signed in as the account before carries a signed device cookie and has a count
of its own, which the attacker's failures do not touch.

Failures are counted under a keyed hash of the email address typed, whether or not there
is such an account, so the limit (and its message) says nothing about which accounts exist.
"""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Engine, delete, select, update

from app.db import utcnow
from app.models import SignInFailures
from app.ratelimit import INSERTS

FREE_FAILURES = 5
FIRST_DELAY = timedelta(seconds=30)
LONGEST_DELAY = timedelta(minutes=15)
DEVICE_COOKIE = "staff_device"
DEVICE_LIFETIME = timedelta(days=365)
# Kept this long after their last wait ends, then forgotten (`responses purge`).
KEPT_FOR = timedelta(days=1)


def delay_after(failures: int) -> timedelta:
    """How long the next try must wait after FAILURES failures in a row."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_DELAY * 2 ** (failures - FREE_FAILURES), LONGEST_DELAY)


def try_key(email: str) -> str:
    """The key this request's tries at EMAIL are counted under: its browser's own if it
    has signed in as EMAIL before, else the account's."""
    account = _keyed_hash(f"account:{email.strip().lower()}")
    try:
        device = _device_serializer().loads(request.cookies.get(DEVICE_COOKIE, ""))
    except BadSignature:
        return account
    if isinstance(device, dict) and device.get("account") == account:
        return _keyed_hash(f"device:{device.get('device')}")
    return account


def second_step_key(key: str) -> str:
    """The key codes (the second step) are counted under, apart from passwords: a correct
    password clears the count of passwords, never that of codes."""
    return _keyed_hash(f"code:{key}")


def remember_device(response: Response, email: str) -> None:
    """Give the browser a device cookie for EMAIL, after it has signed in as EMAIL."""
    payload = {
        "account": _keyed_hash(f"account:{email.strip().lower()}"),
        "device": secrets.token_urlsafe(16),
    }
    response.set_cookie(
        DEVICE_COOKIE,
        _device_serializer().dumps(payload),
        max_age=int(DEVICE_LIFETIME.total_seconds()),
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
        path="/staff",
    )


def claim_try(engine: Engine, key: str) -> timedelta | None:
    """Count a try under KEY, as failed until `forget_failures` says otherwise.

    None when the try may go ahead; otherwise how long to wait, and nothing is counted.
    Counted in a transaction of its own, so a try counts even if the request then fails;
    two tries at once cannot both take the same turn.
    """
    now = utcnow()
    table = SignInFailures.__table__
    with engine.begin() as connection:
        row = connection.execute(
            select(table.c.failures, table.c.next_try_at).where(table.c.key == key)
        ).first()
        if row is None:
            counted = connection.execute(
                INSERTS[engine.dialect.name](table)
                .values(key=key, failures=1, next_try_at=now + delay_after(1))
                .on_conflict_do_nothing()
            ).rowcount
            return None if counted else FIRST_DELAY
        if row.next_try_at > now:
            return row.next_try_at - now
        counted = connection.execute(
            update(table)
            .where(table.c.key == key, table.c.failures == row.failures)
            .values(failures=row.failures + 1, next_try_at=now + delay_after(row.failures + 1))
        ).rowcount
    return None if counted else max(delay_after(row.failures + 1), FIRST_DELAY)


def forget_failures(engine: Engine, key: str) -> None:
    """The try under KEY succeeded: start counting afresh."""
    with engine.begin() as connection:
        connection.execute(delete(SignInFailures).where(SignInFailures.key == key))


def forget_old_failures(engine: Engine, now: datetime | None = None) -> int:
    """Delete counts whose wait ended more than KEPT_FOR ago; how many went."""
    cutoff = (now or utcnow()) - KEPT_FOR
    with engine.begin() as connection:
        result = connection.execute(
            delete(SignInFailures).where(SignInFailures.next_try_at < cutoff)
        )
    return result.rowcount


def _keyed_hash(text: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="staff-device")
