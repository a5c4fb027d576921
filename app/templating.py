"""Jinja set-up: the app's templates first, then the GOV.UK Frontend macros."""

from flask import Flask
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader


def init_templates(app: Flask) -> None:
    """Let templates import GOV.UK Frontend macros as "govuk_frontend_jinja/components/..."."""
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("app"),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["error_list"] = error_list
    app.jinja_env.globals["service_name"] = app.config["SERVICE_NAME"]


def error_list(form) -> list[dict[str, str]]:
    """A WTForms form's errors as GOV.UK error summary items, each linking to its field."""
    return [
        {"text": message, "href": f"#{form[name].id}"}
        for name, messages in form.errors.items()
        if name in form
        for message in messages
    ]
