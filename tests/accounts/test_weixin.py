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


# --- Inside WeChat: the Official Account's in-app authorization (accounts/weixin.py) ----------

WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 13; V2227A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
    "Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160117 MicroMessenger/8.0.48.2580(0x28003035) WeChat/arm64"
)
WEIXIN_WITH_IN_APP = {
    "weixin": {
        **WEIXIN_CONFIGURED["weixin"],
        "IN_APP": {"APP": {"client_id": "wx-mp-app-id", "secret": "mp-secret"}, "SCOPE": ["snsapi_userinfo"]},
    }
}


def test_inside_wechat_sign_in_uses_the_in_app_authorization_not_the_qr_code(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = WEIXIN_WITH_IN_APP

    location = client.post(reverse("weixin_login"), headers={"user-agent": WECHAT_UA})["Location"]

    assert location.startswith("https://open.weixin.qq.com/connect/oauth2/authorize?")
    assert "appid=wx-mp-app-id" in location and "scope=snsapi_userinfo" in location
    assert location.endswith("#wechat_redirect")


def test_outside_wechat_sign_in_keeps_the_qr_code(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = WEIXIN_WITH_IN_APP

    location = client.post(reverse("weixin_login"), headers={"user-agent": "Mozilla/5.0 Chrome/120"})["Location"]

    assert location.startswith("https://open.weixin.qq.com/connect/qrconnect?")
    assert "appid=wx-demo-app-id" in location and "#wechat_redirect" not in location


def test_inside_wechat_without_an_official_account_the_website_login_is_used(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = WEIXIN_CONFIGURED

    location = client.post(reverse("weixin_login"), headers={"user-agent": WECHAT_UA})["Location"]

    assert location.startswith("https://open.weixin.qq.com/connect/qrconnect?")


class FakeWeChat:
    """WeChat's token and profile endpoints, recording what was asked.

    ``openid`` is the person's id in the app that signs them in (the website app's QR login
    and the Official Account's in-app authorization give one person two different openids);
    ``unionid`` is the same for that person in every app of the open-platform account, and is
    left out of the profile when ``None`` (an app not bound to the open platform).
    """

    def __init__(self, *, openid="openid-mp-1", unionid="union-1", nickname="王奶奶"):
        self.calls: list[tuple[str, dict]] = []
        self.openid, self.unionid, self.nickname = openid, unionid, nickname

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def request(self, method, url, params=None, data=None, **kwargs):
        self.calls.append((url, dict(params or data or {})))
        return self._response({"access_token": "token-1", "expires_in": 7200, "openid": self.openid})

    def get(self, url, params=None, **kwargs):
        self.calls.append((url, dict(params or {})))
        profile = {"openid": self.openid, "nickname": self.nickname}
        if self.unionid is not None:
            profile["unionid"] = self.unionid
        return self._response(profile)

    @staticmethod
    def _response(payload):
        from unittest import mock

        response = mock.Mock(status_code=200)
        response.json.return_value = payload
        return response


def test_the_in_app_callback_exchanges_the_code_with_the_official_accounts_secret_and_reads_the_profile(
    client, settings, monkeypatch
):
    from urllib.parse import parse_qs, urlsplit

    from accounts.adapter import SocialAccountAdapter

    settings.SOCIALACCOUNT_PROVIDERS = WEIXIN_WITH_IN_APP
    wechat = FakeWeChat()
    monkeypatch.setattr(SocialAccountAdapter, "get_requests_session", lambda self: wechat)
    location = client.post(reverse("weixin_login"), headers={"user-agent": WECHAT_UA})["Location"]
    state = parse_qs(urlsplit(location.split("#")[0]).query)["state"][0]

    response = client.get(
        reverse("weixin_callback"), {"code": "code-1", "state": state}, headers={"user-agent": WECHAT_UA}
    )

    assert response.status_code == 302, response.content[:500]
    token_url, token_params = wechat.calls[0]
    assert token_url.endswith("/sns/oauth2/access_token")
    assert token_params["appid"] == "wx-mp-app-id" and token_params["secret"] == "mp-secret"
    profile_url, profile_params = wechat.calls[1]
    assert profile_url.endswith("/sns/userinfo") and profile_params["openid"] == "openid-mp-1"
    # A new WeChat user goes on to sign-up for the phone number every parent gives, as from the QR login.
    assert response["Location"] == reverse("socialaccount_signup")
