"""Sign-in sessions, CSRF protection on every form, and the security headers of every page."""

import secrets
import time

from flask import Flask, Response, current_app, flash, g, session
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, logout_user
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import select

from app.db import get_session
from app.models import User

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "staff.sign_in"
login_manager.login_message = _l("Sign in to see this page.")
login_manager.login_message_category = "info"
# A stolen session cookie stops working when it is used from elsewhere.
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    session = get_session()
    user = session.scalar(select(User).where(User.id == int(user_id), User.active))
    # End the read, which on a POST holds SQLite's write lock: the rate limits count in
    # transactions of their own, which would otherwise wait for it and fail.
    session.commit()
    return user


def init_security(app: Flask) -> None:
    """CSRF on every POST, Flask-Login for staff, and a nonce-based Content-Security-Policy."""
    csrf.init_app(app)
    login_manager.init_app(app)
    app.before_request(_make_nonce)
    app.before_request(_sign_out_idle_staff)
    app.after_request(_security_headers)
    app.context_processor(lambda: {"cspNonce": g.get("csp_nonce", "")})


def _make_nonce() -> None:
    g.csp_nonce = secrets.token_urlsafe(16)


def _sign_out_idle_staff() -> None:
    """Sign out staff who have not used the workspace for a while, on a shared computer
    say. Checked on the server, not left to the cookie's expiry."""
    if not current_user.is_authenticated:
        return
    now = time.time()
    seen = session.get("staff_seen_at", now)
    if now - seen > current_app.config["STAFF_IDLE_TIMEOUT"].total_seconds():
        logout_user()
        session.clear()
        flash(_l("You were signed out because you had not used the workspace for a while."))
        return
    session["staff_seen_at"] = now


def _security_headers(response: Response) -> Response:
    nonce = g.get("csp_nonce", "")
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if current_app.config["HSTS"]:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response


def local_url(target: str | None) -> str | None:
    """TARGET if it is a path on this site, else None: never send anyone to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None
