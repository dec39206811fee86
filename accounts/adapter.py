"""How django-allauth stores phones, sends codes and assigns roles for Huiai.

The allauth configuration (``huiai/settings/base.py``, "django-allauth") and why:

- ``ACCOUNT_SIGNUP_FIELDS = ["phone*", "email", "password1*", "password2*"]``: a mobile number
  is the one thing everybody has. Parents (most of our users) sign up with nothing else; the
  number is verified by an SMS code before the first sign-in (``PHONE_VERIFICATION_ENABLED``),
  which also meets the mainland rule that online accounts are tied to a real mobile number.
  allauth cannot require "phone *or* e-mail", and making both optional would let an account
  exist that nobody can reach.
- ``ACCOUNT_LOGIN_METHODS = {"phone", "email"}`` with ``ACCOUNT_LOGIN_BY_CODE_ENABLED``: a
  parent signs in with the number and an SMS code (or a password); teachers and district
  staff sign in with their work e-mail address and a password or an e-mailed code.
- ``ACCOUNT_EMAIL_VERIFICATION = "optional"``: an e-mail address given at sign-up (or added
  later) is sent a verification link at once, but a parent without e-mail is never blocked.
  "mandatory" would force every parent to have e-mail. Signing in by an e-mailed code also
  verifies the address.
- Failed sign-ins (``ACCOUNT_RATE_LIMITS["login_failed"]``) count per client address and per
  client address *and* account (``_get_login_attempts_cache_key``), never per account alone:
  whoever hammers a district officer's number from their own address only locks themselves
  out, and the officer still signs in from theirs. A password guessed from many addresses still
  does not open any case data: staff must pass the second factor (``accounts.middleware``).
- Every link in mail is built from ``SITE_URL`` (``site_url``), never from the request's Host
  header, which a visitor controls (a forged Host would otherwise put the attacker's domain
  into a password-reset link sent to a real person).
- Accounts without a phone number (staff created in the Wagtail admin, superusers) can still
  sign in: ``PhoneVerificationStage`` below only verifies numbers that exist, where allauth's
  own stage would refuse the sign-in because the sign-up form requires a phone.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from django import forms
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.http import Http404
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from allauth.account import app_settings as account_settings
from allauth.account import stages as allauth_stages
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.fields import PhoneField
from allauth.core.internal.ratelimit import get_ip
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp

from core.clientip import client_address

from . import roles
from .consent import record_privacy_consent
from .models import User
from .tasks import enqueue, send_email_task, send_sms_task

MAINLAND_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
E164 = re.compile(r"^\+[1-9][0-9]{5,14}$")
INVALID_PHONE_MESSAGE = gettext_lazy(
    "This is not a mobile phone number. Enter the 11 digits of your mobile number, for example 13800000000."
)


def normalize_phone(value: str) -> str:
    """Mainland mobile numbers may be typed without +86, with spaces, dashes or a Chinese
    input method's full-width digits (１３８…): store E.164."""
    digits = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", value or ""))
    if digits.startswith("0086"):
        digits = "+86" + digits[4:]
    elif digits.startswith("86") and MAINLAND_MOBILE.match(digits[2:]):
        digits = "+" + digits
    if MAINLAND_MOBILE.match(digits):
        digits = "+86" + digits
    return digits


def validate_phone(value: str) -> str:
    """The E.164 form of ``value``, or a ValidationError a parent understands."""
    phone = normalize_phone(value)
    if not E164.match(phone) or (phone.startswith("+86") and not MAINLAND_MOBILE.match(phone[3:])):
        raise forms.ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone")
    return phone


class MobilePhoneField(PhoneField):
    """allauth's phone field, labelled and hinted for mainland numbers typed without +86."""

    def __init__(self, *args, **kwargs):
        kwargs["validators"] = []  # validate_phone (via adapter.clean_phone) checks the number
        kwargs["label"] = gettext_lazy("Mobile phone number")
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"placeholder": "13800000000", "inputmode": "tel", "autocomplete": "tel"})


