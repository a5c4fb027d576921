"""Sign-in sessions, CSRF protection on every form, and the security headers of every page."""

import secrets

from flask import Flask, Response, g
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
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
    return get_session().scalar(select(User).where(User.id == int(user_id), User.active))


def init_security(app: Flask) -> None:
    """CSRF on every POST, Flask-Login for staff, and a nonce-based Content-Security-Policy."""
    csrf.init_app(app)
    login_manager.init_app(app)
    app.before_request(_make_nonce)
    app.after_request(_security_headers)
    app.context_processor(lambda: {"cspNonce": g.get("csp_nonce", "")})


def _make_nonce() -> None:
    g.csp_nonce = secrets.token_urlsafe(16)


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
    return response


def local_url(target: str | None) -> str | None:
    """TARGET if it is a path on this site, else None: never send anyone to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None
