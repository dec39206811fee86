"""The anonymous channel's public forms: the report a child or a bystander files without an account,
and the receipt code that opens it again. The case forms are in ``schools/forms.py``."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleErrorsMixin, PlausibleDateField

from . import attachments, receipts
from .models import (
    AnonymousReceipt,
    BullyingType,
    Injury,
    Place,
    School,
)

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class AnonymousReportForm(AccessibleErrorsMixin, forms.Form):
    """The public form: the minimum needed to act, nothing that identifies the reporter.

    Only the school and a few words about what happened are required (「有人欺负我」 is enough);
    every other question may be skipped. The page asks one question per screen
    (``templates/schools/anonymous_report.html``, ``static/js/schools/guided-flow.js``); without
    JavaScript it is one page. ``STEPS`` is the order of the screens.
    """

    school = forms.ModelChoiceField(
        label=_("Which school is it about?"),
        queryset=School.objects.order_by("name"),
        empty_label=_("Choose a school"),
        error_messages={"required": _("Choose the school it is about."), "invalid_choice": _("Choose a school.")},
    )
    narrative = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("A few words are enough, for example 「有人欺负我」. You do not have to give your name."),
        error_messages={
            "required": _("Tell us what happened. A few words are enough."),
            "max_length": _("Please keep it under %(limit_value)d characters (it has %(show_value)d)."),
        },
    )
    bullying_types = forms.MultipleChoiceField(
        label=_("What kind of bullying? (tick all that apply)"),
        choices=BullyingType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    injury = forms.ChoiceField(
        label=_("Was anyone hurt?"), choices=Injury.choices, required=False, widget=forms.RadioSelect
    )
    involves_sexual_harm = forms.BooleanField(label=_("It involved touching or sexual harm"), required=False)
    incident_date = PlausibleDateField(
        label=_("When did it happen? (if you know)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2026-03-01, or leave it empty.")},
    )
    place = forms.ChoiceField(
        label=_("Where did it happen?"), choices=Place.choices, required=False, widget=forms.RadioSelect
    )
    reporter_kind = forms.ChoiceField(
        label=_("Who are you? (optional)"),
        choices=AnonymousReceipt.ReporterKind.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    contact = forms.CharField(
        label=_("How can we reach you? (optional)"),
        required=False,
        max_length=200,
        help_text=_("Only if you want the district centre to contact you. Leave it empty to stay anonymous."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    attachment = forms.FileField(
        label=_("A photo, screenshot or PDF (optional)"),
        required=False,
        help_text=_(
            "JPEG, PNG, WebP or PDF, at most 10 MB. Location and camera details are removed from photos; "
            "GIF and BMP are not accepted."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )

    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    # The screens of the guided flow, in order: a name and the questions on it (the first one is
    # the screen's heading). A last screen says who will read the report and sends it.
    STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("school", ("school",)),
        ("what", ("narrative",)),
        ("kind", ("bullying_types",)),
        ("hurt", ("injury", "involves_sexual_harm")),
        ("when", ("incident_date",)),
        ("where", ("place",)),
        ("who", ("reporter_kind",)),
        ("contact", ("contact",)),
        ("picture", ("attachment",)),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", receipts.new_submission_key())

    def steps(self) -> list[dict]:
        """The screens with their bound fields, for the template."""
        return [
            {"name": name, "fields": [self[field] for field in fields], "required": self.fields[fields[0]].required}
            for name, fields in self.STEPS
        ]

    def clean_submission_key(self):
        """The form's one-time key; a missing or odd one never refuses a report (it only loses dedup)."""
        value = self.cleaned_data.get("submission_key", "")
        return value if receipts.SUBMISSION_KEY_PATTERN.fullmatch(value) else ""

    def clean_incident_date(self):
        value = self.cleaned_data.get("incident_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean_narrative(self):
        value = self.cleaned_data["narrative"].strip()
        if not value:  # only spaces
            raise forms.ValidationError(self.fields["narrative"].error_messages["required"], code="required")
        return value

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        return attachments.check_upload(upload) if upload else None


class ReceiptLookupForm(AccessibleErrorsMixin, forms.Form):
    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=40,
        help_text=_("The code you got when you sent the report, for example ABC-DEF-GHJ-KLM-NPQ-RST-UVW."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
