"""Staff forms. Validation lives here, with messages in GOV.UK style."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

MIN_PASSWORD = 12


class SignInForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[
            DataRequired("Enter a new password"),
            Length(
                min=MIN_PASSWORD,
                max=200,
                message=f"Password must be {MIN_PASSWORD} characters or more",
            ),
        ],
    )
    confirm = PasswordField(
        "Type the password again",
        validators=[
            DataRequired("Type the password again"),
            EqualTo("password", message="The passwords do not match"),
        ],
    )
