"""Jinja set-up: the app's templates first, then the GOV.UK Frontend macros."""

from collections import ChainMap
from collections.abc import Callable, KeysView, MutableMapping
from typing import Any

from flask import Flask
from flask.templating import Environment
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from markupsafe import Markup

from app.feedback.published import comment_groups
from app.i18n import current_language
from app.respond.faces import answer_html, choice_items
from app.surveys.catalogue import answer_text, translate
from app.text import breakable
from app.time import date_in_words, london_time
from app.urls import absolute_url


class TemplateGlobals(ChainMap):
    """A template's globals: its own over the environment's, which stay live.

    Jinja compares a page's globals with those of every template it imports, each time it
    imports one (`ctx.globals_keys - template.globals.keys()`), and the GOV.UK macros
    import others at every call: a few dozen a page. A ChainMap's keys view answers that
    subtraction one key at a time in Python (7% of a survey page's time); a dict's keys,
    built afresh, in C.
    """

    def keys(self) -> KeysView:
        return dict.fromkeys(self).keys()


class AppEnvironment(Environment):
    """Flask's Jinja environment, with TemplateGlobals for each template's globals."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return TemplateGlobals(d or {}, self.globals)


def init_templates(app: Flask) -> None:
    """Let templates import GOV.UK Frontend macros as "govuk_frontend_jinja/components/..."."""
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("app"),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["error_list"] = error_list
    app.jinja_env.globals["service_name"] = app.config["SERVICE_NAME"]
    app.jinja_env.filters["tr"] = lambda text: translate(text, current_language())
    app.jinja_env.globals["answer_text"] = lambda question, value: answer_text(
        question, value, current_language()
    )
    app.jinja_env.globals["choice_items"] = choice_items
    app.jinja_env.globals["absolute_url"] = absolute_url
    app.jinja_env.filters["london_time"] = london_time
    app.jinja_env.filters["date_in_words"] = date_in_words
    app.jinja_env.filters["breakable"] = breakable
    app.jinja_env.globals["comment_groups"] = comment_groups
    app.jinja_env.globals["remembered"] = remembered
    app.jinja_env.globals["answer_html"] = lambda question, value: answer_html(
        question, value, current_language()
    )


# Fragments are few: a code box per page kind and language, and each choice question of
# each survey version as each answer and error leaves it (a few KB each, so at most a few
# MB a worker). The bound only guards against a key that grows without end by mistake.
REMEMBERED_AT_MOST = 2048
_remembered: dict[tuple, Markup] = {}


def remembered(*key: Any, caller: Callable[[], str]) -> Markup:
    """`{% call remembered(key...) %}...{% endcall %}`: the block drawn once per process for
    each KEY, which must hold everything the block's output depends on (its language
    too); a list in it counts as a tuple of its items. For the GOV.UK macros that draw the
    same thing on every page: they are half a page's time."""
    key = tuple(tuple(part) if isinstance(part, list) else part for part in key)
    html = _remembered.get(key)
    if html is None:
        html = Markup(caller())
        if len(_remembered) < REMEMBERED_AT_MOST:
            _remembered[key] = html
    return html


def error_list(form) -> list[dict[str, str]]:
    """A WTForms form's errors as GOV.UK error summary items, each linking to its field;
    errors of the form as a whole (a refused button press) first, linking nowhere."""
    return [{"text": message} for message in form.form_errors] + [
        {"text": message, "href": f"#{form[name].id}"}
        for name, messages in form.errors.items()
        if name in form
        for message in messages
    ]
