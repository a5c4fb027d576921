"""A forum member is invited by email and signs in, in Chromium: the officer invites them
on the Team page, the email worker (`./manage outbox send`, as a server runs it) delivers
the invitation to a real SMTP server on loopback, and the member opens the link from the
email they received, sets a password, signs in and sees the forum's workspace.

The app has a database of its own here: the worker sends every message that is due, and
other browser tests keep messages waiting in theirs."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tests.browser.axe_check import violations
from tests.browser.live import live_app as serve_database
from tests.browser.live import serving
from tests.browser.navigation import press, sign_in
from tests.factories import make_user
from tests.outbox.mailserver import mail_server

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "heron kettle orchard lantern"


@pytest.fixture
def own_app(sqlite_template, tmp_path):
    database = tmp_path / "invite.db"
    shutil.copy(sqlite_template, database)
    app = serve_database(database)
    with serving(app) as url:
        yield app, url, database
    app.extensions["db_engine"].dispose()


def send_outbox(app, database: Path, server) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "FLASK_CONFIG": "development",
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": app.config["SECRET_KEY"],
        "MAIL_BACKEND": "smtp",
        "MAIL_FROM": "SEND engagement <engagement@herefordshire.gov.uk>",
        "SMTP_HOST": server.host,
        "SMTP_PORT": str(server.port),
        "SMTP_STARTTLS": "false",
    }
    return subprocess.run(
        ["./manage", "outbox", "send"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("width", [360, 1280])
def test_a_forum_member_is_invited_by_email_and_signs_in(browser, own_app, width, tmp_path):
    app, url, database = own_app
    email = f"forum.member.{width}@example.org"

    officer_context = browser.new_context(base_url=url, viewport={"width": width, "height": 800})
    officer = officer_context.new_page()
    officer.set_default_timeout(10_000)
    with Session(app.extensions["db_engine"], expire_on_commit=False) as db:
        user = make_user(db, "officer", "inviting.officer@example.org")
        sign_in(officer, db, user)
    officer.goto("/staff/team")
    press(officer, "Invite someone")
    officer.get_by_label("Email address").fill(email)
    officer.get_by_label("Parent carer forum: sees results").check()
    press(officer, "Create the account")
    officer_context.close()

    with mail_server() as server:
        sent = send_outbox(app, database, server)
        assert sent.returncode == 0, sent.stderr
    [message] = [m for m in server.received if m["To"] == email]
    body = message.get_body(preferencelist=("plain",)).get_content()
    [link] = re.findall(r"https?://\S+/staff/set-password/[\w-]+", body)
    assert link.startswith(url)

    member_context = browser.new_context(viewport={"width": width, "height": 800})
    member = member_context.new_page()
    member.set_default_timeout(10_000)
    member.goto(link)
    assert member.locator("h1").inner_text() == "Set your password"
    assert violations(member) == []
    member.screenshot(path=tmp_path / f"set-password-{width}.png", full_page=True)
    member.get_by_role("textbox", name="New password").fill(PASSWORD)
    member.get_by_role("textbox", name="Type the password again").fill(PASSWORD)
    press(member, "Set password")

    member.goto(f"{url}/staff/sign-in")
    member.get_by_label("Email address").fill(email)
    member.get_by_role("textbox", name="Password").fill(PASSWORD)
    press(member, "Sign in")
    assert member.url == f"{url}/staff"
    main = member.locator("main")
    assert main.get_by_role("link", name="Reports", exact=True).is_visible()
    assert main.locator("a[href='/staff/team']").count() == 0
    assert main.locator("a[href='/staff/safeguarding']").count() == 0
    member.screenshot(path=tmp_path / f"forum-workspace-{width}.png", full_page=True)
    assert violations(member) == []
    # The link worked once.
    member.goto(link)
    assert member.locator("h1").inner_text() != "Set your password"
    member_context.close()
