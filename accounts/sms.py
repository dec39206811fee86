"""Sending text messages (SMS).

``settings.SMS_BACKEND`` names the sender class. Development prints messages and keeps
them in a local outbox file; tests keep them in memory (``accounts.sms.outbox``);
production names a provider class that subclasses ``BaseSMSBackend``.
"""

from __future__ import annotations

import json
import logging
import sys
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SMSMessage:
    to: str
    body: str
    sent_at: datetime = field(default_factory=timezone.now)
    # The same for every copy of one message (an outbox row, a queued task): a gateway that
    # honours it sends the second copy of a message whose first answer was lost to nobody.
    key: str = ""


class BaseSMSBackend:
    """A provider sends one message and raises on failure; Celery retries the task."""

    def send(self, message: SMSMessage) -> None:
        raise NotImplementedError


class ConsoleSMSBackend(BaseSMSBackend):
    """Prints each message, and appends it to ``settings.SMS_OUTBOX_FILE`` when set."""

    def send(self, message: SMSMessage) -> None:
        sys.stdout.write(f"[SMS to {message.to}] {message.body}\n")
        sys.stdout.flush()
        path = getattr(settings, "SMS_OUTBOX_FILE", None)
        if path:
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            record = asdict(message) | {"sent_at": message.sent_at.isoformat()}
            with path.open("a", encoding="utf-8") as outbox_file:
                outbox_file.write(json.dumps(record, ensure_ascii=False) + "\n")


class HTTPGatewaySMSBackend(BaseSMSBackend):
    """Posts each message as JSON to an SMS gateway (``SMS_GATEWAY_URL``).

    Mainland SMS providers each sign requests their own way; a small gateway service (or a
    provider's HTTP bridge) keeps those credentials out of this application. The request is
    ``{"to": "+86…", "body": "…"}`` with ``Authorization: Bearer SMS_GATEWAY_TOKEN``; any
    non-2xx answer or network error raises, so the Celery task retries it. A message with a
    ``key`` also sends it, as ``"id"`` and as the ``Idempotency-Key`` header (most providers
    take such an id, e.g. an ``OutId``, and drop a second request that carries it).
    """

    def __init__(self) -> None:
        self.url = settings.SMS_GATEWAY_URL
        self.token = settings.SMS_GATEWAY_TOKEN
        if not self.url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SMS_GATEWAY_URL must be an http(s) URL.")

    def send(self, message: SMSMessage) -> None:
        fields = {"to": message.to, "body": message.body} | ({"id": message.key} if message.key else {})
        headers = {"Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {self.token}"}
        if message.key:
            headers["Idempotency-Key"] = message.key
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url, data=json.dumps(fields, ensure_ascii=False).encode(), method="POST", headers=headers
        )
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            if not 200 <= response.status < 300:
                raise OSError(f"SMS gateway answered {response.status}")


outbox: list[SMSMessage] = []


class LocmemSMSBackend(BaseSMSBackend):
    """Keeps messages in ``accounts.sms.outbox`` for tests, like Django's locmem mail."""

    def send(self, message: SMSMessage) -> None:
        outbox.append(message)


def get_backend() -> BaseSMSBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(to: str, body: str, *, key: str = "") -> None:
    """Sends at once, in this process. Callers outside tasks use ``accounts.tasks``.

    ``key`` is the same for every attempt at one message (see ``SMSMessage.key``).
    """
    get_backend().send(SMSMessage(to=to, body=f"【{settings.SMS_SIGN_NAME}】{body}", key=key))
