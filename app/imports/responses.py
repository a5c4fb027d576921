"""Importing responses gathered elsewhere (paper, events, another tool) from CSV, or
from the officer's own CSV or XLSX download.

Every row is checked before anything is stored; one bad cell rejects the file. A row
with a `response_id` (every download has one) is that response, and is skipped if it is
already stored. Any other row gets a fingerprint of its content and of how many
identical rows came before it in the file, so importing the same file again adds
nothing, while two children who happened to give identical answers on paper are still
counted twice.
"""

import hashlib
import json
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.periods import possible_dates
from app.imports.csvfile import CsvRow, ImportProblem, ImportRejected, read_table
from app.models import Channel, ErasedImport, Response, SurveyVersion
from app.responses import store_response
from app.surveys.answers import AnswerProblem, check_answers
from app.surveys.schema import SurveyDefinition
from app.surveys.versions import definition_of, latest_version

LONDON = ZoneInfo("Europe/London")
FIXED_COLUMNS = ("survey", "submitted_at", "channel")
# Optional: the response's stable public id, as exports carry it. A row with one is
# skipped if that response is already stored, so an export imported again adds nothing.
ID_COLUMN = "response_id"
KNOWN_COLUMNS = (*FIXED_COLUMNS, ID_COLUMN)
MULTIPLE_SEPARATOR = ";"
EXAMPLE_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"


@dataclass(frozen=True)
class ImportSummary:
    added: Counter[str]
    already_imported: int

    def __str__(self) -> str:
        total = sum(self.added.values())
        by_survey = ", ".join(f"{survey}: {count}" for survey, count in sorted(self.added.items()))
        line = f"Imported {total} response{'s' if total != 1 else ''}"
        line += f" ({by_survey})" if by_survey else ""
        if self.already_imported:
            line += f"; {self.already_imported} row(s) were imported before and were skipped"
        return line + "."


def import_responses(
    session: Session,
    path: Path,
    progress: Callable[[Iterable[CsvRow]], Iterable[CsvRow]] = lambda rows: rows,
) -> ImportSummary:
    """Check every row of PATH and store them all, or raise ImportRejected and store none.

    Does not commit: the caller commits once.
    """
    header, rows = read_table(path)
    missing = [name for name in ("survey", "submitted_at") if name not in header]
    if missing:
        raise ImportRejected(
            [ImportProblem(1, name, "this column is required") for name in missing]
        )

    versions = _survey_versions(session, {row.cells["survey"] for row in rows})
    problems = _unknown_columns(header, versions)
    parsed: list[dict[str, Any]] = []
    id_rows: dict[str, int] = {}
    for row in progress(rows):
        values, row_problems = _parse_row(row, versions)
        problems.extend(row_problems)
        public_id = (values or {}).get("public_id")
        if public_id in id_rows:
            problems.append(
                ImportProblem(row.number, ID_COLUMN, f"repeats the id of row {id_rows[public_id]}")
            )
        elif values is not None:
            parsed.append(values)
            if public_id:
                id_rows[public_id] = row.number
    if problems:
        raise ImportRejected(problems)

    _fingerprint([values for values in parsed if "public_id" not in values])
    keys = [v.get("import_key") for v in parsed] + [v.get("public_id") for v in parsed]
    known = _known(session, Response.import_key, keys) | _known(session, Response.public_id, keys)
    # A response erased on request stays known, so importing it again cannot bring it back.
    known |= _known(session, ErasedImport.import_key, keys)
    new = [
        values
        for values in parsed
        if values.get("import_key", values.get("public_id")) not in known
    ]
    for values in new:
        store_response(session, **values)
    return ImportSummary(
        Counter(values["version"].survey_id for values in new), len(parsed) - len(new)
    )


def _survey_versions(session: Session, ids: set[str]) -> dict[str, SurveyVersion]:
    found = {}
    for survey_id in ids:
        version = latest_version(session, survey_id) if survey_id else None
        if version is not None:
            found[survey_id] = version
    return found


def _unknown_columns(header: list[str], versions: dict[str, SurveyVersion]) -> list[ImportProblem]:
    questions = {q.id for v in versions.values() for q in definition_of(v).questions()}
    return [
        ImportProblem(1, name, "is not a question of any survey in this file")
        for name in header
        if name not in KNOWN_COLUMNS and name not in questions
    ]


