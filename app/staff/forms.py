"""Staff forms. Validation lives here, with messages in GOV.UK style."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length

MIN_PASSWORD = 12


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"), validators=[DataRequired(_l("Enter your email address"))]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password"))])


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Enter a new password")),
            Length(
                min=MIN_PASSWORD,
                max=200,
                message=_l("Password must be %(count)s characters or more", count=MIN_PASSWORD),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Type the password again"),
        validators=[
            DataRequired(_l("Type the password again")),
            EqualTo("password", message=_l("The passwords do not match")),
        ],
    )


class HandledForm(FlaskForm):
    note = TextAreaField(
        _l("What was done"),
        validators=[
            DataRequired(_l("Enter what was done")),
            Length(max=5000, message=_l("What was done must be 5000 characters or fewer")),
        ],
    )
