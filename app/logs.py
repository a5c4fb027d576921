"""Logs that hold no one's internet address and no secret, and cannot be forged.

The privacy notice promises that we keep no internet address, and a URL can carry a
secret: a set-password link, a resume or receipt code, an email-removal link. So gunicorn's
access log (`AccessLogger`, named in gunicorn.conf.py) writes only the method, the path
with those secrets hidden, the status, the size and the time taken, and every log line,
gunicorn's and the app's own, has them hidden and its control characters escaped: a `%0a`
in a path must not start a forged line.
"""

import logging
import re

from flask import Flask
from gunicorn.glogging import Logger

HIDDEN = "[hidden]"
# Paths whose last part is a secret; matched anywhere, in any case, so "//R/code" and an
# error message quoting the path are hidden too.
SECRET_PATH = re.compile(r"(?i)(/(?:staff/set-password|resume|r|email/remove))/[^\s?#\"']+")
# Anything that looks like a random token (token_urlsafe(24) or longer): in a traceback only
# as a path segment, so its long function names stay readable.
LONG_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{24,}(?![A-Za-z0-9_-])")
LONG_TOKEN_IN_PATH = re.compile(r"(?<=/)[A-Za-z0-9_-]{24,}(?=[/?#\s\"']|$)")
# A query string can carry anything (a `next=/resume/CODE`); none is worth keeping.
QUERY = re.compile(r"\?[^\s\"']*")
# gunicorn's "Invalid request from ip=ADDRESS: reason", and any other IPv4 address.
ADDRESS = re.compile(r"ip=\S+?(?=:\s|\s|$)|\b(?:\d{1,3}\.){3}\d{1,3}\b")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape_controls(text: str) -> str:
    """Newlines, tabs and other control characters as visible escapes (\\x0a)."""
    return CONTROL.sub(lambda found: found.group().encode("unicode_escape").decode(), text)


def hide_secrets(text: str, tokens: re.Pattern = LONG_TOKEN) -> str:
    """TEXT with secret-bearing paths, long tokens, query strings and addresses hidden."""
    text = SECRET_PATH.sub(rf"\1/{HIDDEN}", text)
    text = QUERY.sub(f"?{HIDDEN}", text)
    text = tokens.sub(HIDDEN, text)
    return ADDRESS.sub(
        lambda found: "ip=" + HIDDEN if found.group().startswith("ip=") else HIDDEN, text
    )


def loggable_path(path: str) -> str:
    """A request path as the access log writes it: secrets hidden, nothing that could end
    the line or the quotes around it (a backslash is doubled so no escape can be forged)."""
    return escape_controls(hide_secrets(path.replace("\\", "\\\\")))


class HideSecrets(logging.Filter):
    """Rewrites each record's message and traceback with secrets hidden and controls escaped.

    Flask itself logs "Exception on /r/CODE [GET]" when a view fails, so the app's logger
    needs it as much as gunicorn's.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = escape_controls(hide_secrets(record.getMessage()))
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = hide_secrets(record.exc_text, LONG_TOKEN_IN_PATH)
        return True


def init_logging(app: Flask) -> None:
    _add_once(app.logger)


def _add_once(logger: logging.Logger) -> None:
    """Loggers are process-wide and outlive an app (or a gunicorn reload): filter once."""
    if not any(isinstance(found, HideSecrets) for found in logger.filters):
        logger.addFilter(HideSecrets())


class AccessLogger(Logger):
    """gunicorn's logger, told only what may be logged.

    Only these atoms exist, whatever access_log_format asks for: no address (`h`), no
    headers (a forwarded address, a referrer carrying a receipt code), no raw request line
    or query string.
    """

    SAFE_ATOMS = ("m", "s", "b", "B", "M", "D", "L", "T", "t", "p", "H")

    def setup(self, cfg) -> None:
        super().setup(cfg)
        _add_once(self.error_log)

    def atoms(self, resp, req, environ, request_time) -> dict:
        every = super().atoms(resp, req, environ, request_time)
        safe = {name: every[name] for name in self.SAFE_ATOMS}
        safe["m"] = escape_controls(str(safe["m"]))
        safe["U"] = loggable_path(environ.get("PATH_INFO", ""))
        return safe
