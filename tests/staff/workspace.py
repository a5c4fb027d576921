"""Signing in as each role, and sending the workspace's forms, for the workspace's tests."""

from tests.pages import csrf_token
from tests.staff.test_views import create, set_password, set_up_two_factor, sign_in


def sign_in_as(client, runner, role: str = "officer") -> None:
    """A new account with ROLE, its password set by its link, signed in (setting up an
    authenticator app first, for the roles that need one)."""
    email = f"{role}@example.org"
    set_password(client, create(runner, email, role))
    if sign_in(client, email).headers["Location"] == "/staff/two-factor/set-up":
        set_up_two_factor(client)


def send(client, url: str, data: dict, **kwargs):
    """POST DATA to URL as its form would, with the page's form token."""
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data}, **kwargs)
