"""allauth forms adjusted for Huiai (named in ``ACCOUNT_FORMS``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm


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
