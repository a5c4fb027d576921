"""The children's survey in words a child under 11 can follow: no service jargon, no
school type they cannot be at, and hard words only with a hint that explains them."""

from pathlib import Path

from app.config import Config
from app.surveys.catalogue import translate
from app.surveys.files import read_survey_file

CHILDREN = read_survey_file(Path(Config.SURVEYS_DIR) / "children.yaml").definition
# Words for adults: a child does not know them and a picture would not help.
JARGON = ("alternative provision", "mainstream", "SEN support", "provision", "setting")


def child_texts():
    for question in CHILDREN.questions():
        yield question, translate(question.text)
        if question.hint:
            yield question, translate(question.hint)
        for option in question.options or ():
            yield question, translate(option.label)


def test_no_jargon_a_child_could_not_follow():
    found = [
        (question.id, text)
        for question, text in child_texts()
        for word in JARGON
        if word.lower() in text.lower()
    ]
    assert found == []


def test_an_ehc_plan_is_only_named_where_the_hint_says_what_it_is():
    for question, text in child_texts():
        if "EHC" in text:
            hint = translate(question.hint or "")
            assert "plan that says what help" in hint and "EHC plan" in hint, question.id


def test_children_are_not_offered_a_college():
    assert "college" not in CHILDREN.question("setting").option_ids()
    assert not any("college" in text.lower() for _, text in child_texts())


def test_the_about_you_questions_keep_their_ids_and_prefer_not_to_say():
    for question_id in ("area", "age_band", "setting", "support"):
        assert "prefer_not_to_say" in CHILDREN.question(question_id).option_ids()
    assert CHILDREN.question("support").option_ids() == [
        "ehc_plan",
        "sen_support",
        "none",
        "not_sure",
        "prefer_not_to_say",
    ]
