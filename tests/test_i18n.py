"""Interface text goes through Flask-Babel; survey text can carry its own translations."""

from pathlib import Path

import flask_babel
from babel.messages.extract import extract_from_dir
from babel.support import NullTranslations

from app import i18n
from app.surveys.catalogue import translate
from tests.pages import parse

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


class Marked(NullTranslations):
    """A catalogue that marks every message it translates."""

    def gettext(self, message: str) -> str:
        return f"[t] {message}"

    ugettext = gettext


def test_a_page_looks_its_translations_up_once_and_uses_them_for_every_message(client, monkeypatch):
    """Issue 11: Flask-Babel's look-up at each of a page's dozens of `_()` was a fifth of
    a simple page's time; the page's template is translated as before, from one look-up."""
    looked_up = []

    def marked():
        looked_up.append(True)
        return Marked()

    monkeypatch.setattr(flask_babel, "get_translations", marked)
    monkeypatch.setattr(i18n, "get_translations", marked, raising=False)
    page = parse(client.get("/privacy"))
    assert page.h1.text == "[t] Privacy"
    assert page.select_one("a.app-display-link").text == "[t] Change text size and colours"
    assert len(looked_up) == 1
