"""Security headers in production, and where signing in may send someone next (staff
sessions: tests/staff/test_sessions.py)."""

from urllib.parse import unquote

import pytest

from app import create_app
from app.config import ProductionConfig
from app.security import local_url
from tests.factories import PASSWORD, make_user, unused_code
from tests.pages import csrf_token


def test_production_sends_hsts(monkeypatch, tmp_path):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 64)
    monkeypatch.setattr(ProductionConfig, "DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    response = create_app(ProductionConfig).test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_development_and_tests_do_not_send_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


# Each of these, as it appears in the address after ?next=, reaches another site (or runs
# a script) in some browser once it strips what browsers strip; none may be where signing
# in sends anyone. The second is the one that worked against production.
BYPASSES = [
    "//evil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d%0a/evil.example",
    "%09//evil.example",
    "%20//evil.example",
    "/%5Cevil.example",
    "%5C/evil.example",
    "%5C%5Cevil.example",
    "/%5C/evil.example",
    "///evil.example",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "%252F%252Fevil.example",
    "https://evil.example",
    "https:evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,%3Cscript%3Ealert(1)%3C/script%3E",
    "evil.example",
    "/%00/evil.example",
    "/%7F/evil.example",
    "/staff%0d%0aSet-Cookie:%20stolen=1",
    "",
]


def sign_in_with_next(client, db, raw_next: str):
    """Sign in from a link carrying NEXT, both steps: where the browser is sent at the end."""
    user = make_user(db)
    response = client.post(
        f"/staff/sign-in?next={raw_next}",
        data={
            "csrf_token": csrf_token(client, "/staff/sign-in"),
            "email": user.email,
            "password": PASSWORD,
        },
    )
    if response.status_code == 400:  # a NUL in the address is refused before sign-in
        return response
    assert response.headers["Location"] == "/staff/two-factor"
    return client.post(
        "/staff/two-factor",
        data={
            "csrf_token": csrf_token(client, "/staff/two-factor"),
            "code": unused_code(db, user),
        },
    )


@pytest.mark.parametrize("raw_next", BYPASSES)
def test_sign_in_never_sends_anyone_to_another_site(client, db, raw_next):
    response = sign_in_with_next(client, db, raw_next)
    if "%00" in raw_next:
        assert response.status_code == 400 and "Location" not in response.headers
    else:
        assert response.status_code == 302
        assert response.headers["Location"] == "/staff"


@pytest.mark.parametrize(
    "raw_next", ["/staff/responses?survey=children%26page=2", "/staff/team", "/staff/exports"]
)
def test_sign_in_goes_back_to_the_page_asked_for(client, db, raw_next):
    response = sign_in_with_next(client, db, raw_next)
    assert response.headers["Location"] == unquote(raw_next)


@pytest.mark.parametrize("raw_next", BYPASSES)
def test_local_url_refuses_every_bypass(raw_next):
    assert local_url(unquote(raw_next)) is None
