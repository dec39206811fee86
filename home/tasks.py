"""Background tasks of the home app."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.utils import timezone

from celery import shared_task

HEARTBEAT_TTL = 300
BEAT_HEARTBEAT_KEY = "beat:heartbeat"


def heartbeat_key(token: str) -> str:
    return f"heartbeat:{token}"


@shared_task(ignore_result=True)
def record_heartbeat(token: str) -> str:
    """Writes ``heartbeat:<token>`` to the cache: proof that a worker picked up and ran a task."""
    value = timezone.now().isoformat()
    cache.set(heartbeat_key(token), value, timeout=HEARTBEAT_TTL)
    return value


@shared_task(bind=True, ignore_result=True)
def beat_heartbeat(self) -> dict:
    """Sent by beat every ``BEAT_HEARTBEAT_SECONDS``: when it last ran and which beat sent it.

    ``origin`` is the sending process (``gen<pid>@<host>``), so two beats sending would show as
    two origins; /metrics reports the heartbeat's age (a stopped beat shows as a growing age).
    """
    value = {"at": time.time(), "origin": self.request.origin or ""}
    cache.set(BEAT_HEARTBEAT_KEY, value, timeout=None)
    return value
