"""Fixed-window counters for every limit the project sets itself (allauth keeps its own).

Who is counted is a string: ``client(request)`` (the address from ``core.clientip``, hashed with
the secret key), ``user(u)``, or any other key a caller builds with ``key(...)``. Counts live
only in the default cache for the window's length and are never written to the database, so
anonymous reporters stay untraceable.

Callers count what they mean to limit — usually failures only (a wrong code, an invalid form),
so that what others do wrong never refuses what someone does right. When the shared cache
cannot be reached the limits degrade rather than fail: ``core.cache.ResilientRedisCache`` keeps
the ``rate:`` keys in the process's own memory during an outage, and with any other backend an
error is logged and counts as zero (the request goes through).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

from .clientip import client_network

logger = logging.getLogger(__name__)

HOUR = 60 * 60
PREFIX = "rate:"


def key(*parts: object) -> str:
    """A short salted hash of ``parts``: the cache never holds an address or an id in clear."""
    raw = ":".join(str(part) for part in parts)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{raw}".encode()).hexdigest()[:24]


def client(request: HttpRequest) -> str:
    return "c" + key("client", client_network(request))


def user(account: AbstractBaseUser) -> str:
    return "u" + key("user", account.pk)


def _cache_key(scope: str, who: str, window: int) -> str:
    return f"{PREFIX}{scope}:{who}:{int(time.time() // window)}"


def count(scope: str, who: str, *, window: int = HOUR) -> int:
    """How many times ``who`` was counted for ``scope`` in the current window."""
    try:
        return int(cache.get(_cache_key(scope, who, window), 0) or 0)
    except Exception:  # noqa: BLE001 - a limit must never turn into an error page
        logger.warning("Rate limit %s: cache unreadable, not limiting", scope, exc_info=True)
        return 0


def add(scope: str, who: str, *, window: int = HOUR) -> int:
    """Counts one more for ``who``; returns the new count (0 when the cache is unavailable)."""
    cache_key = _cache_key(scope, who, window)
    try:
        cache.add(cache_key, 0, timeout=window)
        try:
            return int(cache.incr(cache_key))
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=window)
            return 1
    except Exception:  # noqa: BLE001 - a limit must never turn into an error page
        logger.warning("Rate limit %s: cache unwritable, not counting", scope, exc_info=True)
        return 0


def over(scope: str, whos: str | Iterable[str], limit: int, *, window: int = HOUR) -> bool:
    """True when any of ``whos`` (one key or several) has been counted ``limit`` times or more."""
    if isinstance(whos, str):
        whos = [whos]
    return any(count(scope, who, window=window) >= limit for who in whos)


def hit(request: HttpRequest, scope: str, limit: int, *, window: int = HOUR) -> bool:
    """Counts one attempt by this client; True when it is over ``limit`` in the window."""
    return add(scope, client(request), window=window) > limit
