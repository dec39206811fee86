"""The registration form on an event page: what a parent types, checked on the server."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.adapter import validate_phone
from alliance.models import EventRegistration
from core.forms import AccessibleErrorsMixin


class RegistrationForm(AccessibleErrorsMixin, forms.Form):
    """Name, mobile number (any way a parent types it), optional e-mail and school, and consent.

    The number is stored in E.164 (``accounts.adapter.validate_phone``), so 138 0000 0000,
    +86 138… and full-width digits are one and the same registration. Whether a seat is
    left is decided by ``alliance.services.register``, not here.
    """

    name = forms.CharField(
        label=_("Your name"),
        max_length=50,
        error_messages={"required": _("Please enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone number"),
        max_length=30,
        help_text=_("We send the confirmation to this number by text message."),
        error_messages={"required": _("Please enter your mobile phone number.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "placeholder": "13800000000"}),
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_("If you give one, the confirmation is e-mailed to you as well."),
        error_messages={"invalid": _("This e-mail address does not look right. Please check it.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label=_("School or organisation (optional)"),
        max_length=100,
        required=False,
        help_text=_("For example your child's school, or the school you teach at."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    consent = forms.BooleanField(
        label=_("The organisers may use my name and mobile number to contact me about this event."),
        error_messages={"required": _("Please agree, so that the organisers can reach you about the event.")},
    )

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter your name."), code="required")
        return name

    def clean_phone(self) -> str:
        phone = validate_phone(self.cleaned_data["phone"])
        if (
            self.event is not None
            and EventRegistration.objects.filter(event=self.event, phone=phone, cancelled=False).exists()
        ):
            raise forms.ValidationError(_("This mobile number is already registered for this event."), code="duplicate")
        return phone

    @classmethod
    def initial_for(cls, user) -> dict:
        if not getattr(user, "is_authenticated", False):
            return {}
        phone = (user.phone or "").removeprefix("+86")
        return {"name": getattr(user, "name", "") or user.get_full_name(), "phone": phone, "email": user.email}
