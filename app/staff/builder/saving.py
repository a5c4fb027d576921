"""Saving a built survey: the definition is written as YAML and read back by the survey
file loader (app/surveys/files.py), so it passes exactly the checks `flask surveys load`
makes; then it is stored as a new version and its file in SURVEYS_DIR is replaced.

Where a survey's source of truth lives: the database's newest version is what people
answer; the file in SURVEYS_DIR is kept the same as it by every save in the browser, so
that whoever keeps the files in version control has them, and the next `surveys load`
changes nothing. A file changed by hand must be loaded before the browser may change
the survey again (the wording page refuses the same way), so neither side quietly
undoes the other.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit import record
from app.models import Survey, SurveyStatus, User
from app.staff.builder.rewriting import rewritten
from app.staff.editing import YAML_WIDTH, WordingError, source_text, write_survey_file
from app.surveys.files import SurveyFile, SurveyFileError, read_survey_text
from app.surveys.schema import SurveyDefinition
from app.surveys.versions import latest_version, store_surveys


class StaleSave(Exception):
    """Someone saved the survey after this change was started from an older version."""

    def __init__(self, newest: int | None):
        self.newest = newest
        super().__init__(f"the survey is now at version {newest}")


class BuildError(Exception):
    """The survey would not load; MESSAGES say why, in the loader's words."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


@dataclass(frozen=True)
class Saved:
    version: int
    changed: bool


def as_yaml(definition: dict[str, Any]) -> str:
    """DEFINITION as the text of a survey file."""
    return yaml.safe_dump(definition, sort_keys=False, allow_unicode=True, width=YAML_WIDTH)


def checked(text: str, survey_id: str, lines: bool) -> SurveyDefinition:
    """The survey in TEXT, by the loader's rules, or BuildError with its messages (saying
    which LINES of the text, for a file the officer has; not for the builder's own)."""
    try:
        return read_survey_text(text, f"{survey_id}.yaml")
    except SurveyFileError as error:
        raise BuildError(
            [str(problem) if lines else problem.message for problem in error.problems]
        ) from None


def save(
    session: Session,
    user: User,
    survey_id: str,
    based_on: int | None,
    content: dict[str, Any] | str,
    action: str,
    lines: bool = False,
) -> Saved:
    """CONTENT stored as the newest version of SURVEY_ID and written to its file in
    SURVEYS_DIR: a survey file's text (an upload) as it is, or a definition (a change in
    the builder) laid over the file it changes, keeping the file's comments.

    BASED_ON is the version the officer's page showed (None for a new survey): if anyone
    has saved since, StaleSave, and nothing is changed. BuildError if the survey would
    not load. A new survey starts as a draft, which respondents cannot see. Does not commit.
    """
    newest = latest_version(session, survey_id)
    if based_on is None and newest is not None:
        raise BuildError(["There is already a survey with this web address. Choose another."])
    if (newest.version if newest else None) != based_on:
        raise StaleSave(newest.version if newest else None)
    path = Path(current_app.config["SURVEYS_DIR"]) / f"{survey_id}.yaml"
    previous = None
    if newest is not None:
        try:
            previous = source_text(path, newest)
        except WordingError as error:
            raise BuildError([message for _field, message in error.problems]) from None
    elif path.exists():
        raise BuildError(
            [f"The surveys folder already has a file {path.name}. Load it, or choose another name."]
        )
    if isinstance(content, str):
        text = content
    else:
        text = as_yaml(content) if previous is None else rewritten(previous, content)
    parsed = checked(text, survey_id, lines)
    try:
        [result] = store_surveys(session, [SurveyFile(survey_id, path, parsed)])
    except IntegrityError:
        # Another save made the same version number between our check and our insert;
        # the caller rolls back.
        raise StaleSave(None) from None
    if result.outcome == "unchanged":
        return Saved(result.version, False)
    if result.outcome == "added":
        session.get(Survey, survey_id).status = SurveyStatus.DRAFT.value
    write_survey_file(path, text)
    record(
        session, user, "survey.built", f"survey:{survey_id}", version=result.version, step=action
    )
    return Saved(result.version, True)
