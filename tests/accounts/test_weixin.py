"""The WeChat button shows only when WEIXIN_APP_ID/WEIXIN_APP_SECRET configure the provider."""

from __future__ import annotations

from django.urls import reverse

import pytest

pytestmark = pytest.mark.django_db

WEIXIN_CONFIGURED = {
    "weixin": {"APP": {"client_id": "wx-demo-app-id", "secret": "demo-secret"}, "SCOPE": ["snsapi_login"]}
}


def test_login_page_has_no_wechat_button_when_wechat_is_not_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}

    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    assert "auth-button--wechat" not in response.content.decode()
    assert reverse("weixin_login") not in response.content.decode()


def test_signup_page_renders_without_wechat_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}

    assert client.get(reverse("account_signup")).status_code == 200


def test_login_page_shows_a_wechat_button_when_wechat_is_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = WEIXIN_CONFIGURED

    html = client.get(reverse("account_login")).content.decode()

    assert "auth-button--wechat" in html
    assert reverse("weixin_login") in html
    assert "Sign in with WeChat" in html or "微信" in html


def test_wechat_login_start_redirects_to_wechat_when_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = WEIXIN_CONFIGURED

    response = client.post(reverse("weixin_login"))

    assert response.status_code == 302
    assert response["Location"].startswith("https://open.weixin.qq.com/")
    assert "appid=wx-demo-app-id" in response["Location"]


def test_wechat_login_url_does_not_error_when_wechat_is_not_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}

    response = client.post(reverse("weixin_login"))

    assert response.status_code == 404
