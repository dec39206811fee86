"""allauth forms adjusted for Huiai (named in ``ACCOUNT_FORMS``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from allauth.account.forms import ConfirmLoginCodeForm as AllauthConfirmLoginCodeForm
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.forms import VerifyPhoneForm as AllauthVerifyPhoneForm

from core.forms import AccessibleErrorsMixin


class RequestLoginCodeForm(AllauthRequestLoginCodeForm):
    """allauth's "send me a sign-in code" form, which must name a phone number or an e-mail.

    With both phone and e-mail as login methods allauth makes both fields optional, so an
    empty post was valid and its view then failed (500) looking for the user the form never
    looked up. An empty answer is a form error like any other.
    """

    def clean(self):
        cleaned_data = super().clean()
        if not self.errors and not cleaned_data.get("phone") and not cleaned_data.get("email"):
            raise forms.ValidationError(_("Enter your mobile phone number or e-mail address."), code="required")
        return cleaned_data


class SignupForm(AccessibleErrorsMixin, AllauthSignupForm):
    """allauth's sign-up with the privacy notice's consent box, which must be ticked.

    The consent is recorded with its time when the account is saved
    (``AccountAdapter.save_user``, ``accounts.consent``).
    """

    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree to how my information is used."),
        required=True,
        error_messages={"required": _("Please read the privacy notice and tick the box to agree.")},
    )


class VerificationCodeFieldMixin:
    """The six-digit code field: called 验证码, with the phone's number pad and code autofill."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]  # type: ignore[attr-defined]
        field.label = _("Verification code")
        field.widget.attrs.update(
            {
                "placeholder": "",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]*",
                "maxlength": "6",
            }
        )


class ConfirmLoginCodeForm(VerificationCodeFieldMixin, AllauthConfirmLoginCodeForm):
    pass


class VerifyPhoneForm(VerificationCodeFieldMixin, AllauthVerifyPhoneForm):
    pass
