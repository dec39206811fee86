"""Autouse fixtures that empty what one test could leave for the next: the SMS outbox and the
cache (where rate-limit counts live). A folder's conftest opts in by importing them:
``from tests.isolation import empty_cache, sms_outbox  # noqa: F401``."""

from __future__ import annotations

import pytest

from accounts import sms


@pytest.fixture(autouse=True)
def sms_outbox():
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters live in the (locmem) cache: start every test with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
