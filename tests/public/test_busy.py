"""The public measures take one of a few slots; when all are held, the next request is
told to come back (503 with Retry-After) at once, while respondents are served as ever.

Another worker holding a slot is played by a separate process holding its lock, as a
gunicorn worker in the middle of a measures request does.
"""

import os
import subprocess
import sys

import pytest

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
