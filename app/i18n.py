"""Interface text goes through Flask-Babel; surveys carry their own translations in YAML."""

from flask import Flask, has_request_context, request
from flask_babel import Babel, get_locale

SUPPORTED_LANGUAGES = ("en",)


def select_language() -> str:
    if not has_request_context():  # a command printing a report
        return SUPPORTED_LANGUAGES[0]
    return request.accept_languages.best_match(SUPPORTED_LANGUAGES) or SUPPORTED_LANGUAGES[0]


def current_language() -> str:
    return str(get_locale() or SUPPORTED_LANGUAGES[0])


# The language tags pages declare: our English is British English, and a screen reader or
# the read-aloud voice chooses its accent and spelling from this.
HTML_LANGUAGES = {"en": "en-GB"}


def html_language() -> str:
    """The current language as the page's `lang` attribute ("en-GB" for English)."""
    language = current_language()
    return HTML_LANGUAGES.get(language, language)


def init_i18n(app: Flask) -> None:
    Babel(app, locale_selector=select_language)
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["html_language"] = html_language
