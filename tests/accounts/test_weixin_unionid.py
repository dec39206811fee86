"""One person, one account: the QR sign-in (website app) and the in-app authorization (Official
Account) give the same person two openids but one ``unionid``; the second sign-in joins the
account the first one made (``accounts.weixin.link_by_unionid``). Never on a nickname."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

import pytest
from allauth.socialaccount.models import SocialAccount

from accounts.adapter import SocialAccountAdapter
from accounts.models import User

from .conftest import code_in
from .test_weixin import WECHAT_UA, WEIXIN_WITH_IN_APP, FakeWeChat

pytestmark = pytest.mark.django_db

DESKTOP_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


def wechat_callback(client, monkeypatch, *, user_agent: str, **profile):
    """Signs in with WeChat through allauth's real views, WeChat's endpoints answered by ``profile``."""
    monkeypatch.setattr(SocialAccountAdapter, "get_requests_session", lambda self: FakeWeChat(**profile))
    location = client.post(reverse("weixin_login"), headers={"user-agent": user_agent})["Location"]
    state = parse_qs(urlsplit(location.split("#")[0]).query)["state"][0]
    callback = reverse("weixin_callback")
    return client.get(callback, {"code": "code-1", "state": state}, headers={"user-agent": user_agent})


def sign_up_after_wechat(client, phone: str):
    """The sign-up page a new WeChat user is sent to: the phone number every parent gives,
    verified with the code texted to it."""
    from accounts import sms

    response = client.post(reverse("socialaccount_signup"), {"phone": phone, "privacy_consent": "on"})
    assert response.status_code == 302, response.content[:800]
    if response["Location"] == reverse("account_verify_phone"):
        response = client.post(reverse("account_verify_phone"), {"code": code_in(sms.outbox[-1].body)})
    assert "_auth_user_id" in client.session, "the WeChat sign-up did not end signed in"
    return response


def first_account_by_qr(client, monkeypatch) -> User:
    response = wechat_callback(
        client, monkeypatch, user_agent=DESKTOP_UA, openid="openid-web-1", unionid="union-1", nickname="王奶奶"
    )
    assert response["Location"] == reverse("socialaccount_signup")
    sign_up_after_wechat(client, "13800001111")
    account = SocialAccount.objects.get(provider="weixin", uid="openid-web-1")
    client.logout()
    return account.user


@pytest.fixture
def wechat_configured(settings):
    settings.SOCIALACCOUNT_PROVIDERS = WEIXIN_WITH_IN_APP


def test_signing_in_inside_wechat_after_a_qr_sign_up_opens_the_same_account(client, monkeypatch, wechat_configured):
    person = first_account_by_qr(client, monkeypatch)

    response = wechat_callback(
        client, monkeypatch, user_agent=WECHAT_UA, openid="openid-mp-1", unionid="union-1", nickname="王奶奶"
    )

    assert response.status_code == 302
    assert response["Location"] != reverse("socialaccount_signup"), "sent to sign up a second account"
    assert client.session["_auth_user_id"] == str(person.pk)
    assert User.objects.count() == 1
    in_app = SocialAccount.objects.get(provider="weixin", uid="openid-mp-1")
    assert in_app.user == person and in_app.extra_data["unionid"] == "union-1"

    # And the next in-app sign-in finds that account directly.
    client.logout()
    wechat_callback(client, monkeypatch, user_agent=WECHAT_UA, openid="openid-mp-1", unionid="union-1")
    assert client.session["_auth_user_id"] == str(person.pk)
    assert SocialAccount.objects.filter(user=person).count() == 2


def test_a_qr_sign_in_after_an_in_app_sign_up_opens_the_same_account(client, monkeypatch, wechat_configured):
    response = wechat_callback(client, monkeypatch, user_agent=WECHAT_UA, openid="openid-mp-2", unionid="union-2")
    assert response["Location"] == reverse("socialaccount_signup")
    sign_up_after_wechat(client, "13800002222")
    person = SocialAccount.objects.get(uid="openid-mp-2").user
    client.logout()

    response = wechat_callback(client, monkeypatch, user_agent=DESKTOP_UA, openid="openid-web-2", unionid="union-2")

    assert response["Location"] != reverse("socialaccount_signup")
    assert client.session["_auth_user_id"] == str(person.pk)
    assert SocialAccount.objects.get(uid="openid-web-2").user == person


def test_a_new_person_signing_in_inside_wechat_can_finish_the_sign_up(client, monkeypatch, wechat_configured):
    """The sign-up page reads the pending sign-in back with the Official Account's client_id."""
    wechat_callback(client, monkeypatch, user_agent=WECHAT_UA, openid="openid-mp-9", unionid="union-9")

    assert client.get(reverse("socialaccount_signup"), headers={"user-agent": WECHAT_UA}).status_code == 200
    sign_up_after_wechat(client, "13800009999")

    account = SocialAccount.objects.get(uid="openid-mp-9")
    assert client.session["_auth_user_id"] == str(account.user_id)


def test_the_same_nickname_with_another_unionid_is_another_person(client, monkeypatch, wechat_configured):
    first_account_by_qr(client, monkeypatch)

    response = wechat_callback(
        client, monkeypatch, user_agent=WECHAT_UA, openid="openid-mp-3", unionid="union-3", nickname="王奶奶"
    )

    assert response["Location"] == reverse("socialaccount_signup")
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.filter(uid="openid-mp-3").exists()


def test_without_a_unionid_nothing_is_matched_not_even_on_the_nickname(client, monkeypatch, wechat_configured):
    first_account_by_qr(client, monkeypatch)

    response = wechat_callback(
        client, monkeypatch, user_agent=WECHAT_UA, openid="openid-mp-4", unionid=None, nickname="王奶奶"
    )

    assert response["Location"] == reverse("socialaccount_signup")
    assert "_auth_user_id" not in client.session


def test_an_empty_unionid_matches_nobody(client, monkeypatch, wechat_configured):
    person = first_account_by_qr(client, monkeypatch)
    SocialAccount.objects.filter(user=person).update(extra_data={"openid": "openid-web-1", "unionid": ""})

    response = wechat_callback(client, monkeypatch, user_agent=WECHAT_UA, openid="openid-mp-5", unionid="")

    assert response["Location"] == reverse("socialaccount_signup")
