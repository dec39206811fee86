"""A Redis cache that degrades instead of failing when Redis is unreachable.

Django's ``RedisCache`` raises on every call when Redis is down, and everything reads the cache:
Wagtail (site root paths, renditions), allauth's rate limits, our limits and page cache. One
outage then answers every page with a 500 and loses an anonymous report. ``ResilientRedisCache``
keeps the site up:

* a connection error or timeout opens a short circuit breaker (``retry_seconds``, default 5):
  until it closes, calls do not touch the socket at all, so no request waits for a timeout; the
  next call after that probes Redis once, and success closes the breaker;
* while open, reads miss (``get`` → default, ``get_many`` → ``{}``, ``has_key`` → False), writes
  report failure (``set``/``add``/``touch``/``delete`` → False) and ``incr`` raises
  ``CacheUnavailable``: callers built for a cache miss simply rebuild from the database;
* rate-limit keys and use-once markers (``local_prefixes``: allauth's ``allauth:rl:``, ours
  ``rate:``, allauth's used-TOTP-code markers and JWT ids) are kept in this process's memory
  during the outage instead: limits and replay checks become per-process (weaker, but present)
  rather than gone, and allauth, which needs ``add`` to take its limiter lock and to mark a TOTP
  code used, keeps signing people in instead of refusing every sign-in and every second factor;
* the outage is logged once when it starts (ERROR) and once when it ends (WARNING), never per
  call, and ``recovered`` is sent when it ends so stale entries can be dropped
  (``core.page_cache`` replaces its content version: invalidations during the outage were lost);
* ``ping()`` raises when Redis is unreachable: ``/healthz`` reports the cache as down.

Breaker state is per process and per Redis location, shared by all threads.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, NoReturn, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal

import redis

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

# Sent (sender=the backend class, location=...) when Redis answers again after an outage.
recovered = Signal()

DOWN_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)
# Rate-limit counters and use-once markers: an authenticator code marked used (allauth refuses a
# TOTP code whose marker cannot be added, so a degraded add() would lock staff out of MFA during
# the outage) and a social sign-in token's id (replay protection).
DEFAULT_LOCAL_PREFIXES = ("allauth:rl:", "rate:", "allauth.mfa.totp.used", "jwt:")


class CacheUnavailable(Exception):
    """The shared cache cannot be reached (raised by ``incr`` and ``ping`` while it is down)."""


class _Breaker:
    def __init__(self, location: str, retry_seconds: float) -> None:
        self.location = location
        self.retry_seconds = retry_seconds
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.retry_at = 0.0

    @property
    def is_down(self) -> bool:
        return self.down_since is not None

    def allows(self) -> bool:
        """True when a call may touch Redis: closed, or this caller is the one probe after a pause."""
        if self.down_since is None:
            return True
        with self.lock:
            now = time.monotonic()
            if now < self.retry_at:
                return False
            self.retry_at = now + self.retry_seconds  # the other callers keep degrading meanwhile
            return True

    def failed(self, error: BaseException) -> None:
        with self.lock:
            self.retry_at = time.monotonic() + self.retry_seconds
            if self.down_since is not None:
                return
            self.down_since = time.monotonic()
        logger.error(
            "Cache unreachable (%s): serving without it, limits kept in process memory; "
            "retrying every %ss. Logged once per outage.",
            type(error).__name__,
            self.retry_seconds,
        )

    def succeeded(self) -> None:
        if self.down_since is None:
            return
        with self.lock:
            if self.down_since is None:
                return
            lasted = time.monotonic() - self.down_since
            self.down_since = None
        logger.warning("Cache reachable again after %.0f s", lasted)
        recovered.send(sender=ResilientRedisCache, location=self.location)


_breakers: dict[str, _Breaker] = {}
_breakers_lock = threading.Lock()


def _breaker_for(location: str, retry_seconds: float) -> _Breaker:
    with _breakers_lock:
        breaker = _breakers.get(location)
        if breaker is None:
            breaker = _breakers[location] = _Breaker(location, retry_seconds)
        breaker.retry_seconds = retry_seconds
        return breaker


class ResilientRedisCache(RedisCache):
    """``RedisCache`` that degrades on connection errors (see the module docstring).

    Extra ``OPTIONS`` (removed before the rest go to redis-py): ``retry_seconds`` and
    ``local_prefixes``.
    """

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        retry_seconds = float(options.pop("retry_seconds", 5))
        self.local_prefixes = tuple(options.pop("local_prefixes", DEFAULT_LOCAL_PREFIXES))
        params["OPTIONS"] = options
        super().__init__(server, params)
        location = server if isinstance(server, str) else ",".join(server)
        self.breaker = _breaker_for(location, retry_seconds)
        self.local = LocMemCache(f"huiai-degraded:{location}", {"OPTIONS": {"MAX_ENTRIES": 50_000}})

    # --- the one place that talks to Redis ----------------------------------------------
    def _call(
        self,
        name: str,
        args: tuple[Any, ...],
        keys: list[Any] | None,
        degraded: _T | Callable[[], _T],
    ) -> _T:
        """``RedisCache.<name>(*args)``; while Redis is down, the local cache's for local keys,
        else ``degraded`` (called when callable). The caller names the result type."""
        if keys is not None and not keys:  # nothing asked: Django answers without Redis, and
            return degraded() if callable(degraded) else degraded  # that must not close the breaker
        if self.breaker.allows():
            try:
                result: _T = getattr(super(), name)(*args)
            except DOWN_ERRORS as error:
                self.breaker.failed(error)
            else:
                self.breaker.succeeded()
                return result
        if keys and all(str(key).startswith(self.local_prefixes) for key in keys):
            local_result: _T = getattr(self.local, name)(*args)
            return local_result
        return degraded() if callable(degraded) else degraded

    @property
    def is_down(self) -> bool:
        return self.breaker.is_down

    def ping(self) -> None:
        """Raises ``CacheUnavailable`` unless Redis answers now (for health checks)."""
        try:
            client = self._cache.get_client(write=True)  # type: ignore[attr-defined]  # Django's, not in the stubs
            client.ping()
        except DOWN_ERRORS as error:
            self.breaker.failed(error)
            raise CacheUnavailable(type(error).__name__) from error
        self.breaker.succeeded()

    # --- Django's cache API ---------------------------------------------------------------
    # Degraded writes answer False where Redis answers None (``set``, ``delete_many``, ``clear``):
    # "not written", as ``add`` says it; hence the overrides that widen Django's ``-> None``.
    def add(self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call("add", (key, value, timeout, version), [key], False)

    def get(self, key: Any, default: Any | None = None, version: int | None = None) -> Any:
        return self._call("get", (key, default, version), [key], default)

    def set(  # type: ignore[override]  # False when degraded (see above)
        self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool | None:
        return self._call("set", (key, value, timeout, version), [key], False)

    def touch(self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call("touch", (key, timeout, version), [key], False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._call("delete", (key, version), [key], False)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        keys = list(keys)
        return self._call("get_many", (keys, version), keys, dict)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._call("has_key", (key, version), [key], False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        def unavailable() -> NoReturn:
            raise CacheUnavailable("incr while the cache is unreachable")

        return self._call("incr", (key, delta, version), [key], unavailable)

    def set_many(
        self, data: dict[Any, Any], timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        data = dict(data)
        return self._call("set_many", (data, timeout, version), list(data), lambda: list(data))

    def delete_many(  # type: ignore[override]  # False when degraded (see above)
        self, keys: Iterable[Any], version: int | None = None
    ) -> bool | None:
        keys = list(keys)
        return self._call("delete_many", (keys, version), keys, False)

    def clear(self) -> bool | None:  # type: ignore[override]  # False when degraded (see above)
        return self._call("clear", (), None, False)
