"""Reading ages: every shipped survey reads easily enough for the people it is for, and a
harder wording is caught, text by text and as a whole."""

from pathlib import Path

import pytest

from app.config import Config
from app.surveys.files import read_survey_file
from app.surveys.readability import READING_AGE_LIMIT, hard_texts, reading_age
from app.surveys.schema import SurveyDefinition

SURVEY_FILES = sorted(Path(Config.SURVEYS_DIR).glob("*.yaml"))
SURVEY_FILES = [path for path in SURVEY_FILES if path.name != "themes.yaml"]


def survey(audience: str, text: str, hint: str | None = None, labels=("Yes", "No")):
    question = {
        "id": "q",
        "type": "single_choice",
        "text": text,
        "options": [{"id": f"o{n}", "label": label} for n, label in enumerate(labels)],
    }
    if hint:
        question["hint"] = hint
    return SurveyDefinition.model_validate(
        {
            "audience": audience,
            "title": "T",
            "intro": "I",
            "easy_read": "E",
            "pages": [{"id": "p", "questions": [question]}],
        }
    )


def test_every_survey_file_is_checked():
    assert {path.stem for path in SURVEY_FILES} >= {"children", "young-people", "parent-carers"}


@pytest.mark.parametrize("path", SURVEY_FILES, ids=lambda path: path.stem)
def test_every_question_hint_and_option_reads_at_the_audiences_age(path):
    definition = read_survey_file(path).definition
    assert [str(problem) for problem in hard_texts(definition)] == []


def test_the_limits_are_9_for_children_and_12_for_young_people():
    assert READING_AGE_LIMIT["child"] == 9
    assert READING_AGE_LIMIT["young_person"] == 12


def test_easy_words_and_hard_words_get_the_reading_ages_people_would_expect():
    assert reading_age("Do you feel safe at your school?") < 8
    assert reading_age("Do you feel you belong in the place where you live?") <= 9
    assert (
        reading_age(
            "Co-production means families and services planning, deciding and checking "
            "things together, as equal partners, from the start."
        )
        > 14
    )


def test_a_hard_question_for_children_is_named_with_its_place_in_the_file():
    hard = "Do you consider that the professionals supporting you appreciate your perspective?"
    problems = hard_texts(survey("child", hard))
    assert problems[0].path == ("pages", 0, "questions", 0, "text")
    assert problems[0].text == hard and problems[0].reading_age > 9
    assert "more than 9" in str(problems[0])


def test_the_same_question_is_fine_for_parent_carers_but_not_for_children():
    text = "Do the people who support your child listen to what you say?"
    assert hard_texts(survey("parent_carer", text)) == []
    assert hard_texts(survey("young_person", text)) == []
    hard = "Do practitioners demonstrate understanding of your circumstances?"
    assert hard_texts(survey("young_person", hard)) != []


def test_jargon_in_an_option_is_caught_though_the_option_is_short():
    problems = hard_texts(
        survey(
            "child",
            "Where do you learn?",
            labels=("A school", "Alternative provision (education outside school)"),
        )
    )
    flagged = [problem.path for problem in problems]
    assert ("pages", 0, "questions", 0, "options", 1, "label") in flagged
    assert ("pages", 0, "questions", 0, "options", 0, "label") not in flagged


def test_the_whole_survey_is_measured_as_one_passage_too():
    hard = "Do you consider that the professionals supporting you appreciate your perspective?"
    problems = hard_texts(survey("child", hard))
    assert problems[-1].path == ("pages",) and problems[-1].text == "the whole survey"


def test_a_one_word_answer_is_not_judged_on_its_syllables_alone():
    # "Sometimes" alone scores as university reading on any grade formula.
    assert hard_texts(survey("child", "Do you feel safe?", labels=("Sometimes", "Never"))) == []


def test_a_hard_hint_is_caught():
    hint = "Belonging denotes experiencing acceptance, recognition and psychological safety."
    problems = hard_texts(survey("young_person", "Do you belong?", hint=hint))
    assert ("pages", 0, "questions", 0, "hint") in [problem.path for problem in problems]
