"""Test data from plain functions with keyword defaults."""

import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from app.config import Config
from app.models import Response, Role, User
from app.responses import store_response
from app.staff.accounts import create_user
from app.surveys.files import read_survey_files
from app.surveys.versions import latest_version, store_surveys


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


def make_user(session: Session, role: str = "officer", email: str | None = None) -> User:
    """A staff account with the password PASSWORD."""
    user, _token = create_user(session, email or f"{role}@herefordshire.gov.uk", Role(role))
    user.password_hash = PasswordHasher().hash(PASSWORD)
    session.commit()
    return user


def sign_in_as(client, session: Session, role: str = "officer") -> User:
    """Create a user with ROLE and sign CLIENT in as them."""
    user = make_user(session, role)
    page = client.get("/staff/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/staff/sign-in", data={"csrf_token": token, "email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302, "sign-in failed"
    return user