def _parse_row(
    row: CsvRow, versions: dict[str, SurveyVersion]
) -> tuple[dict[str, Any] | None, list[ImportProblem]]:
    cells = row.cells
    problems: list[ImportProblem] = []
    version = versions.get(cells["survey"])
    if version is None:
        known = ", ".join(sorted(versions)) or "none loaded"
        message = "is empty" if not cells["survey"] else f"'{cells['survey']}' is not a survey"
        problems.append(ImportProblem(row.number, "survey", f"{message} (surveys: {known})"))
    submitted_at = parse_submitted_at(cells["submitted_at"])
    if submitted_at is None:
        problems.append(
            ImportProblem(
                row.number,
                "submitted_at",
                f"'{cells['submitted_at']}' is not a date like 2025-10-31 or 2025-10-31T14:05",
            )
        )
    elif reason := impossible_date(submitted_at):
        problems.append(
            ImportProblem(row.number, "submitted_at", f"'{cells['submitted_at']}' is {reason}")
        )
    public_id = _public_id(cells.get(ID_COLUMN, ""))
    if public_id is None:
        problems.append(
            ImportProblem(
                row.number,
                ID_COLUMN,
                f"'{cells[ID_COLUMN]}' is not a response id like {EXAMPLE_ID} (or leave it empty)",
            )
        )
    channel = cells.get("channel") or Channel.OTHER.value
    if channel not in Channel.__members__.values():
        problems.append(
            ImportProblem(row.number, "channel", f"'{channel}' is not one of: {', '.join(Channel)}")
        )
    if version is None:
        return None, problems

    definition = definition_of(version)
    answers, answer_problems = _answers(cells, definition)
    problems.extend(ImportProblem(row.number, p.question, p.message) for p in answer_problems)
    if problems:
        return None, problems
    values = {
        "version": version,
        "submitted_at": submitted_at,
        "channel": channel,
        "answers": answers,
    }
    return {**values, "public_id": public_id} if public_id else values, []


def _public_id(text: str) -> str | None:
    """The id as stored (lower case, with hyphens); "" for none given, None if it is no
    UUID."""
    if not text:
        return ""
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


def _answers(
    cells: dict[str, str], definition: SurveyDefinition
) -> tuple[dict[str, Any], list[AnswerProblem]]:
    asked = {question.id: question for question in definition.questions()}
    raw: dict[str, Any] = {}
    for name, cell in cells.items():
        if name in KNOWN_COLUMNS or not cell:
            continue
        question = asked.get(name)
        if question is not None and question.type == "multiple_choice":
            raw[name] = [part.strip() for part in cell.split(MULTIPLE_SEPARATOR) if part.strip()]
        else:
            raw[name] = cell
    return raw, check_answers(definition, raw)


def parse_submitted_at(value: str) -> datetime | None:
    """An ISO 8601 date or date-time; without a zone it is Europe/London local time."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if len(value) == 10:  # a bare date: midday, so no zone change moves it to another day
        moment = datetime.combine(date.fromisoformat(value), time(12))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    return moment


def impossible_date(moment: datetime) -> str | None:
    """Why no response can have been given at MOMENT ("before 1 January 2000", "after
    tomorrow, ..."), or None when it can: see `analysis.periods.possible_dates`."""
    first, last = possible_dates()
    try:
        day = moment.astimezone(LONDON).date()
    except OverflowError:  # 0001-01-01T00:00+01:00 is in year 0 in London
        day = moment.date()
    if day < first:
        return f"before {first:%-d %B %Y}"
    if day > last:
        return f"after tomorrow ({last:%-d %B %Y})"
    return None


def _fingerprint(rows: list[dict[str, Any]]) -> None:
    seen: Counter[str] = Counter()
    for values in rows:
        content = json.dumps(
            [
                values["version"].survey_id,
                values["submitted_at"].isoformat(),
                values["channel"],
                values["answers"],
            ],
            sort_keys=True,
            ensure_ascii=False,
        )
        digest = hashlib.sha256(content.encode()).hexdigest()[:40]
        values["import_key"] = f"csv:{digest}:{seen[digest]}"
        seen[digest] += 1


def _known(session: Session, column, values: list[str | None]) -> set[str]:
    """Those of VALUES (None left out) that COLUMN already holds."""
    wanted = [value for value in values if value]
    known: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        known.update(session.scalars(select(column).where(column.in_(chunk))))
    return known
