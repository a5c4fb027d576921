"""Interface text goes through Flask-Babel; surveys carry their own translations in YAML."""

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, g, has_request_context, request
from flask_babel import Babel, get_locale, get_translations

SUPPORTED_LANGUAGES = ("en",)
T = TypeVar("T")


def select_language() -> str:
    if not has_request_context():  # a command printing a report
        return SUPPORTED_LANGUAGES[0]
    return request.accept_languages.best_match(SUPPORTED_LANGUAGES) or SUPPORTED_LANGUAGES[0]


def current_language() -> str:
    """The request's language ("en"), found once a request (`once_a_request`)."""
    return once_a_request("language", lambda: str(get_locale() or SUPPORTED_LANGUAGES[0]))


# The language tags pages declare: our English is British English, and a screen reader or
# the read-aloud voice chooses its accent and spelling from this.
HTML_LANGUAGES = {"en": "en-GB"}


def html_language() -> str:
    """The current language as the page's `lang` attribute ("en-GB" for English)."""
    language = current_language()
    return HTML_LANGUAGES.get(language, language)


def translations():
    """`flask_babel.get_translations()`, found once a request (`once_a_request`)."""
    return once_a_request("translations", get_translations)


def once_a_request(name: str, find: Callable[[], T]) -> T:
    """FIND(), kept in `g` as NAME for the rest of the request (or command). A request's
    language is chosen once (`select_language`) and nothing here changes it, and
    Flask-Babel finds it afresh at each of a page's dozens of `_()` and survey texts: a
    fifth of a simple page's time."""
    if not g:  # outside any app context, Flask-Babel answers for itself
        return find()
    found = g.get(name)
    if found is None:
        found = find()
        setattr(g, name, found)
    return found


def init_i18n(app: Flask) -> None:
    Babel(app, locale_selector=select_language)
    # Flask-Babel's own callables, but for `translations` in place of `get_translations`.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["html_language"] = html_language
