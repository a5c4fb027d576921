"""Reading survey files: the shipped ones load, and every kind of mistake is named with its line."""

from pathlib import Path

import pytest

from app.config import Config
from app.surveys.files import SurveyFileError, read_survey_file, read_survey_files

SHIPPED = {
    "children": "child",
    "young-people": "young_person",
    "parent-carers": "parent_carer",
}
MEASURE_QUESTIONS = {
    "children": {
        "cares_about_opinion",
        "told_how_views_used",
        "safe_in_community",
        "belong_in_community",
        "safe_at_setting",
        "belong_at_setting",
    },
    "parent-carers": {
        "told_how_views_used",
        "coproduction_overall",
        "charter_welcome_care",
        "charter_value_include",
        "charter_communicate_respectfully",
        "charter_partnership",
    },
}
MEASURE_QUESTIONS["young-people"] = MEASURE_QUESTIONS["children"]
ABOUT_YOU = {"area", "age_band", "setting", "support", "going_well", "should_change"}

VALID = """\
audience: child
title: About you
intro: Tell us how things are.
easy_read: Tell us how things are.
pages:
  - id: first
    questions:
      - id: colour
        type: single_choice
        text: Which colour?
        options:
          - id: red
            label: Red
          - id: blue
            label: Blue
      - id: why
        type: free_text
        text: Why?
        max_length: 100
"""


