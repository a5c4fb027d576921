"""Storing survey definitions as versions, and finding the version a respondent answers."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.models import Response, Survey, SurveyVersion
from app.surveys.files import SurveyFile
from app.surveys.schema import SurveyDefinition


@dataclass(frozen=True)
class LoadResult:
    survey_id: str
    outcome: str  # "added", "changed" or "unchanged"
    version: int
    answers_on_earlier_versions: int = 0

    def __str__(self) -> str:
        if self.outcome == "added":
            return f"{self.survey_id}: added (version 1)"
        if self.outcome == "unchanged":
            return f"{self.survey_id}: unchanged (version {self.version})"
        kept = (
            f"; {self.answers_on_earlier_versions} earlier answers keep the version they answered"
            if self.answers_on_earlier_versions
            else ""
        )
        return f"{self.survey_id}: changed, now version {self.version}{kept}"


def checksum(definition: SurveyDefinition) -> str:
    canonical = json.dumps(definition.canonical(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def store_surveys(session: Session, files: list[SurveyFile]) -> list[LoadResult]:
    """Add each survey, or a new version of it if its definition changed. Does not commit."""
    return [_store(session, file) for file in files]


def _store(session: Session, file: SurveyFile) -> LoadResult:
    digest = checksum(file.definition)
    latest = latest_version(session, file.id)
    if latest is not None and latest.checksum == digest:
        return LoadResult(file.id, "unchanged", latest.version)
    if latest is None and session.get(Survey, file.id) is None:
        session.add(Survey(id=file.id))
    number = 1 if latest is None else latest.version + 1
    session.add(
        SurveyVersion(
            survey_id=file.id,
            version=number,
            audience=file.definition.audience,
            checksum=digest,
            definition=file.definition.canonical(),
        )
    )
    session.flush()
    if latest is None:
        return LoadResult(file.id, "added", number)
    answered = session.scalar(
        select(func.count()).select_from(Response).where(Response.survey_id == file.id)
    )
    return LoadResult(file.id, "changed", number, answered or 0)


def latest_version(session: Session, survey_id: str) -> SurveyVersion | None:
    return session.scalar(
        select(SurveyVersion)
        .where(SurveyVersion.survey_id == survey_id)
        .order_by(SurveyVersion.version.desc())
        .limit(1)
    )


def definition_of(version: SurveyVersion) -> SurveyDefinition:
    """The parsed definition of a stored version; versions never change, so each is parsed once."""
    parsed = _parsed.get(version.checksum)
    if parsed is None:
        parsed = _parsed[version.checksum] = SurveyDefinition.model_validate(version.definition)
    return parsed


def definitions(connection: Connection, ids: Iterable[int]) -> dict[int, SurveyDefinition]:
    """The parsed definitions of the versions with these IDS, by id. A version's JSON is
    read and parsed only the first time its checksum is met (versions never change), so
    counting a send reads its version's checksum alone."""
    ids = list(ids)
    if not ids:
        return {}
    checksums = dict(
        connection.execute(
            select(SurveyVersion.id, SurveyVersion.checksum).where(SurveyVersion.id.in_(ids))
        ).all()
    )
    unread = [number for number, digest in checksums.items() if digest not in _parsed]
    if unread:
        for digest, definition in connection.execute(
            select(SurveyVersion.checksum, SurveyVersion.definition).where(
                SurveyVersion.id.in_(unread)
            )
        ):
            _parsed[digest] = SurveyDefinition.model_validate(definition)
    return {number: _parsed[digest] for number, digest in checksums.items()}


_parsed: dict[str, SurveyDefinition] = {}
