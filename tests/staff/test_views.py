"""Staff accounts: created by command, password set by one-time link, signing in and out."""

import re

import pyotp
import pytest
from sqlalchemy import select

from app.models import User
from tests.pages import csrf_token, error_summary, parse

PASSWORD = "correct horse battery staple"


def create(runner, email="officer@herefordshire.gov.uk", role="officer") -> str:
    result = runner.invoke(args=["users", "create", email, "--role", role])
    assert result.exit_code == 0, result.output
    return re.search(r"/staff/set-password/(\S+)", result.output).group(1)


def set_password(client, token, password=PASSWORD, confirm=None):
    url = f"/staff/set-password/{token}"
    return client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "password": password,
            "confirm": confirm or password,
        },
    )


def sign_in(client, email="officer@herefordshire.gov.uk", password=PASSWORD):
    return client.post(
        "/staff/sign-in",
        data={
            "csrf_token": csrf_token(client, "/staff/sign-in"),
            "email": email,
            "password": password,
        },
    )


def set_up_two_factor(client) -> tuple[str, list[str]]:
    """Set up an authenticator app as a person would: read the key the set-up page writes
    out, type the code it gives. The key, and the recovery codes shown."""
    url = "/staff/two-factor/set-up"
    page = parse(client.get(url))
    secret = "".join(page.select_one("[data-secret]").get_text().split())
    done = client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "code": pyotp.TOTP(secret).now()},
    )
    assert done.status_code == 200, "set-up failed"
    codes = [item.get_text(strip=True) for item in parse(done).select("[data-recovery-codes] li")]
    return secret, codes


def test_users_create_stores_an_argon2_hash_only_after_the_link_is_used(runner, client, db):
    token = create(runner, "Officer@Herefordshire.gov.uk")
    user = db.scalar(select(User))
    assert (user.email, user.role, user.password_hash) == (
        "officer@herefordshire.gov.uk",
        "officer",
        None,
    )
    db.commit()

    response = set_password(client, token)

    assert response.status_code == 302
    db.expire_all()
    assert db.scalar(select(User)).password_hash.startswith("$argon2id$")


def test_the_link_works_once(runner, client):
    token = create(runner)
    set_password(client, token)
    again = client.get(f"/staff/set-password/{token}")
    assert again.status_code == 410
    assert "This link has expired" in parse(again).h1.text


@pytest.mark.parametrize(
    ("role", "first_stop", "role_name"),
    [
        ("officer", "/staff/two-factor/set-up", "Officer"),
        ("forum", "/staff", "Parent carer forum"),
        ("safeguarding", "/staff/two-factor/set-up", "Safeguarding lead"),
    ],
)
def test_each_role_signs_in_sees_the_workspace_and_signs_out(
    runner, client, role, first_stop, role_name
):
    set_password(client, create(runner, f"{role}@example.org", role))
    assert sign_in(client, f"{role}@example.org").headers["Location"] == first_stop
    if first_stop != "/staff":
        set_up_two_factor(client)
    page = client.get("/staff")
    assert page.status_code == 200
    account = parse(page).select_one("header .app-account")
    assert account.select_one(".app-account__email").text == f"{role}@example.org"
    assert account.select_one(".app-account__role").text == f"({role_name})"

    client.post("/staff/sign-out", data={"csrf_token": csrf_token(client, "/staff")})
    assert client.get("/staff").status_code == 302


def test_anyone_not_signed_in_is_sent_to_sign_in(client):
    response = client.get("/staff")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/sign-in?next=")


def test_a_wrong_password_or_unknown_email_is_refused_with_the_same_message(runner, client):
    set_password(client, create(runner))
    for email, password in [
        ("officer@herefordshire.gov.uk", "wrong password!"),
        ("nobody@x.org", PASSWORD),
    ]:
        response = sign_in(client, email, password)
        assert response.status_code == 200
        assert error_summary(response) == ["Enter a correct email address and password"]
    assert client.get("/staff").status_code == 302


def test_sign_in_goes_back_only_to_pages_of_this_site(runner, client):
    # The forum role: signed in by the password alone, unless they choose a second step.
    set_password(client, create(runner, "forum@herefordshire.gov.uk", "forum"))
    response = client.post(
        "/staff/sign-in?next=//evil.example/",
        data={
            "csrf_token": csrf_token(client, "/staff/sign-in"),
            "email": "forum@herefordshire.gov.uk",
            "password": PASSWORD,
        },
    )
    assert response.headers["Location"] == "/staff"


def test_short_or_mismatched_passwords_are_refused(runner, client):
    token = create(runner)
    assert error_summary(set_password(client, token, "short")) == [
        "Password must be 12 characters or more"
    ]
    assert error_summary(set_password(client, token, PASSWORD, "something else entirely")) == [
        "The passwords do not match"
    ]


def test_forms_without_a_csrf_token_are_refused(runner, client):
    set_password(client, create(runner))
    response = client.post(
        "/staff/sign-in", data={"email": "officer@herefordshire.gov.uk", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert client.get("/staff").status_code == 302


def test_users_create_refuses_a_duplicate_or_a_bad_role(runner):
    create(runner)
    again = runner.invoke(
        args=["users", "create", "officer@herefordshire.gov.uk", "--role", "officer"]
    )
    assert again.exit_code == 1
    assert (
        again.output.strip()
        == "Error: there is already an account for officer@herefordshire.gov.uk"
    )
    bad = runner.invoke(args=["users", "create", "x@y.org", "--role", "admin"])
    assert bad.exit_code != 0
    assert "admin" in bad.output
