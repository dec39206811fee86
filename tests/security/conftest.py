"""Cross-cutting security tests: an empty SMS outbox for each test."""

from __future__ import annotations

import pytest

from accounts import sms


@pytest.fixture
def sms_outbox():
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
