"""Forms shared by every part of the app."""

from flask_wtf import FlaskForm
from wtforms import SelectChoice


class ButtonForm(FlaskForm):
    """A button and its CSRF token: start, send, sign off, publish, remove."""


def choices(options: dict[str, str]) -> list[SelectChoice]:
    """WTForms choices from {value: label}, in the dict's order."""
    return [SelectChoice(value, label) for value, label in options.items()]
