"""Pages for when something goes wrong: clear words, and nothing half-stored."""

from flask import Flask, abort, current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError

from app.db import discard_session
from app.health import problem_of


def init_errors(app: Flask) -> None:
    app.before_request(_refuse_nul_in_address)
    app.register_error_handler(DBAPIError, _database_unavailable)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(413, _too_large)
    app.register_error_handler(500, _server_error)


def _refuse_nul_in_address() -> None:
    """No address holds a NUL: such a page does not exist (404) and such a query is
    malformed (400). Checked first, because PostgreSQL refuses to look up a string with
    a NUL in it, which would otherwise say "please try again" for ever."""
    if "\x00" in request.path:
        abort(404)
    if any("\x00" in key + value for key, value in request.args.items(multi=True)):
        abort(400)


def _database_unavailable(error: DBAPIError):
    """The database was locked too long or could not be reached. The request's transaction
    is rolled back whole, so nothing is half-stored; what was saved before is still there.
    The log says why (read-only, locked, unreachable) but never the statement or its values."""
    current_app.logger.error("Request not stored, %s", problem_of(error))
    discard_session()
    return render_template("try_again.html", title=_("Sorry, please try again")), 503


def _not_found(error):
    return render_template("not_found.html", title=_("Page not found")), 404


def _too_large(error):
    return render_template("too_large.html", title=_("That was too much to send")), 413


def _server_error(error):
    """Anything else that failed mid-request (a worker stopped, a bug): the transaction is
    rolled back, so the respondent can safely press the button again."""
    discard_session()
    return render_template("try_again.html", title=_("Sorry, please try again")), 500
