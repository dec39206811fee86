"""Every allauth view answers an empty or garbage post without a server error."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import pytest

from accounts.roles import Role
from tests.factories.accounts import UserFactory, add_totp, sign_in_fully

pytestmark = pytest.mark.django_db

GARBAGE = {
    "login": "\u202e' OR 1=1 --",
    "password": "x" * 300,
    "email": "not-an-email",
    "phone": "１２３abc",
    "code": "<script>alert(1)</script>",
    "key": "../../etc/passwd",
    "password1": "a",
    "password2": "b",
    "oldpassword": "",
    "action": "nonsense",
    "action_remove": "1",
    "action_primary": "1",
    "action_send": "1",
    "next": "https://evil.example/",
    "remember": "maybe",
}


def allauth_paths() -> list[str]:
    """A concrete path for every pattern under ``/accounts/`` (arguments filled with junk)."""
    paths: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern).lstrip("^").rstrip("$")
            route = re.sub(r"<(?:\w+:)?\w+>", "junk-0", route)
            route = re.sub(r"\(\?P<\w+>[^)]*\)", "junk-0", route)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                paths.append("/" + prefix + route)

    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and str(pattern.pattern) == "accounts/":
            walk(pattern.url_patterns, "accounts/")
    return sorted(set(paths))


def test_the_request_login_code_page_says_what_is_missing_when_posted_empty(client):
    response = client.post(reverse("account_request_login_code"), {})

    assert response.status_code == 200
    assert "请输入手机号码或电子邮箱地址。" in response.content.decode()


def test_the_allauth_url_list_is_not_empty():
    paths = allauth_paths()

    assert "/accounts/login/code/" in paths
    assert "/accounts/login/code/confirm/" in paths
    assert len(paths) > 20


@pytest.mark.parametrize("who", ["anonymous", "parent", "staff_password_step", "staff_full"])
def test_no_allauth_view_answers_a_5xx_to_an_empty_or_garbage_post(who):
    client = Client(raise_request_exception=True)
    if who == "parent":
        client.force_login(UserFactory(role=Role.PARENT))
    elif who == "staff_password_step":
        staff = UserFactory(role=Role.DISTRICT_STAFF)
        add_totp(staff)
        client.force_login(staff)
    elif who == "staff_full":
        sign_in_fully(client, UserFactory(role=Role.DISTRICT_STAFF))
    failures = []
    for path in allauth_paths():
        for data in ({}, GARBAGE):
            response = client.post(path, data)
            if response.status_code >= 500:
                failures.append((path, data is GARBAGE, response.status_code))
            response = client.get(path, data)
            if response.status_code >= 500:
                failures.append((path, "GET", response.status_code))
    assert failures == []
