"""Forms shared by every part of the app."""

from flask_wtf import FlaskForm


class ButtonForm(FlaskForm):
    """A button and its CSRF token: start, send, sign off, publish, remove."""
