"""Changing a survey's words in the browser: its title and introductions, and each
question's wording, hint, easy-read words and option labels. (Its dates are its settings;
anything bigger, such as a new question, is a change to its YAML file.)

The new words are written into the survey's YAML in place, keeping its comments and
layout. The result is read by the loader `flask surveys load` uses and stored the same way:
a new version, with answers keeping the version they answered. The file is then written
back to SURVEYS_DIR, so that the next `surveys load` (`make run` does one) finds the file
as the database has it instead of quietly undoing the change.
"""

import json
import os
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

import yaml
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session

from app.audit import record
from app.db import get_session
from app.models import Role, SurveyVersion, User
from app.staff.access import role_required
from app.staff.forms import wording_form
from app.staff.surveys import survey_or_404
from app.staff.views import blueprint
from app.surveys.files import SurveyFile, SurveyFileError, read_survey_file
from app.surveys.schema import DEFAULT_LANGUAGE, SurveyDefinition
from app.surveys.schema import Path as YamlPath
from app.surveys.versions import checksum, definition_of, store_surveys

# Folded YAML lines are wrapped here, as the shipped files are.
YAML_WIDTH = 88


@dataclass(frozen=True)
class Wording:
    """One piece of a survey's text the officer may change."""

    name: str  # its field in the form
    path: YamlPath  # where it is in the YAML (English, where the text is translated)
    label: str
    words: str
    long: bool


class WordingError(Exception):
    """The change cannot be made; PROBLEMS are (field name or None, message)."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        self.problems = problems
        super().__init__("; ".join(message for _name, message in problems))


@blueprint.route("/surveys/<survey_id>/wording", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def survey_wording(survey_id: str):
    db = get_session()
    _survey, version = survey_or_404(db, survey_id)
    definition = definition_of(version)
    texts = wordings(definition)
    form = wording_form([(t.name, t.label, t.words, t.long) for t in texts])
    if form.validate_on_submit():
        try:
            words = {t.name: form[t.name].data for t in texts}
            number = save_wording(db, current_user, version, texts, words)
        except WordingError as error:
            db.rollback()
            for name, message in error.problems:
                form[name or texts[0].name].errors.append(message)
        else:
            db.commit()
            flash(
                _("The wording is saved as version %(number)s.", number=number)
                if number
                else _("Nothing was changed.")
            )
            return redirect(url_for("staff.survey", survey_id=survey_id))
    return render_template(
        "staff/survey_wording.html",
        title=_("Change the wording"),
        survey_title=texts[0].words,
        survey_id=survey_id,
        groups=grouped(texts),
        form=form,
        back_url=url_for("staff.survey", survey_id=survey_id),
    )


def wordings(definition: SurveyDefinition) -> list[Wording]:
    """Every piece of text of DEFINITION that the officer may change, in the survey's order."""

    def wording(name: str, path: YamlPath, label: str, text, long: bool = False) -> Wording:
        if isinstance(text, dict):  # translated: the English is changed here
            return Wording(name, (*path, DEFAULT_LANGUAGE), label, text[DEFAULT_LANGUAGE], long)
        return Wording(name, path, label, text, long)

    texts = [
        wording("title", ("title",), "Survey title", definition.title),
        wording("intro", ("intro",), "Introduction", definition.intro, long=True),
        wording("easy_read", ("easy_read",), "Easy-read introduction", definition.easy_read, True),
    ]
    number = 0
    for p, page in enumerate(definition.pages):
        for q, question in enumerate(page.questions):
            number += 1
            path = ("pages", p, "questions", q)
            texts.append(
                wording(
                    f"q{number}", (*path, "text"), f"Wording of question {number}", question.text
                )
            )
            if question.hint is not None:
                texts.append(
                    wording(
                        f"q{number}-hint",
                        (*path, "hint"),
                        f"Hint of question {number}",
                        question.hint,
                    )
                )
            if question.easy_read is not None:
                texts.append(
                    wording(
                        f"q{number}-easy-read",
                        (*path, "easy_read"),
                        f"Easy-read words of question {number}",
                        question.easy_read,
                    )
                )
            for o, option in enumerate(question.options or ()):
                texts.append(
                    wording(
                        f"q{number}-option-{o + 1}",
                        (*path, "options", o, "label"),
                        f"Label of option {o + 1} of question {number} ({option.id})",
                        option.label,
                    )
                )
    return texts


def grouped(texts: list[Wording]) -> list[tuple[str, list[Wording]]]:
    """The texts by what they belong to: the survey, then each question."""
    groups: dict[str, list[Wording]] = {}
    for text in texts:
        question = text.name.split("-")[0]
        heading = f"Question {question[1:]}" if question.startswith("q") else "The survey"
        groups.setdefault(heading, []).append(text)
    return list(groups.items())


