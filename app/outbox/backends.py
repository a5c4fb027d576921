"""The two ways an email leaves: a council mail relay (SMTP) or GOV.UK Notify.

Each backend's `send` either returns (the relay or Notify accepted the message) or raises
SendError saying whether trying again could help.
"""

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any, Protocol
from urllib.parse import urlsplit

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from app.config import ConfigError
from app.outbox.messages import KINDS, render


class SendError(Exception):
    """The message was not accepted. PERMANENT: trying again would fail the same way (a bad
    address, a template that does not fit), so it is not retried."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    """One message as a worker hands it to a backend."""

    kind: str
    to: str
    fields: dict[str, str]
    reference: str


class Backend(Protocol):
    def send(self, message: Outgoing) -> None: ...


@dataclass(frozen=True)
class SmtpBackend:
    host: str
    port: int
    starttls: bool
    username: str
    password: str
    sender: str
    timeout: float
    # The Message-ID's domain: the site's, so a resent copy has the same Message-ID.
    domain: str

    def send(self, message: Outgoing) -> None:
        email = render(KINDS[message.kind], message.fields)
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.to
        mail["Subject"] = email.subject
        mail["Date"] = formatdate(localtime=False)
        mail["Message-ID"] = f"<{message.reference}@{self.domain}>"
        mail.set_content(email.text)
        mail.add_alternative(email.html, subtype="html")
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as relay:
                if self.starttls:
                    relay.starttls(context=ssl.create_default_context())
                if self.username:
                    relay.login(self.username, self.password)
                relay.send_message(mail)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            raise SendError(
                f"The mail relay refused the address: {code} {_text(reply)}",
                permanent=code >= 500,
            ) from None
        except smtplib.SMTPDataError as error:
            raise SendError(
                f"The mail relay refused the message: {error.smtp_code} {_text(error.smtp_error)}",
                permanent=error.smtp_code >= 500,
            ) from None
        except smtplib.SMTPResponseException as error:
            # Sender refused, sign-in refused: the relay's settings, which can be put right.
            raise SendError(
                f"The mail relay said {error.smtp_code} {_text(error.smtp_error)}"
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            raise SendError(
                f"Could not reach the mail relay {self.host}:{self.port}: "
                f"{error or type(error).__name__}"
            ) from None


@dataclass(frozen=True)
class NotifyBackend:
    api_key: str
    base_url: str
    templates: dict[str, str]
    timeout: float

    def send(self, message: Outgoing) -> None:
        client = NotificationsAPIClient(self.api_key, base_url=self.base_url, timeout=self.timeout)
        try:
            client.send_email_notification(
                email_address=message.to,
                template_id=self.templates[message.kind],
                personalisation=message.fields,
                reference=message.reference,
            )
        except APIError as error:
            # 400: Notify will never take this one (a bad address, a missing placeholder);
            # 403 (a key put right later), 429 (too many at once) and 5xx pass.
            raise SendError(
                f"GOV.UK Notify said {error.status_code}: {_text(error.message)}",
                permanent=error.status_code == 400,
            ) from None


def backend_from_config(config: dict[str, Any]) -> Backend:
    """The backend MAIL_BACKEND names, checked; ConfigError says what to set."""
    name = config["MAIL_BACKEND"]
    if name == "smtp":
        missing = [key for key in ("SMTP_HOST", "MAIL_FROM") if not config[key]]
        if missing:
            raise ConfigError(f"MAIL_BACKEND=smtp needs {' and '.join(missing)} set.")
        return SmtpBackend(
            host=config["SMTP_HOST"],
            port=config["SMTP_PORT"],
            starttls=config["SMTP_STARTTLS"],
            username=config["SMTP_USERNAME"],
            password=config["SMTP_PASSWORD"],
            sender=config["MAIL_FROM"],
            timeout=config["MAIL_TIMEOUT"],
            domain=urlsplit(config["BASE_URL"]).hostname or "localhost",
        )
    if name == "notify":
        missing = [] if config["NOTIFY_API_KEY"] else ["NOTIFY_API_KEY"]
        missing += [
            f"NOTIFY_TEMPLATE_{kind.upper()}"
            for kind in KINDS
            if not config["NOTIFY_TEMPLATES"].get(kind)
        ]
        if missing:
            raise ConfigError(f"MAIL_BACKEND=notify needs {', '.join(missing)} set.")
        return NotifyBackend(
            api_key=config["NOTIFY_API_KEY"],
            base_url=config["NOTIFY_BASE_URL"],
            templates=dict(config["NOTIFY_TEMPLATES"]),
            timeout=config["MAIL_TIMEOUT"],
        )
    if name:
        raise ConfigError(f"MAIL_BACKEND={name!r} is not one of: smtp, notify.")
    raise ConfigError(
        "No email is sent: MAIL_BACKEND is not set (smtp or notify). Messages wait at "
        "/staff/outbox, where the officer can copy their links."
    )


def _text(reply: Any) -> str:
    """A relay's or Notify's reply as one short line for the officer."""
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    return " ".join(str(reply).split())[:300]
