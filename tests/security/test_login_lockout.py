"""Failed sign-ins stop guessing without letting an outsider lock staff out.

allauth's ``login_failed`` limit used to count per login typed (``5/5m/key``): anyone hammering
a district officer's phone number locked that officer out during an incident. The key is now
the client address with the login, next to a per-address limit.
"""

from __future__ import annotations

from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

import pytest

from accounts.roles import Role
from huiai.settings import base
from tests.factories.accounts import PASSWORD, UserFactory, add_totp

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
OFFICER_ADDRESS = "198.51.100.7"


@pytest.fixture
def production_limits():
    cache.clear()
    with override_settings(ACCOUNT_RATE_LIMITS=base.ACCOUNT_RATE_LIMITS):
        yield
    cache.clear()


@pytest.fixture
def staff():
    user = UserFactory(role=Role.DISTRICT_STAFF, email="duty@district.example", phone="+8613900000001")
    add_totp(user)
    return user


def sign_in(client: Client, login: str, password: str):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def password_step_passed(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")


@pytest.mark.parametrize("login", ["duty@district.example", "13900000001"])
def test_forty_wrong_passwords_then_the_right_one_from_the_attackers_address_is_refused(
    production_limits, staff, login
):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _attempt in range(40):
        assert not password_step_passed(sign_in(attacker, login, "wrong-password-123"))

    assert not password_step_passed(sign_in(attacker, login, PASSWORD))


@pytest.mark.parametrize("login", ["duty@district.example", "13900000001"])
def test_the_real_officer_still_signs_in_from_another_address_during_the_flood(production_limits, staff, login):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _attempt in range(40):
        sign_in(attacker, login, "wrong-password-123")

    assert password_step_passed(sign_in(Client(REMOTE_ADDR=OFFICER_ADDRESS), login, PASSWORD))


def test_one_address_trying_many_accounts_is_stopped_per_address(production_limits, staff):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for number in range(12):
        sign_in(attacker, f"someone{number}@district.example", "wrong-password-123")

    assert not password_step_passed(sign_in(attacker, "duty@district.example", PASSWORD))
    assert password_step_passed(sign_in(Client(REMOTE_ADDR=OFFICER_ADDRESS), "duty@district.example", PASSWORD))


def test_a_few_slow_guesses_at_one_account_from_one_address_are_stopped(production_limits, staff):
    """Per address and account: 5 failures in 5 minutes, even below the per-address rate."""
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _attempt in range(5):
        sign_in(attacker, "duty@district.example", "wrong-password-123")

    response = sign_in(attacker, "duty@district.example", PASSWORD)

    assert not password_step_passed(response)
