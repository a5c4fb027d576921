"""The Team page's forms: inviting someone, and choosing a new role (then confirming it)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, RadioField
from wtforms.validators import DataRequired, Email, Length

from app.forms import choices
from app.models import Role
from app.staff.forms import Chosen

# What each role is called, and (for choosing one) what it lets its holder do.
ROLE_NAMES = {
    Role.OFFICER.value: _l("Officer"),
    Role.FORUM.value: _l("Parent carer forum"),
    Role.SAFEGUARDING.value: _l("Safeguarding lead"),
}
ROLES = {
    Role.OFFICER.value: _l(
        "Officer: runs surveys, reads responses, writes reports, manages the team"
    ),
    Role.FORUM.value: _l("Parent carer forum: sees results and action plans, signs off reports"),
    Role.SAFEGUARDING.value: _l("Safeguarding lead: sees answers that show a child may be at risk"),
}


def _stripped(text: str | None) -> str | None:
    return text.strip() if text else text


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        filters=[_stripped],
        validators=[
            DataRequired(_l("Enter their email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(_l("Enter an email address in the correct format, like name@example.com")),
        ],
    )
    role = RadioField(
        _l("Role"),
        choices=choices(ROLES),
        validate_choice=False,
        validators=[Chosen(_l("Select their role"))],
    )


class RoleForm(FlaskForm):
    role = RadioField(
        _l("New role"),
        choices=choices(ROLES),
        validate_choice=False,
        validators=[Chosen(_l("Select the new role"))],
    )
    # Set by the confirmation page's button: the first press of "Continue" only asks.
    confirmed = HiddenField()
