"""One client address for every limiter (core/clientip.py), from a trusted-proxy count.

Behind the TLS proxy REMOTE_ADDR is the proxy for everyone: a limit keyed on it shuts a form for
the whole country. The client is the X-Forwarded-For entry TRUSTED_PROXY_COUNT from the right;
what a client writes to the left of it is never believed.
"""

from __future__ import annotations

from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

import pytest
from allauth.account.adapter import get_adapter
from allauth.core.internal import ratelimit as allauth_ratelimit

from core import ratelimit
from core.clientip import client_address, client_network
from huiai.settings import base
from tests.factories.accounts import UserFactory

PROXY = "10.0.0.2"


def request(remote=PROXY, xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().post("/", **extra)


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def test_base_settings_read_the_proxy_count_from_the_environment_and_allauth_agrees():
    assert base.TRUSTED_PROXY_COUNT == 0  # no proxy unless the deployment says so
    assert base.ALLAUTH_TRUSTED_PROXY_COUNT == base.TRUSTED_PROXY_COUNT
    source = (base.PROJECT_DIR / "settings" / "base.py").read_text()
    assert 'os.environ.get("TRUSTED_PROXY_COUNT"' in source


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_trusted_proxy_the_header_is_ignored():
    assert client_address(request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize(
    ("xff", "expected"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("1.2.3.4, 203.0.113.9", "203.0.113.9"),  # spoofed leftmost entry: ignored
        ("1.2.3.4,5.6.7.8 , 203.0.113.9", "203.0.113.9"),
        ("2001:db8::1", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("203.0.113.9:5555", "203.0.113.9"),
        ("not-an-address", PROXY),  # garbage: the connecting address
        ("", PROXY),
        ("1.2.3.4, ", PROXY),
        ("1.2.3.4, \x00", PROXY),
    ],
)
def test_behind_one_proxy_the_rightmost_entry_is_the_client(xff, expected):
    assert client_address(request(PROXY, xff)) == expected


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client():
    assert client_address(request(PROXY, "6.6.6.6, 203.0.113.9, 10.0.0.1")) == "203.0.113.9"
    assert client_address(request(PROXY, "203.0.113.9")) == PROXY  # too few hops: not believed


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_ipv6_clients_are_counted_by_their_slash_64():
    assert client_network(request(PROXY, "2001:db8:1:2::1")) == client_network(request(PROXY, "2001:db8:1:2::ffff"))
    assert client_network(request(PROXY, "2001:db8:1:2::1")) != client_network(request(PROXY, "2001:db8:1:3::1"))


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_allauth_counts_the_same_client_and_survives_a_malformed_header():
    adapter = get_adapter()
    assert adapter.get_client_ip(request(PROXY, "1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    # allauth's own parser raises ImproperlyConfigured (a 500) here; ours answers the proxy.
    assert adapter.get_client_ip(request(PROXY, "")) == PROXY
    assert allauth_ratelimit.get_ip(request(PROXY, "6.6.6.6, 203.0.113.9")) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_our_limiter_keys_on_the_client_not_the_proxy():
    first, second = request(PROXY, "203.0.113.1"), request(PROXY, "203.0.113.2")
    assert ratelimit.client(first) != ratelimit.client(second)
    assert ratelimit.client(first) == ratelimit.client(request("10.0.0.3", "9.9.9.9, 203.0.113.1"))
    assert "203.0.113.1" not in ratelimit.client(first)


# --- allauth's sign-in limit, through the proxy ------------------------------------------------


def login(xff, password="wrong-password"):
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=xff).post(
        reverse("account_login"), {"login": "someone@example.com", "password": password}
    )


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1, ALLAUTH_TRUSTED_PROXY_COUNT=1, ACCOUNT_RATE_LIMITS={"login": "3/m/ip"})
def test_two_visitors_behind_the_proxy_have_separate_sign_in_limits_and_spoofing_does_not_evade():
    UserFactory(email="someone@example.com")
    for _attempt in range(3):
        assert login("203.0.113.1").status_code == 200  # form with an error, not limited yet
    assert login("203.0.113.1").status_code == 429
    # A different client sharing the proxy is not affected...
    assert login("203.0.113.2").status_code == 200
    # ...and the limited client cannot get out by writing its own X-Forwarded-For entry.
    assert login("198.51.100.99, 203.0.113.1").status_code == 429


@pytest.mark.parametrize(("given", "starts"), [(None, False), ("1", True)])
def test_production_refuses_to_start_without_a_stated_proxy_count(given, starts):
    import os
    import subprocess
    import sys

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"TRUSTED_PROXY_COUNT", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="huiai.settings.production",
        SECRET_KEY="x" * 50,
        REDIS_URL="redis://127.0.0.1:1/0",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
        SMS_BACKEND="accounts.sms.HTTPGatewaySMSBackend",
        SCHOOLS_ENCRYPTION_KEYS="aHVpYWktZGV2LW9ubHkta2V5LW5vdC1hLXNlY3JldCE=",
        BACKUP_PASSPHRASE="x" * 32,
        GUIDANCE_SIGNING_KEY="ab" * 32,
    )
    if given is not None:
        env["TRUSTED_PROXY_COUNT"] = given
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=base.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode == 0) is starts, result.stderr[-2000:]
    if not starts:
        assert "TRUSTED_PROXY_COUNT must be set" in result.stderr
