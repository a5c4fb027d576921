"""Test data from plain functions with keyword defaults."""

import csv
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyotp
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Config, TestConfig
from app.models import Response, Role, TwoFactor, User
from app.responses import store_response
from app.staff import two_factor
from app.staff.accounts import create_user
from app.staff.two_factor import required_for, seal
from app.surveys.files import read_survey_files
from app.surveys.versions import latest_version, store_surveys
from tests.pages import csrf_token


def load_shipped_surveys(session: Session) -> None:
    store_surveys(session, read_survey_files(Config.SURVEYS_DIR))
    session.commit()


def make_response(
    session: Session,
    survey: str = "children",
    answers: dict[str, Any] | None = None,
    submitted_at: datetime = datetime(2025, 10, 1, 12, tzinfo=UTC),
    channel: str = "online",
) -> Response:
    """A stored response, through the same door as every answer (so it is flagged when it
    may show a child at risk)."""
    response = store_response(
        session,
        latest_version(session, survey),
        answers if answers is not None else {"cares_about_opinion": "always"},
        submitted_at=submitted_at,
        channel=channel,
    )
    session.commit()
    return response


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


PASSWORD = "correct horse battery staple"
# The authenticator app of every user make_user gives one.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def make_user(
    session: Session,
    role: str = "officer",
    email: str | None = None,
    two_factor: bool | None = None,
) -> User:
    """A staff account with the password PASSWORD and, if TWO_FACTOR (by default, for the
    roles that must have one), an authenticator app with TOTP_SECRET already set up."""
    user, _token = create_user(session, email or f"{role}@herefordshire.gov.uk", Role(role))
    user.password_hash = PasswordHasher().hash(PASSWORD)
    if two_factor if two_factor is not None else required_for(user):
        session.add(
            TwoFactor(
                user=user,
                secret=seal(TOTP_SECRET, TestConfig.SECRET_KEY),
                confirmed_at=datetime.now(UTC),
            )
        )
    session.commit()
    return user


def unused_code(session: Session, user: User, secret: str = TOTP_SECRET) -> str:
    """A code USER's app shows now, or its next one if now's was used: the server takes
    the step after this one too, for a phone whose clock is a little fast. If both are
    used (a third sign-in within one 30-second step), it waits for the next step, as a
    person would; never with a stopped clock, which the test must move on itself."""
    totp = pyotp.TOTP(secret)
    for _ in range(totp.interval + 1):
        # Read apart from SESSION, which may hold changes of its own (and, on SQLite, must
        # not keep an old snapshot open across the sign-in's write).
        with Session(session.get_bind()) as fresh:
            last_step = fresh.scalar(
                select(TwoFactor.last_step).where(TwoFactor.user_id == user.id)
            )
        now_step = totp.timecode(two_factor.utcnow())
        step = max(now_step, (last_step or 0) + 1)
        if step <= now_step + two_factor.DRIFT_STEPS:
            return totp.generate_otp(step)
        time.sleep(1)
    raise AssertionError("every code the server takes now is used: move the clock on")


def sign_in(client, session: Session, user: User, password: str = PASSWORD):
    """Sign CLIENT in as USER: the password, then a code if they have an app. The last response."""
    response = client.post(
        "/staff/sign-in",
        data={
            "csrf_token": csrf_token(client, "/staff/sign-in"),
            "email": user.email,
            "password": password,
        },
    )
    if response.headers.get("Location") == "/staff/two-factor":
        response = client.post(
            "/staff/two-factor",
            data={
                "csrf_token": csrf_token(client, "/staff/two-factor"),
                "code": unused_code(session, user),
            },
        )
    return response


def sign_in_as(client, session: Session, role: str = "officer") -> User:
    """Create a user with ROLE and sign CLIENT in as them."""
    user = make_user(session, role)
    response = sign_in(client, session, user)
    assert response.status_code == 302, "sign-in failed"
    assert response.headers["Location"] == "/staff", "sign-in failed"
    return user
