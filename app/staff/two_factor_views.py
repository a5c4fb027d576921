"""The second step of signing in: the page for a code from an authenticator app (or a
recovery code), and the page that sets an app up (app/staff/two_factor.py keeps the rules).
"""

from flask import (
    Response,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.db import get_engine, get_session
from app.models import User
from app.ratelimit import rate_limited
from app.staff.forms import CodeForm
from app.staff.sign_in_steps import (
    PENDING,
    finish_sign_in,
    note_failed_try,
    pending,
    sign_in_for_good,
    too_many_tries,
)
from app.staff.throttle import claim_try, forget_failures, second_step_key, try_key
from app.staff.two_factor import (
    check_code,
    confirm,
    confirmed_for,
    qr_code_svg,
    recovery_codes_left,
    renew_recovery_codes,
    secret_to_set_up,
    setup_uri,
)
from app.staff.views import blueprint


@blueprint.route("/two-factor", methods=["GET", "POST"])
@rate_limited("two-factor")
def two_factor():
    db = get_session()
    waiting = pending(db)
    if waiting is None or confirmed_for(db, waiting.user) is None:
        return _start_again()
    form = CodeForm()
    if form.validate_on_submit():
        db.commit()  # SQLite has one writer: the count below takes it in its own transaction
        wait = claim_try(get_engine(), waiting.key)
        if wait is not None:
            note_failed_try(db, waiting.user, "code", refused=True)
            form.code.errors.append(too_many_tries(wait))
            return _code_page(form), 429
        used = check_code(db, waiting.user, form.code.data)
        if used is not None:
            left = recovery_codes_left(db, waiting.user)
            response = finish_sign_in(db, waiting.user, waiting.key, waiting.next_url)
            if used == "recovery":  # after signing in, which starts a new session
                flash(
                    ngettext(
                        "You used a recovery code. You have %(num)d left.",
                        "You used a recovery code. You have %(num)d left.",
                        left,
                    )
                )
            return response
        note_failed_try(db, waiting.user, "code")
        form.code.errors.append(_("The code is not right, or was used already. Enter a new code"))
    return _code_page(form)


@blueprint.route("/two-factor/set-up", methods=["GET", "POST"])
@rate_limited("two-factor")
def two_factor_set_up():
    db = get_session()
    waiting = pending(db)
    user = waiting.user if waiting else current_user if current_user.is_authenticated else None
    if user is None:
        return _start_again()
    if confirmed_for(db, user) is not None:
        if waiting:
            return redirect(url_for("staff.two_factor"))
        return _two_factor_on_page(CodeForm())
    secret = secret_to_set_up(db, user)
    form = CodeForm()
    if form.validate_on_submit():
        key = waiting.key if waiting else second_step_key(try_key(user.email))
        db.commit()  # SQLite has one writer: the count below takes it in its own transaction
        wait = claim_try(get_engine(), key)
        if wait is not None:
            form.code.errors.append(too_many_tries(wait))
            return _set_up_page(form, user, secret), 429
        codes = confirm(db, user, form.code.data)
        if codes is not None:
            if waiting:
                sign_in_for_good(db, user, key)
            else:
                db.commit()
                forget_failures(get_engine(), key)
            return _recovery_codes_page(codes, waiting.next_url if waiting else None)
        form.code.errors.append(_("The code is not right. Enter the code the app shows now"))
    # Stored, so the QR code already scanned still works when this page is shown again.
    db.commit()
    return _set_up_page(form, user, secret)


@blueprint.post("/two-factor/recovery-codes")
@login_required
@rate_limited("two-factor")
def renew_codes():
    db = get_session()
    form = CodeForm()
    if not form.validate_on_submit():
        return _two_factor_on_page(form)
    key = second_step_key(try_key(current_user.email))
    db.commit()  # SQLite has one writer: the count below takes it in its own transaction
    wait = claim_try(get_engine(), key)
    if wait is not None:
        note_failed_try(db, current_user, "code", refused=True)
        form.code.errors.append(too_many_tries(wait))
        return _two_factor_on_page(form), 429
    codes = renew_recovery_codes(db, current_user, form.code.data)
    if codes is None:
        note_failed_try(db, current_user, "code")
        form.code.errors.append(_("The code is not right. Enter the code the app shows now"))
        return _two_factor_on_page(form)
    db.commit()
    forget_failures(get_engine(), key)
    return _recovery_codes_page(codes, None, renewed=True)


def _two_factor_on_page(form: CodeForm) -> str:
    return render_template(
        "staff/two_factor_on.html",
        title=_("Two-step sign-in is on"),
        form=form,
        left=recovery_codes_left(get_session(), current_user),
    )


def _start_again() -> Response:
    session.pop(PENDING, None)
    flash(_("Sign in again to carry on."))
    return redirect(url_for("staff.sign_in"))


def _code_page(form: CodeForm) -> str:
    return render_template(
        "staff/two_factor.html",
        title=_("Enter your code"),
        form=form,
        recovery=request.args.get("use") == "recovery",
    )


def _set_up_page(form: CodeForm, user: User, secret: str) -> str:
    return render_template(
        "staff/two_factor_set_up.html",
        title=_("Set up two-step sign-in"),
        form=form,
        qr=qr_code_svg(setup_uri(secret, user)),
        secret_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
        email=user.email,
    )


def _recovery_codes_page(codes: list[str], next_url: str | None, renewed: bool = False) -> Response:
    response = make_response(
        render_template(
            "staff/recovery_codes.html",
            title=_("Save your recovery codes"),
            codes=codes,
            next_url=next_url or url_for("staff.dashboard"),
            renewed=renewed,
        )
    )
    # Shown once: never kept by the browser or a proxy.
    response.headers["Cache-Control"] = "no-store"
    return response
