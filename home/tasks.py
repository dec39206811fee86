"""Background tasks of the home app."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from celery import shared_task

HEARTBEAT_TTL = 300


def heartbeat_key(token: str) -> str:
    return f"heartbeat:{token}"


@shared_task(ignore_result=True)
def record_heartbeat(token: str) -> str:
    """Writes ``heartbeat:<token>`` to the cache: proof that a worker picked up and ran a task."""
    value = timezone.now().isoformat()
    cache.set(heartbeat_key(token), value, timeout=HEARTBEAT_TTL)
    return value
