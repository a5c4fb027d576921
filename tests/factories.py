"""Test data from plain functions with keyword defaults."""

import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.config import Config
from app.models import Response
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
    version = latest_version(session, survey)
    response = Response(
        survey_id=survey,
        survey_version_id=version.id,
        audience=version.audience,
        submitted_at=submitted_at,
        channel=channel,
        answers=answers if answers is not None else {"cares_about_opinion": "always"},
    )
    session.add(response)
    session.commit()
    return response


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
