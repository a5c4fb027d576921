"""A limit on how many measures requests the public can have worked on at once.

The measures read every stored answer. A crowd refreshing them, or a script polling the
API, must never hold every gunicorn worker while children wait to answer a survey. So
each `/measures` or `/api/measures` request first takes one of PUBLIC_MEASURES_AT_ONCE
slots; with none free it is answered at once, 503 with Retry-After, and the workers stay
free for respondents (who never queue behind these pages). Staff pages are not limited.

A slot is an exclusive `flock` on a small file, so every worker (process or thread) of
every server on this machine serving the same database shares the same slots, and a
worker that dies frees its slot with it. The files live in a folder of this user's own
(mode 0700) under the system's temporary folder, one per database.

One slot busy without pause would still take a whole core from the survey pages on a
small machine. So after each request its slot rests, written in the slot's file, for as
long again as the request took times (1 / PUBLIC_MEASURES_SHARE - 1): at a share of 0.5
a slot works at most half the time, however many ask. A request finding every slot held
or resting is told to come back, as before.
"""

import fcntl
import hashlib
import os
import struct
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path

from flask import current_app, render_template, request
from flask_babel import gettext as _

# Long enough for the worker to finish what it is working on.
RETRY_AFTER_SECONDS = 5
# No rest is longer: a time further ahead in a slot's file was written before the clock
# started again (a restart of the machine) and is ignored.
LONGEST_REST_SECONDS = 30.0
# The time a slot rests until, on the system-wide monotonic clock, as its file's 8 bytes.
_UNTIL = struct.Struct("d")


def one_of_the_slots(view: Callable) -> Callable:
    """Serve VIEW only while a slot is free; otherwise say "busy" at once (503, Retry-After)."""

    @wraps(view)
    def limited(*args, **kwargs):
        with _slot() as held:
            if held:
                return view(*args, **kwargs)
        return _busy()

    return limited


@contextmanager
def _slot() -> Iterator[bool]:
    """Hold the first free slot that is not resting until the block ends, then let it rest;
    yields False when every slot is taken or resting."""
    folder = slots_folder()
    for number in range(current_app.config["PUBLIC_MEASURES_AT_ONCE"]):
        descriptor = os.open(
            folder / f"slot-{number}", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600
        )
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            continue
        try:
            if _resting(descriptor):
                continue
            started = time.monotonic()
            try:
                yield True
            finally:
                _rest(descriptor, time.monotonic() - started)
        finally:
            # Closing the file releases the lock.
            os.close(descriptor)
        return
    yield False


def _resting(descriptor: int) -> bool:
    written = os.pread(descriptor, _UNTIL.size, 0)
    if len(written) != _UNTIL.size:
        return False
    (until,) = _UNTIL.unpack(written)
    return 0 < until - time.monotonic() <= LONGEST_REST_SECONDS


def _rest(descriptor: int, worked: float) -> None:
    """Let the slot rest for as long as the share of a core allows after WORKED seconds."""
    share = current_app.config["PUBLIC_MEASURES_SHARE"]
    rest = min(worked * (1 / share - 1), LONGEST_REST_SECONDS)
    os.pwrite(descriptor, _UNTIL.pack(time.monotonic() + rest), 0)


def slots_folder() -> Path:
    """This user's folder of slots for the app's database, made on first use."""
    configured = current_app.config.get("PUBLIC_SLOTS_DIR")
    if configured:
        folder = Path(configured)
    else:
        database = hashlib.sha256(current_app.config["DATABASE_URL"].encode()).hexdigest()[:16]
        folder = Path(tempfile.gettempdir()) / f"coproduction-slots-{os.getuid()}-{database}"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Someone else's folder of that name could hold every slot and silence the measures.
    if folder.stat().st_uid != os.getuid():
        raise PermissionError(f"{folder} belongs to another user; set PUBLIC_SLOTS_DIR")
    return folder


def _busy():
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.path.startswith("/api/"):
        return {"error": "busy: try again in a few seconds"}, 503, headers
    page = render_template("public/busy.html", title=_("This page is busy"))
    return page, 503, headers