class PhoneVerificationStage(allauth_stages.PhoneVerificationStage):
    """Verifies a user's phone number at sign-in, if they have one.

    allauth refuses to sign in a user without a phone when ``phone*`` is a required sign-up
    field. Staff accounts created in the Wagtail admin and superusers may have no phone;
    they sign in with e-mail.
    """

    def handle(self):
        if self.login.user and get_phone_or_none(self.login.user) is None:
            return None, True
        return super().handle()


def site_url(url_or_path: str) -> str:
    """``url_or_path`` on this site's public address (``SITE_URL``), whatever host it named."""
    site, parts = urlsplit(settings.SITE_URL), urlsplit(url_or_path)
    return urlunsplit((site.scheme, site.netloc, parts.path or "/", parts.query, parts.fragment))


def get_phone_or_none(user) -> tuple[str, bool] | None:
    return (user.phone, user.phone_verified) if getattr(user, "phone", None) else None


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # allauth's catalogue says 「错误代码」: the code a parent types is a 验证码.
        "incorrect_code": gettext_lazy("The verification code is not correct. Please check the text message."),
    }

    # --- phone numbers (allauth's five phone methods, plus the form field) -----------------
    def phone_form_field(self, **kwargs):
        return MobilePhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        return validate_phone(phone)

    def set_phone(self, user: User, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        if user.pk:
            user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user: User) -> tuple[str, bool] | None:
        return get_phone_or_none(user)

    def set_phone_verified(self, user: User, phone: str) -> None:
        User.objects.filter(pk=user.pk, phone=phone).update(phone_verified=True)
        user.phone_verified = True

    def get_user_by_phone(self, phone: str) -> User | None:
        # The login form passes the number as typed ("138 0000 0000"), so normalise here too.
        return User.objects.filter(phone=normalize_phone(phone)).first()

    def generate_phone_verification_code(self, *, user, phone: str) -> str:
        return six_digit_code()

    def generate_login_code(self) -> str:
        return six_digit_code()

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        # allauth passes ``reauthentication`` for sign-in codes only; other codes verify a number.
        timeout = (
            account_settings.LOGIN_BY_CODE_TIMEOUT
            if "reauthentication" in kwargs
            else (account_settings.PHONE_VERIFICATION_TIMEOUT)
        )
        body = _("Your Huiai code is %(code)s. It is valid for %(minutes)s minutes. Never tell it to anyone.") % {
            "code": code,
            "minutes": max(1, timeout // 60),
        }
        enqueue(send_sms_task, phone, body)

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        enqueue(send_sms_task, phone, _("Someone asked to sign in to Huiai with this number, but it has no account."))

    def send_account_already_exists_sms(self, phone: str) -> None:
        enqueue(
            send_sms_task,
            phone,
            _("Someone tried to sign up to Huiai with this number, which already has an account."),
        )

    def get_login_stages(self) -> list[str]:
        allauth_stage = "allauth.account.stages.PhoneVerificationStage"
        own_stage = f"{__name__}.PhoneVerificationStage"
        return [own_stage if path == allauth_stage else path for path in super().get_login_stages()]

    # --- the client's address, for allauth's rate limits ----------------------------------
    def get_client_ip(self, request) -> str:
        """The address every limiter of the project counts (core/clientip.py): behind the proxy,
        the X-Forwarded-For entry ``TRUSTED_PROXY_COUNT`` from the right, never the proxy itself
        nor a client-written leftmost value; a malformed header falls back to REMOTE_ADDR
        instead of allauth's error page."""
        return client_address(request) or "0.0.0.0"  # noqa: S104 - only a rate-limit key

    # --- usernames: never shown, never typed -----------------------------------------------
    def populate_username(self, request, user) -> None:
        """Sign-up asks for no username; Django's still needs a unique one.

        A random one, so that the phone number or e-mail address does not leak into it.
        """
        if not user.username:
            user.username = new_username()

    # --- failed sign-ins: per client address, and per client address and account -------------
    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The "key" of allauth's ``login_failed`` limit (read by ``pre_authenticate`` and
        cleared after a password reset): the client address with the login typed, so a
        flood of wrong passwords locks out the flooding address only, never the account."""
        login = str(credentials.get("email", credentials.get("username", "")) or "").lower()
        return f"{get_ip(request)}:{login}"

    # --- links in mail: always on SITE_URL ---------------------------------------------------
    def get_reset_password_from_key_url(self, key: str) -> str:
        return site_url(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return site_url(super().get_email_confirmation_url(request, emailconfirmation))

    # --- mail through Celery ---------------------------------------------------------------
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Renders now (in the visitor's language), sends from a Celery worker.

        The mail names the site as Huiai at ``SITE_URL``, not the host name allauth would take
        from the request (django.contrib.sites is not installed), and every absolute link in
        the context (``activate_url``, ``password_reset_url``, ``signup_url`` …) is moved onto
        ``SITE_URL`` in case an allauth flow built it from the request's Host header.
        """
        context = {
            key: site_url(value) if isinstance(value, str) and value.startswith(("http://", "https://")) else value
            for key, value in context.items()
        }
        site = SimpleNamespace(name=settings.WAGTAIL_SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)
        context = {
            "huiai_site_name": settings.WAGTAIL_SITE_NAME,
            "huiai_site_url": settings.SITE_URL,
            "current_site": site,
            **context,
        }
        message = self.render_mail(template_prefix, email, context)
        html_body: object = None  # the HTML alternative as the message holds it
        if isinstance(message, EmailMultiAlternatives) and message.alternatives:
            html_body = message.alternatives[0][0]
        elif isinstance(message, EmailMessage) and message.content_subtype == "html":
            html_body, message.body = message.body, ""
        enqueue(send_email_task, str(message.subject), message.body, list(message.to), html_body)

    def format_email_subject(self, subject: str) -> str:
        return f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}"

    # --- roles -----------------------------------------------------------------------------
    def save_user(self, request, user, form, commit=True):
        """Everyone who signs up is a parent; other roles are granted by district staff."""
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            roles.add_role(user, roles.Role.PARENT)
            if getattr(form, "cleaned_data", {}).get("privacy_consent"):
                record_privacy_consent(user=user, via="signup")
        return user

    def get_login_redirect_url(self, request):
        if roles.can_access_admin(request.user):
            return "/admin/"
        return super().get_login_redirect_url(request)


