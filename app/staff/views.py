"""Staff pages: sign in, sign out, set a password from a one-time link, the workspace."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.audit import record
from app.db import get_engine, get_session
from app.ratelimit import rate_limited
from app.security import local_url
from app.staff.accounts import (
    authenticate,
    set_password_with_token,
    user_for_token,
    user_with_email,
)
from app.staff.forms import SetPasswordForm, SignInForm
from app.staff.sessions import Ended, end_sessions
from app.staff.sign_in_steps import after_password, note_failed_try, too_many_tries
from app.staff.throttle import claim_try, try_key

blueprint = Blueprint("staff", __name__, template_folder="templates")


@blueprint.route("/sign-in", methods=["GET", "POST"])
@rate_limited("sign-in")
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        db = get_session()
        key = try_key(form.email.data)
        wait = claim_try(get_engine(), key)
        if wait is not None:
            note_failed_try(db, user_with_email(db, form.email.data), "password", refused=True)
            form.email.errors.append(too_many_tries(wait))
            return render_template("staff/sign_in.html", title=_("Sign in"), form=form), 429
        user = authenticate(db, form.email.data, form.password.data)
        if user is not None:
            return after_password(db, user, key, local_url(request.args.get("next")))
        note_failed_try(db, user_with_email(db, form.email.data), "password")
        form.email.errors.append(_("Enter a correct email address and password"))
    return render_template("staff/sign_in.html", title=_("Sign in"), form=form)


@blueprint.post("/sign-out")
@login_required
def sign_out():
    db = get_session()
    end_sessions(db, current_user, Ended.SIGNED_OUT)
    record(db, current_user, "staff.signed_out", f"user:{current_user.id}")
    db.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."))
    return redirect(url_for("staff.sign_in"))


@blueprint.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    db = get_session()
    user = user_for_token(db, token)
    if user is None:
        return render_template("staff/link_expired.html", title=_("This link has expired")), 410
    form = SetPasswordForm(personal=[user.email])
    if form.validate_on_submit():
        set_password_with_token(db, token, form.password.data)
        db.commit()
        flash(_("Your password is set. Sign in with it now."))
        return redirect(url_for("staff.sign_in"))
    return render_template(
        "staff/set_password.html", title=_("Set your password"), form=form, user=user
    )
