"""Signing in with WeChat from inside WeChat: its in-app OAuth2 authorization, not the QR code.

allauth's ``weixin`` provider (configured in ``huiai/settings/base.py``) signs in with WeChat's
website login: ``open.weixin.qq.com/connect/qrconnect`` with the ``snsapi_login`` scope shows a
QR code to scan with the phone. Inside WeChat's own browser (a link opened from a chat, whose
user agent says ``MicroMessenger``) there is nothing to scan it with, so that flow fails there.
WeChat's answer is the Official Account's web authorization: ``connect/oauth2/authorize`` with
``snsapi_userinfo`` (or ``snsapi_base``), ending in ``#wechat_redirect``, which WeChat shows as
its own consent sheet; the code it returns is exchanged at the same ``sns/oauth2/access_token``
and the profile read at the same ``sns/userinfo`` as the website login.

allauth's provider takes its authorization address and scope from settings, one value for
every request, and its client builds the address without the fragment; so the one piece of
code here is a provider and client that take the in-app values, chosen per request by
``accounts.adapter.SocialAccountAdapter.get_provider`` when the user agent is WeChat's and an
Official Account app is configured (``WEIXIN_MP_APP_ID`` / ``WEIXIN_MP_APP_SECRET``, kept in
``SOCIALACCOUNT_PROVIDERS["weixin"]["IN_APP"]``). Everything else (state, callback, account
creation, the parent role) is allauth's and the adapter's as for the website login.

The Official Account and the website app each give a person a different ``openid``, which
allauth keeps as the account's uid, so a person who signed up with the QR code and later signs
in inside WeChat (or the other way round) would be sent to sign up a second time. Both apps
belong to one WeChat open-platform account, and WeChat's profile then carries the person's
``unionid``, the same in both: ``link_by_unionid`` (called by the adapter's
``pre_social_login``) joins the second sign-in to the account of the first. Only the
``unionid`` that WeChat's server answered is compared, never a nickname or a picture, which
anyone may share or copy; a profile without one (an app not bound to the open platform)
matches nobody.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from allauth.socialaccount.models import SocialAccount, SocialApp
from allauth.socialaccount.providers.weixin.client import WeixinOAuth2Client
from allauth.socialaccount.providers.weixin.provider import WeixinProvider
from allauth.socialaccount.providers.weixin.views import WeixinOAuth2Adapter

IN_APP_AUTHORIZE_URL = "https://open.weixin.qq.com/connect/oauth2/authorize"
IN_APP_DEFAULT_SCOPE = ["snsapi_userinfo"]


def in_wechat(request: HttpRequest) -> bool:
    """Whether the page was opened in WeChat's in-app browser (X5/XWEB, iOS or Windows)."""
    return "micromessenger" in request.headers.get("User-Agent", "").lower()


def in_app_settings() -> dict:
    provider: dict = settings.SOCIALACCOUNT_PROVIDERS.get("weixin", {})
    return provider.get("IN_APP") or {}


class WeixinInAppClient(WeixinOAuth2Client):
    def get_redirect_url(self, authorization_url, scope, extra_params):
        # WeChat requires the fragment; without it the consent sheet is not shown.
        return super().get_redirect_url(authorization_url, scope, extra_params) + "#wechat_redirect"


class WeixinInAppOAuth2Adapter(WeixinOAuth2Adapter):
    client_class = WeixinInAppClient

    @property
    def authorize_url(self):
        return in_app_settings().get("AUTHORIZE_URL", IN_APP_AUTHORIZE_URL)


class WeixinInAppProvider(WeixinProvider):
    """The ``weixin`` provider as seen from inside WeChat (same id: same accounts table rows)."""

    oauth2_adapter_class = WeixinInAppOAuth2Adapter

    def get_scope(self):
        return list(in_app_settings().get("SCOPE", IN_APP_DEFAULT_SCOPE))

    def get_auth_params(self):
        return {}


def in_app_provider(request: HttpRequest) -> WeixinInAppProvider | None:
    """The in-app provider with the Official Account's app, or None when none is configured."""
    app = in_app_settings().get("APP")
    if not app or not app.get("client_id") or not app.get("secret"):
        return None
    social_app = SocialApp(provider="weixin", name="WeChat Official Account", **app)
    return WeixinInAppProvider(request, app=social_app)


def unionid_of(extra_data: object) -> str:
    """The ``unionid`` of a WeChat profile, or "" when it has none."""
    value = extra_data.get("unionid") if isinstance(extra_data, dict) else None
    return value.strip() if isinstance(value, str) else ""


def link_by_unionid(sociallogin) -> bool:
    """Joins a WeChat sign-in with a new openid to the account that has its ``unionid``.

    Called before allauth decides between signing in and signing up; returns whether the
    sign-in now belongs to an existing account (its new openid is kept as a second WeChat
    account of the same user, so the next sign-in from that app finds it directly).
    """
    account = sociallogin.account
    if sociallogin.is_existing or account.provider != WeixinProvider.id:
        return False
    unionid = unionid_of(account.extra_data)
    if not unionid:
        return False
    known = (
        SocialAccount.objects.filter(provider=WeixinProvider.id, extra_data__unionid=unionid)
        .exclude(uid=account.uid)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if known is None:
        return False
    account.user = known.user
    account.save()
    sociallogin.user = known.user
    return True
