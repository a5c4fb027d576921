"""Sign-in sessions, CSRF protection on every form, and the security headers of every page."""

import hashlib
import secrets
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    current_app,
    flash,
    g,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, logout_user
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import select

from app.db import get_engine, get_session
from app.models import User
from app.ratelimit import sender
from app.staff.sessions import Ended, check_session

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "staff.sign_in"
login_manager.login_message = _l("Sign in to see this page.")
login_manager.login_message_category = "info"
# A session cookie used from another address or browser is dropped. (Only while staff
# sessions are not "permanent": Flask-Login treats "strong" as "basic" for those.) The
# server-side staff session below is what ends a session for good.
login_manager.session_protection = "strong"


def _session_identifier() -> str:
    """The browser a staff cookie belongs to. Flask-Login's own takes the address from the
    X-Forwarded-For header, which anyone can send, so a copied cookie would pass with the
    owner's address written in it; this takes it from the connection (ProxyFix, with
    `PROXIES` set, trusts only the proxies' part of the header), counted as the rate limits
    count it (an IPv6 /64 as one, since a laptop's IPv6 address changes within it)."""
    browser = f"{sender(request.remote_addr)}|{request.headers.get('User-Agent', '')}"
    return hashlib.sha512(browser.encode()).hexdigest()


# Flask-Login has no public setting for this: it calls this attribute for every check.
login_manager._session_identifier_generator = _session_identifier
# Where the staff session's id is kept in the cookie.
STAFF_SESSION_KEY = "staff_session"

SIGNED_OUT_MESSAGES = {
    Ended.IDLE: _l("You were signed out because you had not used the workspace for a while."),
    Ended.TOO_LONG: _l("You were signed out because you had been signed in for a long time."),
}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in user, if the cookie's staff session is still live on the server."""
    if not user_id.isdigit() or not _staff_session_is_live(int(user_id)):
        return None
    session = get_session()
    user = session.scalar(select(User).where(User.id == int(user_id), User.active))
    # End the read, which on a POST holds SQLite's write lock: the rate limits count in
    # transactions of their own, which would otherwise wait for it and fail.
    session.commit()
    return user


def _staff_session_is_live(user_id: int) -> bool:
    ended = check_session(
        get_engine(),
        user_id,
        session.get(STAFF_SESSION_KEY),
        idle=current_app.config["STAFF_IDLE_TIMEOUT"],
        lifetime=current_app.config["STAFF_SESSION_LIFETIME"],
    )
    g.staff_session_ended = ended
    return ended is None


def init_security(app: Flask) -> None:
    """CSRF on every POST, Flask-Login for staff, and a nonce-based Content-Security-Policy."""
    csrf.init_app(app)
    # Flask-Login's own context processor loads the user for every page drawn; for a
    # respondent, whose session is not a staff one, its "strong" session protection then
    # changes the session, so every page signed and sent the session cookie again and a
    # cookie deletion besides. `current_user` is lazy: loaded only where a page uses it.
    login_manager.init_app(app, add_context_processor=False)
    app.context_processor(lambda: {"current_user": current_user})
    app.before_request(_make_nonce)
    app.before_request(_sign_out_ended_staff)
    app.after_request(_security_headers)
    app.context_processor(lambda: {"cspNonce": g.get("csp_nonce", "")})


def _make_nonce() -> None:
    g.csp_nonce = secrets.token_urlsafe(16)


def _sign_out_ended_staff() -> tuple[str, int] | None:
    """Forget a cookie whose staff session has ended on the server (signed out elsewhere,
    idle, too old, password or role changed), saying why when it is the person's own
    session timing out. Runs first, so the check happens before any page's own work."""
    if "_user_id" not in session or current_user.is_authenticated:
        return None
    ended = g.pop("staff_session_ended", None)
    logout_user()
    session.clear()
    typed = typed_text(request.form) if request.method == "POST" else []
    if typed:
        # A long report or action typed for longer than the idle time: the sign-in page
        # would drop it, so it is given back to copy before signing in again.
        back = urlsplit(request.referrer or "").path
        return render_template(
            "staff/not_saved.html",
            title=_l("You were signed out, so this was not saved"),
            reason=SIGNED_OUT_MESSAGES.get(ended),
            typed=typed,
            sign_in=url_for("staff.sign_in", next=local_url(back)),
        ), 401
    if ended in SIGNED_OUT_MESSAGES:
        flash(SIGNED_OUT_MESSAGES[ended])
    return None


def typed_text(form) -> list[tuple[str, str]]:
    """(name, text) of what someone wrote in FORM: fields with words in (a space or a new
    line), never a password, code or form token."""
    return [
        (name.replace("_", " ").capitalize(), value)
        for name, value in form.items(multi=True)
        if (" " in value.strip() or "\n" in value.strip())
        and not any(secret in name for secret in ("password", "code", "csrf"))
    ]


def allow_framing_for_preview() -> None:
    """Let this response be shown in a frame of this site's own pages, with its forms
    unable to send anything: the survey builder's phone-sized preview of a respondent's
    page. Every other page may not be framed at all."""
    g.framed_by_self = True


def _security_headers(response: Response) -> Response:
    nonce = g.get("csp_nonce", "")
    framed = g.get("framed_by_self", False)
    ancestors, form_action = ("'self'", "'none'") if framed else ("'none'", "'self'")
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self'; img-src 'self' data:; "
        f"object-src 'none'; base-uri 'none'; form-action {form_action}; "
        f"frame-ancestors {ancestors}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "SAMEORIGIN" if framed else "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if current_app.config["HSTS"]:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response


def local_url(target: str | None) -> str | None:
    r"""TARGET if it is a path on this site, else None: never send anyone to another site.

    Browsers drop tabs and newlines anywhere in an address, trim control characters, and
    read a backslash as a slash, so "/" + tab + "/evil.example" and "/\evil.example" both
    mean "//evil.example", another site. An address with any control character or
    backslash is refused outright rather than cleaned, and what is left must parse as a
    bare path.
    """
    if not target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return None
    if "\\" in target or not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
