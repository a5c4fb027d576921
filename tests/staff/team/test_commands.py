"""`flask users ...`: list, role, disable, enable, reset. Each change is audited, ends the
sessions it should, and never leaves the service without an active officer; bad input
exits non-zero with a one-line reason and changes nothing."""

import re
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent, Role, User
from app.staff.accounts import AccountError
from app.staff.team.lifecycle import change_role, find_user
from tests.factories import PASSWORD, make_user, sign_in_as
from tests.staff.test_views import set_password, sign_in

OFFICER = "officer@herefordshire.gov.uk"
FORUM = "forum@herefordshire.gov.uk"


def users(runner, *args):
    return runner.invoke(args=["users", *args])


def refused(result, reason: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.output.strip() == f"Error: {reason}"


def audit(db) -> list[tuple[str, dict]]:
    db.rollback()
    return [
        (event.action, event.detail)
        for event in db.scalars(select(AuditEvent).order_by(AuditEvent.id))
        if event.action.startswith("account.")
    ]


def account(db, email: str) -> User:
    db.rollback()
    db.expire_all()
    return db.scalar(select(User).where(User.email == email))


def test_users_list_shows_each_account_its_role_state_and_last_sign_in(runner, client, db):
    sign_in_as(client, db, "officer")
    make_user(db, "forum")
    users(runner, "disable", FORUM)
    lines = users(runner, "list").output.splitlines()
    assert [line.split("\t")[:3] for line in lines] == [
        [OFFICER, "officer", "active"],
        [FORUM, "forum", "disabled"],
    ]
    assert re.fullmatch(r"last signed in \d{4}-\d\d-\d\d \d\d:\d\d UTC", lines[0].split("\t")[3])
    assert lines[1].split("\t")[3] == "last signed in never"


def test_a_new_role_ends_the_users_sessions_and_is_audited(app, runner, db):
    make_user(db, "officer")
    forum = app.test_client()
    sign_in_as(forum, db, "forum")
    result = users(runner, "role", FORUM.upper(), "safeguarding")
    assert result.exit_code == 0, result.output
    assert account(db, FORUM).role == "safeguarding"
    assert forum.get("/staff").headers["Location"].startswith("/staff/sign-in")
    assert audit(db) == [
        (
            "account.role_changed",
            {"email": FORUM, "by": "command line", "old": "forum", "new": "safeguarding"},
        )
    ]


def test_disable_signs_out_and_stops_sign_in_enable_lets_them_back(app, runner, db, client):
    make_user(db, "officer")
    sign_in_as(client, db, "forum")
    assert users(runner, "disable", FORUM).exit_code == 0
    assert client.get("/staff").headers["Location"].startswith("/staff/sign-in")
    assert sign_in(client, FORUM).status_code == 200  # the form again, with its error
    refused(users(runner, "disable", FORUM), f"{FORUM} is already disabled")

    assert users(runner, "enable", FORUM).exit_code == 0
    assert sign_in(client, FORUM).status_code == 302
    refused(users(runner, "enable", FORUM), f"{FORUM} is already enabled")
    assert [action for action, _ in audit(db)] == ["account.disabled", "account.enabled"]


def test_reset_ends_sessions_stops_the_old_password_and_old_links(app, runner, db, client):
    make_user(db, "officer")
    sign_in_as(client, db, "forum")
    first = _link(users(runner, "reset", FORUM))
    second = _link(users(runner, "reset", FORUM))

    assert client.get("/staff").headers["Location"].startswith("/staff/sign-in")
    assert sign_in(client, FORUM, PASSWORD).status_code == 200
    assert client.get(f"/staff/set-password/{first}").status_code == 410
    set_password(client, second, "a different long password")
    assert sign_in(client, FORUM, "a different long password").status_code == 302
    assert [action for action, _ in audit(db)] == ["account.password_reset"] * 2


def test_the_last_active_officer_cannot_be_disabled_or_demoted(runner, db):
    make_user(db, "officer")
    reason = f"{OFFICER} is the only active officer and cannot be"
    refused(
        users(runner, "disable", OFFICER), f"{reason} disabled: make someone else an officer first"
    )
    refused(
        users(runner, "role", OFFICER, "forum"),
        f"{reason} demoted: make someone else an officer first",
    )

    # A disabled officer does not count.
    other = make_user(db, "officer", "second@herefordshire.gov.uk")
    assert users(runner, "disable", other.email).exit_code == 0
    assert users(runner, "role", OFFICER, "forum").exit_code == 1

    assert users(runner, "enable", other.email).exit_code == 0
    assert users(runner, "role", OFFICER, "forum").exit_code == 0
    assert account(db, OFFICER).role == "forum"
    assert audit(db)[-1][0] == "account.role_changed"


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("role", "nobody@x.org", "forum"), "there is no account for nobody@x.org"),
        (("disable", "nobody@x.org"), "there is no account for nobody@x.org"),
        (("enable", "nobody@x.org"), "there is no account for nobody@x.org"),
        (("reset", "nobody@x.org"), "there is no account for nobody@x.org"),
        (("role", OFFICER, "officer"), f"{OFFICER} already has the role officer"),
    ],
)
def test_bad_input_is_refused_in_one_line_and_changes_nothing(runner, db, args, reason):
    make_user(db, "officer")
    refused(users(runner, *args), reason)
    assert audit(db) == []


def test_an_unknown_role_is_refused(runner, db):
    make_user(db, "officer")
    result = users(runner, "role", OFFICER, "admin")
    assert result.exit_code != 0 and "admin" in result.output
    assert account(db, OFFICER).role == "officer"


def test_a_disabled_account_cannot_be_reset_until_enabled(runner, db):
    make_user(db, "officer")
    make_user(db, "forum")
    users(runner, "disable", FORUM)
    refused(users(runner, "reset", FORUM), f"{FORUM} is disabled: enable the account first")


@pytest.mark.postgres
def test_two_officers_demoting_each_other_at_once_leave_one_officer(app, backend):
    engine = app.extensions["db_engine"]
    with Session(engine) as db:
        make_user(db, "officer", "a@example.org")
        make_user(db, "officer", "b@example.org")
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def demote(email: str) -> None:
        start.wait()
        with Session(engine) as db, db.begin():
            try:
                change_role(db, None, find_user(db, email), Role.FORUM)
                outcomes[email] = "demoted"
            except AccountError:
                outcomes[email] = "refused"

    threads = [
        threading.Thread(target=demote, args=(e,)) for e in ("a@example.org", "b@example.org")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["demoted", "refused"]
    with Session(engine) as db:
        officers = db.scalars(select(User.email).where(User.role == "officer", User.active)).all()
    assert len(officers) == 1


def _link(result) -> str:
    assert result.exit_code == 0, result.output
    return re.search(r"/staff/set-password/(\S+)", result.output).group(1)
