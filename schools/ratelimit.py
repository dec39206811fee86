"""Fixed-window rate limits for the public (anonymous) report pages.

The client is identified by a salted hash of its address, kept only in the cache for the
window's length and never written to the database, so reports stay untraceable.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def _client_key(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:24]


def hit(request, scope: str, limit: int) -> bool:
    """Counts one attempt; True when the client is over ``limit`` in the current hour."""
    window = int(time.time() // WINDOW_SECONDS)
    key = f"schools:rate:{scope}:{_client_key(request)}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count > limit
