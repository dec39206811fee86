"""How django-allauth stores phones, sends codes and assigns roles for Huiai."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext as _, gettext_lazy

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.fields import PhoneField
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from . import roles
from .models import User
from .tasks import enqueue, send_email_task, send_sms_task

MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalize_phone(value: str) -> str:
    """Mainland mobile numbers may be typed without +86; store everything as E.164."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    if digits.startswith("0086"):
        digits = "+86" + digits[4:]
    if MAINLAND_MOBILE.match(digits):
        digits = "+86" + digits
    return digits


class MobilePhoneField(PhoneField):
    default_error_messages = {
        "invalid_phone": gettext_lazy("Enter an 11-digit mobile number, for example 13800000000."),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [])
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"placeholder": "13800000000", "inputmode": "tel"})
        self.label = gettext_lazy("Mobile phone")

    def clean(self, value):
        value = normalize_phone(value or "")
        value = super().clean(value)
        if value and not re.match(r"^\+[1-9]\d{5,14}$", value):
            raise forms.ValidationError(self.error_messages["invalid_phone"], code="invalid_phone")
        if value and value.startswith("+86") and not MAINLAND_MOBILE.match(value[3:]):
            raise forms.ValidationError(self.error_messages["invalid_phone"], code="invalid_phone")
        return value


class AccountAdapter(DefaultAccountAdapter):
    # --- phone numbers (allauth's five phone methods) -------------------------------------
    def phone_form_field(self, **kwargs):
        return MobilePhoneField(**kwargs)

    def set_phone(self, user: User, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        if user.pk:
            user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user: User) -> tuple[str, bool] | None:
        return (user.phone, user.phone_verified) if user.phone else None

    def set_phone_verified(self, user: User, phone: str) -> None:
        User.objects.filter(pk=user.pk, phone=phone).update(phone_verified=True)
        user.phone_verified = True

    def get_user_by_phone(self, phone: str) -> User | None:
        return User.objects.filter(phone=phone).order_by("-phone_verified", "pk").first()

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        body = _("Your Huiai verification code is %(code)s. It is valid for 15 minutes. Do not share it.") % {
            "code": code
        }
        enqueue(send_sms_task, phone, body)

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        enqueue(send_sms_task, phone, _("Someone asked to sign in to Huiai with this number, but it has no account."))

    def send_account_already_exists_sms(self, phone: str) -> None:
        enqueue(send_sms_task, phone, _("Someone tried to sign up to Huiai with this number, which already has an account."))

    # --- mail through Celery ---------------------------------------------------------------
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        message = self.render_mail(template_prefix, email, context)
        html_body = None
        if isinstance(message, EmailMultiAlternatives) and message.alternatives:
            html_body = message.alternatives[0][0]
        elif isinstance(message, EmailMessage) and message.content_subtype == "html":
            html_body, message.body = message.body, ""
        enqueue(send_email_task, message.subject, message.body, list(message.to), html_body)

    # --- roles -----------------------------------------------------------------------------
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            roles.add_role(user, roles.Role.PARENT)
        return user

    def get_login_redirect_url(self, request):
        if roles.can_access_admin(request.user) and not request.GET.get("next"):
            return "/admin/"
        return super().get_login_redirect_url(request)

    def format_email_subject(self, subject: str) -> str:
        return f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        roles.add_role(user, roles.Role.PARENT)
        return user