class SocialAppNotConfigured(SocialApp.DoesNotExist, Http404):
    """No app for this provider (WeChat without WEIXIN_APP_ID): a 404, not a server error."""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_provider(self, request, provider, client_id=None):
        """Inside WeChat, WeChat sign-in uses the in-app authorization (``accounts/weixin.py``)."""
        if provider == "weixin" and request is not None:
            from .weixin import in_app_provider, in_wechat

            in_app = in_app_provider(request)
            # A sign-in started inside WeChat names its app's client_id when allauth reads it
            # back (the sign-up page after the consent sheet): the Official Account's.
            if in_app is not None and (client_id == in_app.app.client_id or (client_id is None and in_wechat(request))):
                return in_app
        return super().get_provider(request, provider, client_id=client_id)

    def get_app(self, request, provider, client_id=None):
        """The provider's app; a visitor who opens /accounts/weixin/login/ unconfigured gets a 404."""
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist as error:
            raise SocialAppNotConfigured(f"No social app for {provider}") from error

    def pre_social_login(self, request, sociallogin):
        """The QR sign-in and the in-app one of the same person meet in one account (unionid)."""
        from .weixin import link_by_unionid

        link_by_unionid(sociallogin)

    def save_user(self, request, sociallogin, form=None):
        """A WeChat sign-up is a parent's sign-up too."""
        user = super().save_user(request, sociallogin, form)
        roles.add_role(user, roles.Role.PARENT)
        return user


def six_digit_code() -> str:
    """SMS codes in China are six digits: a parent reads them off the lock screen and types
    them on a number pad. Three attempts per code (allauth's default) keep guessing hopeless."""
    return get_random_string(6, allowed_chars="0123456789")


def new_username() -> str:
    """A unique, meaningless username such as ``user-3f9c2a7d1b``."""
    while True:
        username = f"user-{secrets.token_hex(5)}"
        if not User.objects.filter(username=username).exists():
            return username
