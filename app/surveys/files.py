"""Reading survey files: YAML with line numbers, validated against the schema.

A problem is reported as "FILE, line N: what is wrong", so the person editing the file can
go straight to it.
"""

import re
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any

import yaml
from pydantic import ValidationError

from app.surveys.schema import Path, SurveyDefinition, check_survey

SURVEY_ID = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
# The themes codebook for free-text answers lives beside the surveys but is not one.
NOT_SURVEYS = frozenset({"themes.yaml"})


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class SurveyFileError(Exception):
    """One or more survey files are wrong; `problems` says where and how."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class SurveyFile:
    id: str
    path: FilePath
    definition: SurveyDefinition


def read_survey_file(path: FilePath) -> SurveyFile:
    """Read and validate one survey file, or raise SurveyFileError listing every problem."""
    name = str(path)
    survey_id = path.stem
    if not SURVEY_ID.match(survey_id):
        raise SurveyFileError(
            [
                Problem(
                    name,
                    None,
                    "the file name is the survey id: use lowercase letters, digits and hyphens",
                )
            ]
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise SurveyFileError([Problem(name, None, f"not UTF-8 text ({error.reason})")]) from None
    return SurveyFile(survey_id, path, read_survey_text(text, name))


def read_survey_text(text: str, name: str) -> SurveyDefinition:
    """The definition in TEXT (a survey file's contents, called NAME in messages), checked
    by every rule a survey file is; or SurveyFileError listing every problem. The survey
    builder's saves and uploads come through here, so the browser and `surveys load`
    cannot disagree."""
    data, lines = _parse(text, name)
    try:
        definition = SurveyDefinition.model_validate(data)
    except ValidationError as error:
        raise SurveyFileError(
            [Problem(name, _line_of(e["loc"], lines), _describe(e)) for e in error.errors()]
        ) from None
    problems = [
        Problem(name, _line_of(loc, lines), message) for loc, message in check_survey(definition)
    ]
    if problems:
        raise SurveyFileError(problems)
    return definition


def read_survey_files(location: FilePath) -> list[SurveyFile]:
    """Every survey in a folder (or the one file given), all valid, or SurveyFileError for all."""
    if location.is_file():
        paths = [location]
    else:
        paths = sorted(p for p in location.glob("*.yaml") if p.name not in NOT_SURVEYS)
    if not paths:
        raise SurveyFileError([Problem(str(location), None, "no survey files (*.yaml) found")])
    surveys: list[SurveyFile] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            surveys.append(read_survey_file(path))
        except SurveyFileError as error:
            problems.extend(error.problems)
    if problems:
        raise SurveyFileError(problems)
    return surveys


class _Loader(yaml.SafeLoader):
    """YAML 1.2's booleans: only true and false. YAML 1.1 would read an option id `yes`,
    `no`, `on` or `off` as a boolean, and the author would never see why."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


# A survey is plain text, lists and fields. An alias repeats a block without writing it
# out, so a few lines could stand for billions of nodes (a "YAML bomb"); a tag asks for an
# object of some type. Neither is needed, so both are refused before anything is built.
_REFUSED_TOKENS = {
    yaml.AnchorToken: "anchors (&name) are not allowed in a survey file",
    yaml.AliasToken: "aliases (*name) are not allowed in a survey file",
    yaml.TagToken: "tags (!name) are not allowed in a survey file",
}


def _refuse_anchors_and_tags(text: str, name: str) -> None:
    for token in yaml.scan(text, Loader=_Loader):
        message = _REFUSED_TOKENS.get(type(token))
        if message:
            raise SurveyFileError([Problem(name, token.start_mark.line + 1, message)])


def _parse(text: str, name: str) -> tuple[Any, dict[Path, int]]:
    """The YAML as plain data, and the line where each path in it starts."""
    loader = _Loader(text)
    try:
        _refuse_anchors_and_tags(text, name)
        root = loader.get_single_node()
        if root is None:
            raise SurveyFileError([Problem(name, None, "the file is empty")])
        lines: dict[Path, int] = {}
        data = _build(root, (), lines, loader, name)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise SurveyFileError([Problem(name, line, f"not valid YAML: {error.problem}")]) from None
    except yaml.YAMLError as error:
        raise SurveyFileError([Problem(name, None, f"not valid YAML: {error}")]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise SurveyFileError(
            [Problem(name, 1, "a survey file must be a mapping of fields (title:, pages:, ...)")]
        )
    return data, lines


def _build(node: yaml.Node, path: Path, lines: dict[Path, int], loader, name: str) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            if key in result:
                # PyYAML would quietly keep the last one; an author would never know.
                raise SurveyFileError(
                    [
                        Problem(
                            name,
                            key_node.start_mark.line + 1,
                            f"'{key}' appears twice in the same block",
                        )
                    ]
                )
            result[key] = _build(value_node, (*path, key), lines, loader, name)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), lines, loader, name) for i, item in enumerate(node.value)]
    return loader.construct_object(node)


def _line_of(loc: tuple[Any, ...], lines: dict[Path, int]) -> int | None:
    """The line of the deepest part of LOC that is in the file (a missing field has no line)."""
    path = tuple(loc)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


def _describe(error: dict[str, Any]) -> str:
    names = [part for part in error["loc"] if isinstance(part, str)]
    field = names[-1] if names else "survey"
    kind = error["type"]
    if kind == "missing":
        return f"'{field}' is missing"
    if kind == "extra_forbidden":
        return f"unknown field '{field}' (check the spelling; see surveys/README.md)"
    if kind == "string_pattern_mismatch":
        return (
            f"{field}: '{error['input']}' is not a valid id (use lowercase letters, digits and _)"
        )
    return f"{field}: {error['msg'].removeprefix('Value error, ')}"
