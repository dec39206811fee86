"""A real SMTP server in a thread (aiosmtpd) that can refuse, accept, or hold a delivery."""

from __future__ import annotations

import asyncio
import email
import threading
from collections import Counter
from contextlib import contextmanager

from aiosmtpd.controller import Controller

from tests.conftest import closed_port


class Mailbox:
    """Refuses every recipient with ``451`` while ``refusing``; counts what it accepts.

    ``hold(address)`` makes the server stall on that recipient (before any message data is
    sent) until ``release()``: a client killed then has handed over nothing.
    """

    def __init__(self):
        self.refusing = False
        self.refused = 0
        self.accepted: list[tuple[str, str]] = []  # (recipient, Message-ID)
        self.held_address: str | None = None
        self.holding = threading.Event()
        self._released = threading.Event()
        self._lock = threading.Lock()

    def hold(self, address: str) -> None:
        self.held_address = address

    def release(self) -> None:
        self.held_address = None
        self._released.set()

    def count(self) -> Counter:
        with self._lock:
            return Counter(recipient for recipient, _ in self.accepted)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd hook
        if self.held_address == address:
            self.holding.set()
            for _ in range(1200):  # at most a minute
                if self._released.is_set():
                    break
                await asyncio.sleep(0.05)
        if self.refusing:
            with self._lock:
                self.refused += 1
            return "451 4.3.0 Mail service temporarily unavailable, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        message = email.message_from_bytes(envelope.content)
        with self._lock:
            for recipient in envelope.rcpt_tos:
                self.accepted.append((recipient, message["Message-ID"]))
        return "250 2.0.0 Accepted"


@contextmanager
def smtp_server(settings=None):
    """Starts a ``Mailbox`` server on a free loopback port; points Django's SMTP settings at it."""
    mailbox = Mailbox()
    port = closed_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    if settings is not None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
    try:
        mailbox.port = port
        yield mailbox
    finally:
        mailbox.release()
        controller.stop()
