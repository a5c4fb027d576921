"""`/staff/team`: the officer's Team page. Everyone's role, whether they can sign in and
when they last did; invite someone, change a role, disable or enable an account, reset a
password. The changes themselves are in lifecycle.py, shared with the commands."""

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.db import get_session
from app.forms import ButtonForm
from app.models import Role, User
from app.staff.access import role_required
from app.staff.accounts import AccountError
from app.staff.team import lifecycle
from app.staff.team.forms import ROLE_NAMES, InviteForm, RoleForm
from app.staff.views import blueprint
from app.urls import absolute_url


@blueprint.get("/team")
@role_required(Role.OFFICER)
def team():
    return render_template(
        "staff/team/team.html",
        title=_("Team"),
        users=lifecycle.team(get_session()),
        roles=ROLE_NAMES,
        back_url=url_for("staff.dashboard"),
    )


@blueprint.route("/team/invite", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def invite_member():
    form = InviteForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            user, token = lifecycle.invite(db, current_user, form.email.data, Role(form.role.data))
        except AccountError as error:
            form.email.errors.append(_sentence(error))
        else:
            db.commit()
            return _link_page(_("Account created"), user, token, invited=True)
    return render_template(
        "staff/team/invite.html",
        title=_("Invite someone"),
        form=form,
        back_url=url_for("staff.team"),
    )


@blueprint.get("/team/<int:user_id>")
@role_required(Role.OFFICER)
def team_member(user_id: int):
    user = _member(user_id)
    return render_template(
        "staff/team/member.html",
        title=user.email,
        user=user,
        roles=ROLE_NAMES,
        enable_form=ButtonForm(),
        back_url=url_for("staff.team"),
    )


@blueprint.route("/team/<int:user_id>/role", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def change_member_role(user_id: int):
    user = _member(user_id)
    form = RoleForm(data={"role": user.role})
    if form.validate_on_submit():
        new_role = Role(form.role.data)
        if form.confirmed.data != "yes" and new_role != user.role:
            return render_template(
                "staff/team/role_confirm.html",
                title=_("Change the role of %(email)s?", email=user.email),
                user=user,
                form=form,
                new_role=ROLE_NAMES[new_role],
                old_role=ROLE_NAMES[user.role],
                back_url=url_for("staff.change_member_role", user_id=user.id),
            )
        if _made(form.role.errors, lifecycle.change_role, user, new_role):
            flash(
                _(
                    "%(email)s now has the role %(role)s.",
                    email=user.email,
                    role=ROLE_NAMES[new_role],
                )
            )
            return redirect(url_for("staff.team_member", user_id=user.id))
    return render_template(
        "staff/team/role.html",
        title=_("Change role"),
        user=user,
        form=form,
        back_url=url_for("staff.team_member", user_id=user.id),
    )


@blueprint.route("/team/<int:user_id>/disable", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def disable_member(user_id: int):
    user = _member(user_id)
    form = ButtonForm()
    if form.validate_on_submit() and _made(form.form_errors, lifecycle.disable, user):
        flash(_("%(email)s is disabled and signed out everywhere.", email=user.email))
        return redirect(url_for("staff.team_member", user_id=user.id))
    return render_template(
        "staff/team/disable.html",
        title=_("Disable the account of %(email)s?", email=user.email),
        user=user,
        form=form,
        back_url=url_for("staff.team_member", user_id=user.id),
    )


@blueprint.post("/team/<int:user_id>/enable")
@role_required(Role.OFFICER)
def enable_member(user_id: int):
    user = _member(user_id)
    form = ButtonForm()
    if form.validate_on_submit() and _made(form.form_errors, lifecycle.enable, user):
        flash(_("%(email)s can sign in again.", email=user.email))
    elif form.errors:
        flash(" ".join(form.form_errors) or _("Try again."))
    return redirect(url_for("staff.team_member", user_id=user.id))


@blueprint.route("/team/<int:user_id>/reset", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def reset_member_password(user_id: int):
    user = _member(user_id)
    form = ButtonForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            token = lifecycle.reset_password(db, current_user, user)
        except AccountError as error:
            form.form_errors.append(_sentence(error))
        else:
            db.commit()
            return _link_page(_("Password reset"), user, token)
    return render_template(
        "staff/team/reset.html",
        title=_("Reset the password of %(email)s?", email=user.email),
        user=user,
        form=form,
        back_url=url_for("staff.team_member", user_id=user.id),
    )


def _member(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        abort(404)
    return user


def _made(errors: list[str], change: Callable[..., None], *args: object) -> bool:
    """Make the lifecycle CHANGE as the signed-in officer and commit; if it is refused,
    False, with the reason added to ERRORS (a field's, or the form's own)."""
    db = get_session()
    try:
        change(db, current_user, *args)
    except AccountError as error:
        db.rollback()
        errors.append(_sentence(error))
        return False
    db.commit()
    return True


def _link_page(title: str, user: User, token: str, invited: bool = False):
    """The one-time link, shown once: to be sent by the officer, never kept in a page cache."""
    response = render_template(
        "staff/team/link.html",
        title=title,
        user=user,
        link=absolute_url("staff.set_password", token=token),
        invited=invited,
        back_url=url_for("staff.team"),
    )
    return response, 200, {"Cache-Control": "no-store"}


def _sentence(error: AccountError) -> str:
    """The command line's reason as a sentence for the page (an email keeps its case)."""
    message = str(error)
    if "@" not in message.split(" ", 1)[0]:
        message = message[:1].upper() + message[1:]
    return message + "."
