"""The public measures take one of a few slots; when all are held, the next request is
told to come back (503 with Retry-After) at once, while respondents are served as ever.

Another worker holding a slot is played by a separate process holding its lock, as a
gunicorn worker in the middle of a measures request does.
"""

import os
import struct
import subprocess
import sys
import time

import pytest

from app import create_app
from app.config import ConfigError, TestConfig
from app.public import busy
from app.public.busy import RETRY_AFTER_SECONDS, slots_folder
from tests.factories import load_shipped_surveys, sign_in_as
from tests.pages import parse
from tests.test_measures_cli import make_small_dataset

HOLD = """
import fcntl, os, sys
descriptor = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(descriptor, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()
"""


class Holder:
    """A process holding slot NUMBER until `release()` (or until it is killed)."""

    def __init__(self, app, number: int):
        with app.app_context():
            path = slots_folder() / f"slot-{number}"
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "held"

    def release(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)
        self.process.stdout.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)
        self.process.stdin.close()
        self.process.stdout.close()


@pytest.fixture
def measured(app, db):
    load_shipped_surveys(db)
    make_small_dataset(db)
    return app


def test_with_every_slot_held_the_api_says_busy_and_a_survey_still_answers(measured, client):
    holder = Holder(measured, 0)
    try:
        api = client.get("/api/measures?period=2025/26&by=area")
        page = client.get("/measures?by=audience")
        survey = client.get("/s/children")
    finally:
        holder.release()

    assert api.status_code == 503
    assert api.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "busy" in api.get_json()["error"]
    assert page.status_code == 503
    assert page.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert parse(page).select_one("h1").get_text(strip=True) == "This page is busy"
    assert survey.status_code == 200
    assert parse(survey).select_one("form button, form input[type=submit]") is not None

    again = client.get("/api/measures?period=2025/26&by=area")
    assert again.status_code == 200
    assert "Retry-After" not in again.headers
    assert again.get_json()["measures"]


def test_a_free_slot_serves_the_request_and_the_one_after_the_last_is_refused(measured, client):
    measured.config["PUBLIC_MEASURES_AT_ONCE"] = 3
    holders = [Holder(measured, 0), Holder(measured, 2)]
    try:
        assert client.get("/api/measures").status_code == 200
        holders.append(Holder(measured, 1))
        assert client.get("/api/measures").status_code == 503
        assert client.get("/measures").status_code == 503
    finally:
        for holder in holders:
            holder.release()


def test_a_worker_that_dies_frees_its_slot(measured, client):
    holder = Holder(measured, 0)
    try:
        assert client.get("/api/measures").status_code == 503
    finally:
        holder.kill()

    assert client.get("/api/measures").status_code == 200


def test_staff_measures_are_not_limited(measured, client, db):
    """Only the public pages queue; the officer's own page is never refused as busy."""
    holder = Holder(measured, 0)
    try:
        sign_in_as(client, db)
        response = client.get("/staff/measures?by=audience")
    finally:
        holder.release()
    assert response.status_code == 200
    assert parse(response).select_one("h1").get_text(strip=True) != "This page is busy"


def test_a_slots_folder_of_someone_else_is_refused(app, tmp_path, monkeypatch):
    """Someone else's folder could hold every slot for ever: it is never used."""
    folder = tmp_path / "slots"
    folder.mkdir()
    app.config["PUBLIC_SLOTS_DIR"] = str(folder)
    with app.app_context():
        assert slots_folder() == folder
        # The folder now belongs to a user other than the one serving the app.
        monkeypatch.setattr(os, "getuid", lambda: folder.stat().st_uid + 1)
        with pytest.raises(PermissionError, match="another user"):
            slots_folder()


def test_a_new_slots_folder_is_private(app):
    with app.app_context():
        folder = slots_folder()
    assert folder.stat().st_mode & 0o777 == 0o700
    assert folder.stat().st_uid == os.getuid()


class Clock:
    """The monotonic clock app/public/busy.py reads, giving READINGS in turn."""

    def __init__(self, *readings: float):
        self.readings = list(readings)

    def monotonic(self) -> float:
        return self.readings.pop(0)


def test_after_a_request_its_slot_rests_for_the_share_then_serves_again(
    measured, client, monkeypatch
):
    """At a share of 0.5, a request that took 0.4 s leaves its slot resting 0.4 s more:
    whoever asks in that time is told to come back; after it, they are served."""
    measured.config["PUBLIC_MEASURES_SHARE"] = 0.5
    clock = Clock(
        100.0, 100.4, 100.4,  # served: started, finished, rest written (until 100.8)
        100.5,  # resting still: refused
        100.9, 100.9, 101.0, 101.0,  # rested: served
    )  # fmt: skip
    monkeypatch.setattr(busy, "time", clock)

    first = client.get("/api/measures?period=2025/26&by=area")
    during = client.get("/api/measures?period=2025/26&by=audience")
    after = client.get("/api/measures?period=2025/26&by=audience")

    assert first.status_code == 200
    assert during.status_code == 503
    assert during.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert after.status_code == 200
    assert after.get_json()["measures"]
    assert clock.readings == []


def test_a_share_of_one_never_rests(measured, client):
    measured.config["PUBLIC_MEASURES_SHARE"] = 1.0
    statuses = [client.get("/api/measures").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]


def test_a_rest_written_before_the_clock_started_again_is_ignored(measured, client):
    """After a restart the monotonic clock starts near 0: a rest written before it, far
    ahead of the new clock, must not keep the measures busy for days."""
    with measured.app_context():
        path = slots_folder() / "slot-0"
    path.write_bytes(struct.pack("d", time.monotonic() + 86_400))
    assert client.get("/api/measures").status_code == 200


@pytest.mark.parametrize("share", [0.0, -0.5, 1.5])
def test_a_share_that_is_not_a_part_of_a_core_stops_the_app_starting(share):
    config = type("Config", (TestConfig,), {"PUBLIC_MEASURES_SHARE": share})
    with pytest.raises(ConfigError, match="PUBLIC_MEASURES_SHARE"):
        create_app(config)
