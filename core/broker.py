"""Publishing Celery tasks from a web request without waiting on a broker that is down.

A refused connection fails in milliseconds, but a hung broker costs every request the broker
socket timeout (about 3 s, ``CELERY_BROKER_*`` in settings). After one failure, publishing is
skipped for ``CELERY_PUBLISH_RETRY_SECONDS`` (the callers' fall-backs run at once: the outbox waits
for the next delivery run, account mail and codes are sent from the web process), and the
outage is logged once, not per request.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings

from kombu.exceptions import OperationalError

if TYPE_CHECKING:
    from celery import Task

logger = logging.getLogger(__name__)

_lock = threading.Lock()


class _Outage(TypedDict):
    down_since: float | None  # time.monotonic() of the first failure, None while reachable
    retry_at: float  # time.monotonic() after which publishing is tried again


_state: _Outage = {"down_since": None, "retry_at": 0.0}


def retry_seconds() -> float:
    return float(getattr(settings, "CELERY_PUBLISH_RETRY_SECONDS", 10))


def _allowed() -> bool:
    if _state["down_since"] is None:
        return True
    with _lock:
        now = time.monotonic()
        if now < _state["retry_at"]:
            return False
        _state["retry_at"] = now + retry_seconds()
        return True


def publish(task: Task, *args: object, **kwargs: object) -> bool:
    """``task.delay(*args, **kwargs)``; False (never an exception) when the broker is unreachable."""
    if task.app.conf.task_always_eager:
        # No broker in between (dev, tests): what fails here is the task itself, say a mail
        # server that is down. The outbox keeps its rows for the next run; the broker is fine.
        try:
            task.delay(*args, **kwargs)
        except Exception:  # noqa: BLE001 - the caller's fall-back runs, as for a broker outage
            logger.exception("Task %s failed in the web process", task.name)
            return False
        return True
    if not _allowed():
        return False
    try:
        task.delay(*args, **kwargs)
    except (OperationalError, OSError) as error:
        with _lock:
            _state["retry_at"] = time.monotonic() + retry_seconds()
            first = _state["down_since"] is None
            if first:
                _state["down_since"] = time.monotonic()
        if first:
            logger.error(
                "Broker unreachable (%s); not publishing for %ss at a time", type(error).__name__, retry_seconds()
            )
        return False
    if _state["down_since"] is not None:
        with _lock:
            _state["down_since"] = None
        logger.warning("Broker reachable again")
    return True


def reset() -> None:
    """Forgets an outage (tests that switch brokers)."""
    with _lock:
        _state["down_since"] = None
        _state["retry_at"] = 0.0