def save_wording(
    session: Session, user: User, version: SurveyVersion, texts: list[Wording], new: dict[str, str]
) -> int | None:
    """USER's NEW words stored as a new version of the survey, and its file written; returns the
    new version's number, or None when no words changed. Raises WordingError, having
    changed nothing, if the survey would not load. Does not commit."""
    changes = {
        text.path: (text.name, words)
        for text in texts
        if (words := _normalised(new[text.name])) != text.words
    }
    if not changes:
        return None
    path = Path(current_app.config["SURVEYS_DIR"]) / f"{version.survey_id}.yaml"
    text = rewrite(source_text(path, version), {p: words for p, (_n, words) in changes.items()})
    definition = _checked(text, version.survey_id, changes)
    [result] = store_surveys(session, [SurveyFile(version.survey_id, path, definition)])
    try:
        write_survey_file(path, text)
    except OSError as error:
        raise WordingError(
            [(None, f"The survey file {path.name} could not be written ({error.strerror}).")]
        ) from None
    record(session, user, "survey.wording", f"survey:{version.survey_id}", version=result.version)
    return result.version


def source_text(path: Path, version: SurveyVersion) -> str:
    """The YAML to change: the survey's file, if it is the version in the database; else
    the stored definition written out as YAML, when there is no file."""
    if not path.exists():
        return yaml.safe_dump(
            version.definition, sort_keys=False, allow_unicode=True, width=YAML_WIDTH
        )
    try:
        current = read_survey_file(path)
    except SurveyFileError:
        current = None
    if current is None or checksum(current.definition) != version.checksum:
        raise WordingError(
            [
                (
                    None,
                    f"The file {path.name} has changes that are not loaded yet. Load it with "
                    "“flask surveys load” (or undo them) before changing the wording here.",
                )
            ]
        )
    return path.read_text(encoding="utf-8")


def rewrite(text: str, changes: dict[YamlPath, str]) -> str:
    """TEXT with the words at each path of CHANGES replaced, and nothing else touched."""
    nodes = dict(_scalars(yaml.compose(text, Loader=yaml.SafeLoader), ()))
    for path in sorted(changes, key=lambda p: nodes[p].start_mark.index, reverse=True):
        node = nodes[path]
        start, end = node.start_mark.index, node.end_mark.index
        text = text[:start] + _scalar(changes[path], node, text[start:end]) + text[end:]
    return text


def _scalars(node: yaml.Node, path: YamlPath):
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(value, (*path, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            yield from _scalars(value, (*path, index))
    else:
        yield path, node


def _scalar(words: str, node: yaml.ScalarNode, old: str) -> str:
    """WORDS as YAML in the place of OLD: a long folded text stays folded; anything else
    is written quoted, which YAML reads back exactly."""
    if node.style not in (">", "|"):
        return json.dumps(words, ensure_ascii=False)
    trailing = old[len(old.rstrip("\n")) :]
    content = [line for line in old.split("\n")[1:] if line.strip()]
    plain = " ".join(words.split()) == words
    if node.style == ">" and plain and content:
        indent = " " * (len(content[0]) - len(content[0].lstrip(" ")))
        lines = textwrap.wrap(words, YAML_WIDTH - len(indent), break_on_hyphens=False)
        return ">-\n" + "\n".join(indent + line for line in lines) + trailing
    return json.dumps(words, ensure_ascii=False) + trailing


def _checked(
    text: str, survey_id: str, changes: dict[YamlPath, tuple[str, str]]
) -> SurveyDefinition:
    """The definition in TEXT, read as `surveys load` reads a file, or WordingError with
    each problem on the field whose words it is about."""
    with tempfile.TemporaryDirectory() as folder:
        candidate = Path(folder) / f"{survey_id}.yaml"
        candidate.write_text(text, encoding="utf-8")
        try:
            return read_survey_file(candidate).definition
        except SurveyFileError as error:
            nodes = dict(_scalars(yaml.compose(text, Loader=yaml.SafeLoader), ()))
            fields = {nodes[p].start_mark.line + 1: name for p, (name, _w) in changes.items()}
            raise WordingError(
                [(fields.get(problem.line), problem.message) for problem in error.problems]
            ) from None


def write_survey_file(path: Path, text: str) -> None:
    """Replace the file whole, so a reader never sees half of it."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _normalised(words: str) -> str:
    # Browsers send line breaks as CRLF; the loader strips the ends of every text.
    return words.replace("\r\n", "\n").strip()
