"""core.cache.ResilientRedisCache: a down or hung Redis degrades, quickly, and is logged once."""

from __future__ import annotations

import logging
import time

import pytest

from core import cache as core_cache
from core import ratelimit
from core.cache import CacheUnavailable, ResilientRedisCache
from tests.conftest import closed_port, hung_server, own_redis


def backend(port: int, *, retry: float = 60.0, timeout: float = 0.3) -> ResilientRedisCache:
    location = f"redis://127.0.0.1:{port}/0"
    core_cache._breakers.pop(location, None)  # each test starts with a closed breaker
    return ResilientRedisCache(
        location,
        {
            "KEY_PREFIX": "t",
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout, "retry_seconds": retry},
        },
    )


def test_a_refused_connection_reads_as_a_miss_and_writes_as_a_failure():
    cache = backend(closed_port())

    assert cache.get("k", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set("k", 1) is False and cache.add("k", 1) is False and cache.delete("k") is False
    assert cache.has_key("k") is False
    with pytest.raises(CacheUnavailable):
        cache.incr("k")
    with pytest.raises(CacheUnavailable):
        cache.ping()
    assert cache.is_down


def test_a_hung_redis_costs_one_timeout_then_nothing_until_the_retry(caplog):
    caplog.set_level(logging.WARNING, logger="core.cache")
    with hung_server() as port:
        cache = backend(port, timeout=0.5)
        started = time.monotonic()
        assert cache.get("k") is None
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(200):
            cache.get("k")
            cache.set("k", 1)
        rest = time.monotonic() - started

    assert first >= 0.4
    assert rest < 0.5, f"200 calls took {rest:.2f}s: the breaker did not skip the socket"
    errors = [r for r in caplog.records if r.name == "core.cache" and r.levelno == logging.ERROR]
    assert len(errors) == 1


def test_rate_limit_keys_are_counted_in_process_memory_while_down():
    cache = backend(closed_port())
    key = f"{ratelimit.PREFIX}test:who:1"

    assert cache.add(key, 0, timeout=60) is True
    assert [cache.incr(key) for _ in range(3)] == [1, 2, 3]
    assert cache.get(key) == 3
    # allauth takes its lock with add() and keeps its history under allauth:rl:
    assert cache.add("allauth:rl:lock", True, timeout=10) is True
    assert cache.add("allauth:rl:lock", True, timeout=10) is False


def test_our_limiter_keeps_limiting_while_redis_is_down(settings, rf):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }
    request = rf.post("/", REMOTE_ADDR="203.0.113.5")

    assert [ratelimit.hit(request, "outage-test", 2) for _ in range(4)] == [False, False, True, True]


def test_recovery_closes_the_breaker_logs_it_and_sends_recovered(caplog):
    received = []

    def listener(sender, location, **kwargs):
        received.append(location)

    core_cache.recovered.connect(listener)
    caplog.set_level(logging.WARNING, logger="core.cache")
    try:
        with own_redis() as server:
            cache = backend(server.port, retry=0.2)
            assert cache.set("k", "v") is None and cache.get("k") == "v"
            server.stop()
            assert cache.get("k") is None and cache.is_down
            server.start()
            assert cache.get("k") is None  # within the pause: not even tried
            time.sleep(0.3)
            assert cache.set("k", "back") is None and cache.get("k") == "back"
            assert not cache.is_down
    finally:
        core_cache.recovered.disconnect(listener)

    assert received == [f"redis://127.0.0.1:{server.port}/0"]
    messages = [r.getMessage() for r in caplog.records if r.name == "core.cache"]
    assert len(messages) == 2 and "unreachable" in messages[0] and "reachable again" in messages[1]


@pytest.mark.django_db
def test_a_hung_broker_delays_one_request_not_every_request(celery_broker, settings, caplog, sms_outbox):
    """After one failed publish, requests skip the broker for a while (core/broker.py)."""
    from accounts.tasks import enqueue, send_sms_task
    from core import broker

    caplog.set_level(logging.WARNING, logger="core.broker")
    with hung_server() as port:
        celery_broker(f"redis://127.0.0.1:{port}/0", eager=False)
        settings.CELERY_PUBLISH_RETRY_SECONDS = 60
        started = time.monotonic()
        enqueue(send_sms_task, "+8613800000000", "one")
        first = time.monotonic() - started
        started = time.monotonic()
        for index in range(5):
            enqueue(send_sms_task, "+8613800000000", f"more {index}")
        rest = time.monotonic() - started
        assert broker.publish(send_sms_task, "+8613800000000", "skipped") is False

    assert len(sms_outbox) == 6  # every message still sent, from the web process
    assert rest < 1.0, f"five more publishes took {rest:.2f}s (first {first:.2f}s)"
    assert len([r for r in caplog.records if r.name == "core.broker" and r.levelno == logging.ERROR]) == 1


@pytest.mark.django_db
def test_the_second_factor_still_works_once_per_code_while_redis_is_down(settings):
    """allauth marks a TOTP code used with cache.add(); a degraded add() must not refuse every code."""
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

    from tests.factories.accounts import TOTP_SECRET, UserFactory, add_totp

    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }
    authenticator = add_totp(UserFactory())
    code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))

    assert TOTP(authenticator).validate_code(code) is True
    assert TOTP(authenticator).validate_code(code) is False  # replay refused, in this process
