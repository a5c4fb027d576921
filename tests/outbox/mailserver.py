"""A real SMTP server on loopback (aiosmtpd) for the outbox tests: it keeps what arrives,
and can be told to refuse addresses or to stall mid-message."""

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass
class MailServer:
    host: str = "127.0.0.1"
    port: int = 0
    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    # RCPT TO address -> the reply the relay gives it ("550 ..." or "451 ...").
    refuse: dict[str, str] = field(default_factory=dict)
    # Reply to every RCPT, e.g. "451 4.3.0 try later" for a relay having a bad day.
    refuse_all: str | None = None
    # Hold the reply to DATA this many seconds (the message has already arrived).
    stall_seconds: float = 0.0
    data_started: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.refuse_all or self.refuse.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append(message_from_bytes(envelope.content, policy=policy.default))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.data_started.set()
        if self.stall_seconds:
            await asyncio.sleep(self.stall_seconds)
        return "250 Message accepted"

    def configure(self, app) -> None:
        """Point APP's email settings at this server."""
        app.config.update(
            MAIL_BACKEND="smtp",
            SMTP_HOST=self.host,
            SMTP_PORT=self.port,
            SMTP_STARTTLS=False,
            SMTP_USERNAME="",
            MAIL_FROM="SEND engagement <engagement@herefordshire.gov.uk>",
            MAIL_TIMEOUT=5,
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def mail_server(smtp_options: dict | None = None, **options) -> Iterator[MailServer]:
    """A server on loopback; SMTP_OPTIONS go to aiosmtpd (STARTTLS, sign-in)."""
    server = MailServer(port=free_port(), **options)
    controller = Controller(server, hostname=server.host, port=server.port, **(smtp_options or {}))
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
