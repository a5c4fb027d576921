"""Staff sessions live on the server: a copied cookie dies when its owner signs out, has a
new password or role, or is disabled; sessions end after an idle hour and after 12 hours
whatever happens; and the cookie is not re-issued on every request."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.models import StaffSession, User
from app.staff.accounts import issue_token
from app.staff.sessions import Ended, end_sessions
from tests.factories import load_shipped_surveys, sign_in, sign_in_as
from tests.pages import csrf_token, parse
from tests.staff.test_views import set_password

PROTECTED = ("/staff/responses", "/staff/responses/export?format=csv")


def copy_of(app, client, **environ):
    """A second browser holding a copy of CLIENT's session cookie, as a thief would."""
    thief = app.test_client()
    if environ:
        thief.environ_base.update(environ)
    cookie = client.get_cookie("session")
    thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    return thief


def sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/staff/sign-in")


def sign_out(client):
    return client.post("/staff/sign-out", data={"csrf_token": csrf_token(client, "/staff")})


@pytest.fixture
def officer(app, client, db):
    load_shipped_surveys(db)
    return sign_in_as(client, db, "officer")


def test_a_copied_cookie_stops_working_everywhere_when_its_owner_signs_out(app, client, officer):
    thief = copy_of(app, client)
    assert [thief.get(url).status_code for url in PROTECTED] == [200, 200]

    assert sent_to_sign_in(sign_out(client))

    for url in PROTECTED:
        assert sent_to_sign_in(thief.get(url)), url
    # Signed out for good: the copy does not come back to life on a later request.
    assert sent_to_sign_in(thief.get("/staff/responses"))


def test_a_copied_cookie_used_from_another_address_and_browser_is_refused(app, client, officer):
    thief = copy_of(app, client, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Thief/1.0")
    for url in PROTECTED:
        assert sent_to_sign_in(thief.get(url)), url
    assert client.get("/staff/responses").status_code == 200


def test_a_copied_cookie_with_the_owners_address_in_a_forwarded_header_is_refused(
    app, client, officer
):
    # Same browser name, another connection: the header anyone can send changes nothing.
    owner = client.environ_base.get("REMOTE_ADDR", "127.0.0.1")
    thief = copy_of(app, client, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=owner)
    for url in PROTECTED:
        assert sent_to_sign_in(thief.get(url)), url


def test_a_new_ipv6_address_in_the_same_64_keeps_the_session(app, db):
    load_shipped_surveys(db)
    laptop = app.test_client()
    laptop.environ_base["REMOTE_ADDR"] = "2001:db8:5:6::10"
    sign_in_as(laptop, db, "officer")
    laptop.environ_base["REMOTE_ADDR"] = "2001:db8:5:6:a1b2:c3d4:e5f6:1"
    assert laptop.get("/staff/responses").status_code == 200
    laptop.environ_base["REMOTE_ADDR"] = "2001:db8:5:7::10"
    assert sent_to_sign_in(laptop.get("/staff/responses"))


def test_ending_a_users_sessions_ends_every_copy_and_only_theirs(app, client, db):
    officer = sign_in_as(client, db, "officer")
    copy = copy_of(app, client)
    forum = app.test_client()
    sign_in_as(forum, db, "forum")

    assert end_sessions(db, officer, Ended.DISABLED) == 1
    db.commit()

    assert sent_to_sign_in(client.get("/staff"))
    assert sent_to_sign_in(copy.get("/staff"))
    assert forum.get("/staff").status_code == 200


def test_a_new_password_ends_the_sessions_of_the_old_one(app, client, db):
    officer = sign_in_as(client, db, "officer")
    token = issue_token(db, officer)
    db.commit()
    assert client.get("/staff").status_code == 200
    set_password(app.test_client(), token, "a brand new long password")
    assert sent_to_sign_in(client.get("/staff"))


def test_any_reason_may_end_sessions(client, db):
    officer = sign_in_as(client, db, "officer")
    end_sessions(db, officer, "second factor changed")
    db.commit()
    assert sent_to_sign_in(client.get("/staff"))


def test_signing_in_again_starts_a_fresh_session_and_the_old_cookie_stays_dead(
    app, client, db, officer
):
    old = copy_of(app, client)
    sign_out(client)
    assert sign_in(client, db, officer).headers["Location"] == "/staff"
    assert client.get("/staff").status_code == 200
    assert sent_to_sign_in(old.get("/staff"))


def test_a_session_cookie_without_its_server_side_session_is_refused(app, client, db, officer):
    with client.session_transaction() as session:
        session["staff_session"] = "made-up"
    assert sent_to_sign_in(client.get("/staff"))
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_the_session_ends_after_its_lifetime_however_busy(app, client, db, clock):
    sign_in_as(client, db, "officer")
    lifetime = app.config["STAFF_SESSION_LIFETIME"]
    assert lifetime == timedelta(hours=12)
    for _ in range(int(lifetime / timedelta(minutes=30))):
        clock.advance(minutes=30)
        assert client.get("/staff").status_code == 200
    clock.advance(minutes=1)
    response = client.get("/staff")
    assert sent_to_sign_in(response)
    banner = parse(client.get(response.headers["Location"])).select_one(
        ".govuk-notification-banner"
    )
    assert "signed in for a long time" in banner.text


def test_staff_left_idle_are_signed_out(app, client, db, clock):
    sign_in_as(client, db, "officer")
    assert client.get("/staff").status_code == 200
    clock.advance(seconds=(app.config["STAFF_IDLE_TIMEOUT"] + timedelta(minutes=1)).total_seconds())
    response = client.get("/staff")
    assert sent_to_sign_in(response)
    banner = parse(client.get(response.headers["Location"])).select_one(
        ".govuk-notification-banner"
    )
    assert "had not used the workspace for a while" in banner.text


def test_staff_who_keep_working_stay_signed_in(app, client, db, clock):
    sign_in_as(client, db, "officer")
    for _ in range(3):
        clock.advance(
            seconds=(app.config["STAFF_IDLE_TIMEOUT"] - timedelta(minutes=2)).total_seconds()
        )
        assert client.get("/staff").status_code == 200


def test_the_cookie_is_not_reissued_on_every_request(client, officer):
    client.get("/staff")  # the first page after signing in makes its form token
    for url in ("/staff", *PROTECTED):
        response = client.get(url)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, url


def test_only_a_hash_of_the_session_id_is_stored(client, db, officer):
    cookie_id = None
    with client.session_transaction() as session:
        cookie_id = session["staff_session"]
    stored = db.scalars(select(StaffSession.token_hash)).all()
    assert len(stored) == 1 and cookie_id not in stored[0] and len(stored[0]) == 64
    assert db.scalar(select(User)).id == officer.id
