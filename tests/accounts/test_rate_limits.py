"""Rate limits: base settings keep a number from being flooded with sign-in codes."""

from __future__ import annotations

from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

import pytest
from allauth.account.adapter import DefaultAccountAdapter

from huiai.settings import base
from tests.factories.accounts import UserFactory

from .conftest import in_chinese

TOO_MANY_ATTEMPTS = DefaultAccountAdapter.error_messages["too_many_login_attempts"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def base_rate_limits():
    """The production limits from huiai/settings/base.py, on a clean cache (where counts live)."""
    cache.clear()
    with override_settings(ACCOUNT_RATE_LIMITS=base.ACCOUNT_RATE_LIMITS):
        yield base.ACCOUNT_RATE_LIMITS
    cache.clear()


def request_code(phone: str):
    """A fresh browser each time, as a script flooding a number would be (no session cookie)."""
    return Client().post(reverse("account_request_login_code"), {"phone": phone})


def test_repeated_login_code_requests_for_one_number_are_refused(sms_outbox, base_rate_limits):
    assert "3/m/key" in base_rate_limits["request_login_code"]
    UserFactory(phone="+8613800000000")
    for _attempt in range(3):
        assert request_code("13800000000").status_code == 302

    response = request_code("13800000000")

    assert response.status_code in {200, 429}
    if response.status_code == 200:
        assert response.context["form"].errors["phone"] == [in_chinese(TOO_MANY_ATTEMPTS)]
    assert len(sms_outbox) == 3


def test_login_code_limit_for_one_number_does_not_block_another_number(sms_outbox, base_rate_limits):
    UserFactory(phone="+8613800000000")
    UserFactory(phone="+8613800000001")
    for _attempt in range(4):
        request_code("13800000000")

    assert request_code("13800000001").status_code == 302


def test_test_settings_switch_rate_limits_off(settings):
    assert settings.ACCOUNT_RATE_LIMITS is False
