"""allauth pages render inside the site's layout, in Chinese, with a visible label for every input."""

from __future__ import annotations

from html.parser import HTMLParser

from django.urls import reverse

import pytest

from accounts.roles import Role
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_request_login_code",
    "account_reset_password",
    "account_reset_password_done",
]
SIGNED_IN_PAGES = [
    "account_email",
    "account_change_password",
    "account_change_phone",
    "account_logout",
    "mfa_index",
    "mfa_activate_totp",
    "socialaccount_connections",
    "accounts:mfa_required",
]
NOT_LABELLED = {"hidden", "submit", "button"}


class FormAudit(HTMLParser):
    """Collects inputs (id, type) and the ids that <label for=...> points at."""

    def __init__(self):
        super().__init__()
        self.inputs: list[tuple[str | None, str]] = []
        self.label_targets: set[str] = set()
        self.body_class = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"input", "textarea", "select"}:
            kind = attributes.get("type", "text") if tag == "input" else tag
            if kind not in NOT_LABELLED:
                self.inputs.append((attributes.get("id"), kind))
        elif tag == "label" and attributes.get("for"):
            self.label_targets.add(attributes["for"])
        elif tag == "body":
            self.body_class = attributes.get("class") or ""


def audit(html: str) -> FormAudit:
    parser = FormAudit()
    parser.feed(html)
    return parser


def assert_site_layout_with_labels(response):
    assert response.status_code == 200
    html = response.content.decode()
    page = audit(html)
    assert "auth-page" in page.body_class
    assert "/static/css/accounts.css" in html
    assert '<html lang="zh-Hans">' in html
    unlabelled = [(input_id, kind) for input_id, kind in page.inputs if input_id not in page.label_targets]
    assert unlabelled == [], f"inputs without a visible label: {unlabelled}"


@pytest.mark.parametrize("url_name", ANONYMOUS_PAGES)
def test_public_account_pages_use_the_site_layout_and_label_every_input(client, url_name):
    assert_site_layout_with_labels(client.get(reverse(url_name)))


@pytest.mark.parametrize("url_name", SIGNED_IN_PAGES)
def test_signed_in_account_pages_use_the_site_layout_and_label_every_input(client, url_name):
    client.force_login(UserFactory(role=Role.DISTRICT_STAFF))

    assert_site_layout_with_labels(client.get(reverse(url_name), follow=True))


def test_phone_code_page_after_sign_up_labels_the_code_field(client):
    password = "a-long-family-password"
    client.post(
        reverse("account_signup"),
        {"phone": "13800000000", "password1": password, "password2": password, "privacy_consent": "on"},
    )

    assert_site_layout_with_labels(client.get(reverse("account_verify_phone")))


def test_login_page_is_in_chinese_by_default(client):
    html = client.get(reverse("account_login")).content.decode()

    assert "<title>" in html
    assert "登录" in html


def test_login_page_offers_sign_in_by_sms_code_first(client):
    html = client.get(reverse("account_login")).content.decode()

    assert html.index(reverse("account_request_login_code")) < html.index('name="password"')


def test_phone_field_opens_the_number_keypad_on_a_phone(client):
    html = client.get(reverse("account_signup")).content.decode()

    assert 'type="tel"' in html
    assert 'inputmode="tel"' in html
    assert html.count('type="tel"') == 1


def test_field_errors_are_tied_to_their_inputs(client):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})

    html = response.content.decode()
    assert 'aria-describedby="id_login_error"' in html
    assert 'id="id_login_error"' in html


def test_messages_are_shown_on_account_pages(client):
    password = "a-long-family-password"
    client.post(
        reverse("account_signup"),
        {"phone": "13800000000", "password1": password, "password2": password, "privacy_consent": "on"},
    )

    html = client.get(reverse("account_verify_phone")).content.decode()

    assert '<div class="container" role="status" aria-live="polite">' in html and '<ul class="messages">' in html