def write(tmp_path: Path, text: str, name: str = "example.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("survey_id", SHIPPED)
def test_each_shipped_survey_loads_with_its_fixed_questions(survey_id):
    survey = read_survey_file(Config.SURVEYS_DIR / f"{survey_id}.yaml")
    asked = {question.id for question in survey.definition.questions()}
    assert survey.definition.audience == SHIPPED[survey_id]
    assert MEASURE_QUESTIONS[survey_id] <= asked
    assert asked >= ABOUT_YOU


def test_shipped_surveys_ask_about_you_with_the_fixed_options_and_prefer_not_to_say():
    for survey in read_survey_files(Config.SURVEYS_DIR):
        area = survey.definition.question("area")
        assert area.option_ids() == [
            "hereford",
            "leominster",
            "ross_on_wye",
            "ledbury",
            "bromyard",
            "kington",
            "golden_valley",
            "other_herefordshire",
            "outside_herefordshire",
            "prefer_not_to_say",
        ]
        for question_id in ("age_band", "setting", "support"):
            assert "prefer_not_to_say" in survey.definition.question(question_id).option_ids()


def test_a_valid_file_loads(tmp_path):
    survey = read_survey_file(write(tmp_path, VALID))
    assert survey.id == "example"
    assert [q.id for q in survey.definition.questions()] == ["colour", "why"]


def _swap(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new)


# Each malformed file, the line the message must point at, and words the message must contain.
MALFORMED = {
    "yaml syntax": ("audience: child\ntitle: [unclosed\n", 3, "not valid YAML"),
    "empty file": ("", None, "the file is empty"),
    "not a mapping": ("- just\n- a list\n", 1, "must be a mapping"),
    "missing field": (_swap("title: About you\n", ""), 1, "'title' is missing"),
    "unknown field": (_swap("intro:", "intro_text: x\nintro:"), 3, "unknown field 'intro_text'"),
    "bad audience": (_swap("audience: child", "audience: teenager"), 1, "audience"),
    "bad question type": (_swap("type: single_choice", "type: dropdown"), 9, "type"),
    "duplicate question id": (_swap("id: why", "id: colour"), 16, "'colour' is used twice"),
    "duplicate option id": (_swap("id: blue", "id: red"), 14, "option id 'red' is used twice"),
    "too few options": (
        _swap("          - id: blue\n            label: Blue\n", ""),
        8,
        "at least 2 options",
    ),
    "free text without limit": (_swap("        max_length: 100\n", ""), 16, "needs a max_length"),
    "limit too big": (_swap("max_length: 100", "max_length: 100000"), 19, "max_length"),
    "bad id": (_swap("id: colour", "id: Colour Choice"), 8, "not a valid id"),
    "duplicate key": (
        _swap("        text: Why?\n", "        text: Why?\n        text: Again\n"),
        19,
        "appears twice",
    ),
    "translation without english": (_swap("text: Which colour?", "text: {cy: Pa liw}"), 10, "'en'"),
    "empty text": (_swap("text: Why?", "text: ''"), 18, "must not be empty"),
    "show_if on later question": (
        _swap(
            "        type: single_choice\n",
            "        type: single_choice\n        show_if: {question: why, any_of: [x]}\n",
        ),
        10,
        "not a question asked earlier",
    ),
    "show_if unknown option": (
        _swap(
            "        max_length: 100\n",
            "        max_length: 100\n        show_if: {question: colour, any_of: [green]}\n",
        ),
        20,
        "green",
    ),
    "face scale without faces": (
        _swap("type: single_choice", "type: face_scale"),
        12,
        "needs a face",
    ),
    "measure question with other options": (
        _swap("id: colour", "id: cares_about_opinion"),
        12,
        "frequency scale",
    ),
}


@pytest.mark.parametrize("kind", MALFORMED)
def test_a_malformed_file_is_rejected_with_its_line_and_reason(tmp_path, kind):
    text, line, words = MALFORMED[kind]
    path = write(tmp_path, text)
    with pytest.raises(SurveyFileError) as caught:
        read_survey_file(path)
    problem = caught.value.problems[0]
    assert problem.file == str(path)
    assert words in problem.message
    assert problem.line == line
    assert str(problem).startswith(f"{path}, line {line}:" if line else f"{path}:")


def test_each_malformed_kind_gets_its_own_message(tmp_path):
    messages = set()
    for kind, (text, _line, _words) in MALFORMED.items():
        with pytest.raises(SurveyFileError) as caught:
            read_survey_file(
                write(tmp_path, text, f"{kind.replace(' ', '-').replace('_', '-')}.yaml")
            )
        messages.add(caught.value.problems[0].message)
    assert len(messages) == len(MALFORMED)


def test_a_bad_file_name_is_rejected(tmp_path):
    with pytest.raises(SurveyFileError, match="file name is the survey id"):
        read_survey_file(write(tmp_path, VALID, "Bad Name.yaml"))


def test_every_problem_in_every_file_is_listed(tmp_path):
    write(tmp_path, VALID, "good.yaml")
    write(
        tmp_path, _swap("audience: child", "audience: x").replace("free_text", "essay"), "bad.yaml"
    )
    write(tmp_path, "", "empty.yaml")
    with pytest.raises(SurveyFileError) as caught:
        read_survey_files(tmp_path)
    files = sorted({Path(problem.file).name for problem in caught.value.problems})
    assert files == ["bad.yaml", "empty.yaml"]
    assert len(caught.value.problems) == 3


def test_yes_and_no_are_option_ids_not_booleans(tmp_path):
    text = _swap("id: red", "id: yes").replace("id: blue", "id: no")
    survey = read_survey_file(write(tmp_path, text))
    assert survey.definition.question("colour").option_ids() == ["yes", "no"]


def test_the_themes_codebook_beside_the_surveys_is_not_read_as_a_survey(tmp_path):
    write(tmp_path, VALID, "one.yaml")
    write(tmp_path, "themes:\n  - id: waiting\n", "themes.yaml")
    assert [survey.id for survey in read_survey_files(tmp_path)] == ["one"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("audience: &who child\ntitle: *who\n", 1, "anchors (&name) are not allowed"),
        ("audience: child\ntitle: !!python/name:os.system\n", 2, "tags (!name) are not allowed"),
    ],
)
def test_anchors_aliases_and_tags_are_refused_before_anything_is_built(
    tmp_path, text, line, message
):
    """An alias can make a few lines stand for billions of nodes, and a tag asks for an
    object: `surveys load` and the builder's uploads refuse both, naming the line."""
    with pytest.raises(SurveyFileError) as refused:
        read_survey_file(write(tmp_path, text))
    [problem] = refused.value.problems
    assert (problem.line, message in problem.message) == (line, True)
