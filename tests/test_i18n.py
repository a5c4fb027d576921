"""Interface text goes through Flask-Babel; survey text can carry its own translations."""

from pathlib import Path

from babel.messages.extract import extract_from_dir

from app.surveys.catalogue import translate

ROOT = Path(__file__).resolve().parent.parent


def extracted() -> set[str]:
    method_map = [("app/**.py", "python"), ("app/**/templates/**.html", "jinja2")]
    found = extract_from_dir(ROOT, method_map, keywords={"_": None, "_l": None, "gettext": None})
    return {message for _file, _line, message, _comments, _context in found}


def test_the_respondents_words_are_all_translatable():
    messages = extracted()
    for text in (
        "Start now",
        "I don't want to answer",
        "Save and come back later",
        "Select one of the options",
        "Question %(number)s of %(total)s",
        "Check your answers",
        "Thank you. Your answers have been sent",
        "Change text size and colours",
        "Sign in",
    ):
        assert text in messages


def test_survey_text_is_shown_in_the_language_asked_for_or_else_english():
    text = {"en": "How are you?", "cy": "Sut wyt ti?"}
    assert translate(text, "cy") == "Sut wyt ti?"
    assert translate(text, "fr") == "How are you?"
    assert translate("Plain text", "cy") == "Plain text"
