"""Configuration classes, chosen by name from the environment (FLASK_CONFIG)."""

import os
from datetime import timedelta
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """A setting that stops the app starting; the message says what to set."""


class Config:
    """Settings shared by every environment; values come from the environment where set."""

    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    DATABASE_URL: str = os.environ.get(
        "DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'coproduction.db'}"
    )
    SURVEYS_DIR: Path = Path(os.environ.get("SURVEYS_DIR", ROOT / "surveys"))
    # Where one-time sign-in links point; the CLI has no request to take it from.
    BASE_URL: str = os.environ.get("BASE_URL", "http://127.0.0.1:8000")

    SERVICE_NAME = "Your voice in Herefordshire SEND"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    # Staff are signed out after this long without using the workspace.
    STAFF_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("STAFF_IDLE_MINUTES", "60")))
    # ... and after this long signed in, however busy: a stolen session cannot be kept
    # alive by using it.
    STAFF_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("STAFF_SESSION_HOURS", "12")))
    HSTS = False
    # No form is anywhere near this; a CSV of a few thousand responses is well under it.
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    # Behind a reverse proxy, how many proxies set X-Forwarded-For: the respondent's own
    # address is then what the rate limits count, not the proxy's.
    PROXIES = int(os.environ.get("PROXIES", "0"))
    # Answers older than this are deleted by `flask responses purge` (the privacy notice
    # promises to keep them only while the strategy needs them).
    RETENTION_DAYS = int(os.environ.get("RETENTION_DAYS", str(4 * 365)))
    # (attempts, seconds), counted in the database so every gunicorn worker shares them.
    # "respond" counts starting and sending (not each question page): a whole class may
    # answer from one school address, so it is generous. "codes" counts every try of a
    # resume or receipt code (typed, or a link opened): 200 in 10 minutes lets 30
    # children resume at once with typos to spare, while guessing one of 25^8 codes
    # stays hopeless (README, "Respondents' codes and answers").
    RATE_LIMITS: ClassVar[dict[str, tuple[int, int]]] = {
        "sign-in": (10, 15 * 60),
        "two-factor": (10, 15 * 60),
        "respond": (600, 10 * 60),
        "codes": (200, 10 * 60),
        # Not a refusal: answers sent past this many an hour from one address are kept
        # but held out of the measures until the officer releases them (app/quarantine.py).
        "sends": (60, 60 * 60),
    }
    # Children take their time on a question page; an expired token must not cost their answers.
    WTF_CSRF_TIME_LIMIT: int | None = None

    SQLITE_BUSY_TIMEOUT_MS = 15_000
    # How many public measures requests (`/measures`, `/api/measures`) the servers on one
    # machine work on at once; the rest are told to come back (503, app/public/busy.py),
    # so the workers stay free for respondents. Where the slots live: by default a folder
    # of this user's own under the temporary folder, one per database.
    PUBLIC_MEASURES_AT_ONCE = int(os.environ.get("PUBLIC_MEASURES_AT_ONCE", "1"))
    # The most of its time each slot works: after a request it rests for as long again as
    # that request took times (1 / share - 1), so a crowd on the measures takes at most
    # this share of a core per slot from the survey pages (issue 11: their p99 with 32
    # clients on the measures was 2.1 times their p99 without; README, "Settings").
    PUBLIC_MEASURES_SHARE = float(os.environ.get("PUBLIC_MEASURES_SHARE", "0.5"))
    PUBLIC_SLOTS_DIR: str = os.environ.get("PUBLIC_SLOTS_DIR", "")

    # Email (app/outbox/): every message is queued in the database; `flask outbox send`
    # sends them through MAIL_BACKEND: "smtp" (a mail relay), "notify" (GOV.UK Notify), or
    # "" (none: messages wait on /staff/outbox, where the officer can copy their links).
    MAIL_BACKEND: str = os.environ.get("MAIL_BACKEND", "")
    MAIL_FROM: str = os.environ.get("MAIL_FROM", "")
    SMTP_HOST: str = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
    SMTP_STARTTLS = os.environ.get("SMTP_STARTTLS", "true").lower() in ("1", "true", "yes")
    SMTP_USERNAME: str = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD: str = os.environ.get("SMTP_PASSWORD", "")
    NOTIFY_API_KEY: str = os.environ.get("NOTIFY_API_KEY", "")
    NOTIFY_BASE_URL: str = os.environ.get(
        "NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk"
    )
    # One Notify template per kind of message (README: "Email").
    NOTIFY_TEMPLATES: ClassVar[dict[str, str]] = {
        kind: os.environ.get(f"NOTIFY_TEMPLATE_{kind.upper()}", "")
        for kind in (
            "results_published",
            "report_with_forum",
            "report_signed_off",
            "staff_invite",
            "password_reset",
        )
    }
    # Seconds to wait for the relay or Notify before trying again later.
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "30"))

    @classmethod
    def check(cls) -> None:
        """Refuse to run with settings that would be unsafe in this environment."""
        if not 0 < cls.PUBLIC_MEASURES_SHARE <= 1:
            raise ConfigError(
                "PUBLIC_MEASURES_SHARE must be more than 0 and at most 1 (the share of a "
                f"core each public measures slot may work), not {cls.PUBLIC_MEASURES_SHARE}"
            )


class DevelopmentConfig(Config):
    """`make run` on a laptop: plain HTTP on loopback, a fixed development key."""

    SECRET_KEY = os.environ.get("SECRET_KEY") or "development-only-not-secret"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class TestConfig(Config):
    """Tests: an isolated database set by the fixtures, and no quiet fallbacks."""

    TESTING = True
    SECRET_KEY = "test-only-not-secret"
    DATABASE_URL = "sqlite://"  # replaced by the fixtures; never the real instance database
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = True
    MAIL_BACKEND = ""  # a test that sends names its own loopback server
    # Measures requests one after another in a test are never refused as resting; the
    # tests of the rest set their own share (tests/public/test_busy.py).
    PUBLIC_MEASURES_SHARE = 1.0


class ProductionConfig(Config):
    """Served to the public: a real secret key is required."""

    HSTS = True

    @classmethod
    def check(cls) -> None:
        super().check()
        if not cls.SECRET_KEY:
            raise ConfigError(
                "SECRET_KEY is not set. Set it to a long random value, for example the output"
                ' of: python -c "import secrets; print(secrets.token_hex(32))"'
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_environment() -> type[Config]:
    """The config class FLASK_CONFIG names; production when unset, so nothing is insecure by
    accident."""
    name = os.environ.get("FLASK_CONFIG", "production")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(f"FLASK_CONFIG={name!r} is not one of: {', '.join(CONFIGS)}") from None
