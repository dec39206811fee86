"""Fixtures for cross-cutting security tests: a clean cache (rate-limit counts live there)."""

from __future__ import annotations

import pytest

from accounts import sms


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def sms_outbox():
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def totp_code(secret: str) -> str:
    """The current code of the authenticator app holding ``secret`` (as allauth checks it)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))
