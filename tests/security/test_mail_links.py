"""Links in mail are built from SITE_URL, never from the Host header a visitor sends."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

import pytest

from accounts.roles import Role
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://huiai.example.cn"
FORGED = "evil.example"


@pytest.fixture(autouse=True)
def forged_host_allowed(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["*"]
    mail.outbox.clear()


def links(message) -> list[str]:
    bodies = [message.body] + [content for content, _type in getattr(message, "alternatives", [])]
    return [url for body in bodies for url in re.findall(r"https?://[^\s\"'<>]+", body)]


def assert_only_site_links(message):
    found = links(message)
    assert found, message.body
    for url in found:
        assert url == SITE or url.startswith(SITE + "/"), url
    assert FORGED not in message.body


def test_a_password_reset_link_starts_with_site_url_whatever_the_host(client):
    UserFactory(role=Role.DISTRICT_STAFF, email="duty@district.example")

    response = client.post(reverse("account_reset_password"), {"email": "duty@district.example"}, HTTP_HOST=FORGED)

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert_only_site_links(mail.outbox[0])
    assert any("/accounts/password/reset/key/" in url for url in links(mail.outbox[0]))


def test_the_mail_to_an_unknown_address_links_to_site_url_too(client):
    client.post(reverse("account_reset_password"), {"email": "nobody@district.example"}, HTTP_HOST=FORGED)

    assert len(mail.outbox) == 1
    assert_only_site_links(mail.outbox[0])


def test_an_email_confirmation_link_starts_with_site_url_whatever_the_host(client):
    parent = UserFactory(role=Role.PARENT)
    client.force_login(parent)

    client.post(reverse("account_email"), {"action_add": "", "email": "new@family.example"}, HTTP_HOST=FORGED)

    assert len(mail.outbox) == 1
    assert_only_site_links(mail.outbox[0])
    assert any("/accounts/confirm-email/" in url for url in links(mail.outbox[0]))
