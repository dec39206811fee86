"""Forms for the report and the case steps. They validate input; the rules live in services."""

from __future__ import annotations

import datetime

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import AccessibleErrorsMixin, PlausibleDateField, PlausibleDateTimeField

from . import attachments, receipts
from .models import (
    BullyingReport,
    BullyingType,
    CommitteeRole,
    Determination,
    InvolvedStudent,
    Measure,
    School,
    SchoolMembership,
    SharedPart,
)

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
YES_NO = [("True", _("Yes")), ("False", _("No"))]


def _yes_no(label, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "True",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=help_text,
    )


def _moment(label):
    return PlausibleDateTimeField(
        label=label,
        required=False,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class ReportForm(AccessibleErrorsMixin, forms.ModelForm):
    """The school's report. Every field may stay empty in a draft; services list what submit needs."""

    school = forms.ModelChoiceField(queryset=School.objects.none(), label=_("School"), required=True)
    bullying_types = forms.MultipleChoiceField(
        label=_("Kinds of bullying"),
        choices=BullyingType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every kind that applies."),
    )
    police_informed = _yes_no(
        _("Were the police informed?"),
        _("Required when the report is a mandatory report (severe, injury, repeated, sexual or possibly criminal)."),
    )
    police_informed_at = _moment(_("When were the police informed?"))
    guardians_notified = _yes_no(_("Were the guardians (parents) notified?"))
    guardians_notified_at = _moment(_("When were the guardians notified?"))
    attachment = forms.FileField(
        label=_("Add a photo, screenshot or PDF"),
        required=False,
        help_text=_(
            "JPEG, PNG, WebP or PDF, at most 10 MB. Location and camera details are removed from photos; "
            "GIF and BMP are not accepted."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )
    draft_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = BullyingReport
        fields = [
            "school",
            "incident_date",
            "incident_time",
            "place",
            "bullying_types",
            "narrative",
            "frequency",
            "injury",
            "involves_sexual_harm",
            "possibly_criminal",
            "severity",
            "police_informed",
            "police_informed_at",
            "guardians_notified",
            "guardians_notified_at",
            "immediate_measures",
        ]
        field_classes = {"incident_date": PlausibleDateField}
        widgets = {
            "incident_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "incident_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "place": forms.RadioSelect,
            "frequency": forms.RadioSelect,
            "injury": forms.RadioSelect,
            "severity": forms.RadioSelect,
            "narrative": forms.Textarea(attrs={"rows": 6}),
            "immediate_measures": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "narrative": _("Describe what happened in your own words: who did what, and what the target said."),
            "severity": _("Severe cases are always a mandatory report and reach the district at once."),
            "immediate_measures": _("What the school did straight away, for example separating the students."),
        }

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools if schools is not None else School.objects.none()
        for name in ("place", "frequency", "injury", "severity"):
            field = self.fields[name]
            field.choices = [choice for choice in field.choices if choice[0] != ""]
            field.required = False
        for name in ("narrative", "immediate_measures", "incident_date"):
            self.fields[name].required = False

    def clean_incident_date(self):
        value = self.cleaned_data.get("incident_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of the incident cannot be in the future."))
        if value and value < timezone.localdate() - datetime.timedelta(days=365 * 3):
            raise forms.ValidationError(_("Please check the year: this date is more than three years ago."))
        return value

    def _not_future(self, name):
        value = self.cleaned_data.get(name)
        if value and value > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("This time cannot be in the future."))
        return value

    def clean_police_informed_at(self):
        return self._not_future("police_informed_at")

    def clean_guardians_notified_at(self):
        return self._not_future("guardians_notified_at")

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        return attachments.check_upload(upload)

    def clean(self):
        data = super().clean()
        if data.get("police_informed") is False:
            data["police_informed_at"] = None
        if data.get("guardians_notified") is False:
            data["guardians_notified_at"] = None
        return data


class InvolvedStudentForm(AccessibleErrorsMixin, forms.ModelForm):
    class Meta:
        model = InvolvedStudent
        fields = ["role", "grade", "class_name", "name"]
        widgets = {"name": forms.TextInput(attrs={"autocomplete": "off"})}
        help_texts = {"name": _("Optional. Only write a name if the school needs it to handle the case.")}


StudentFormSet = inlineformset_factory(
    BullyingReport,
    InvolvedStudent,
    form=InvolvedStudentForm,
    extra=1,
    can_delete=True,
    max_num=30,
    validate_max=True,
)


# --- One-time form keys ---------------------------------------------------------------------------


class OneTimeForm(forms.Form):
    """A form that creates something carries a fresh random key; the view claims it once.

    A double click or a resent post brings the same key back, and ``services.claim_form_key``
    refuses it, so the second post adds nothing. A missing or malformed key never refuses the
    post: it only loses the protection (an old page still works).
    """

    form_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_key", receipts.new_submission_key())

    def clean_form_key(self):
        value = self.cleaned_data.get("form_key", "")
        return value if receipts.SUBMISSION_KEY_PATTERN.fullmatch(value) else ""


# --- Case steps ---------------------------------------------------------------------------------


class ReasonForm(AccessibleErrorsMixin, OneTimeForm):
    reason = forms.CharField(
        label=_("Why (recorded on the timeline)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AcknowledgeAnonymousForm(ReasonForm):
    """Accepting an anonymous report: what the school receives is written and chosen here."""

    field_order = ["school_summary", "shared_parts", "reason"]
    school_summary = forms.CharField(
        label=_("Summary for the school"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The school reads this instead of the report. Write what it needs to look into the matter; "
            "leave out anything that could tell who the reporter is. The reporter's words, contact and "
            "messages are never shared."
        ),
        error_messages={"required": _("Write a summary for the school.")},
    )
    shared_parts = forms.MultipleChoiceField(
        label=_("Also share with the school"),
        choices=SharedPart.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick only what the school needs. Pictures can show who took them."),
    )


class RequiredReasonForm(ReasonForm):
    reason = forms.CharField(label=_("Why (recorded on the timeline)"), widget=forms.Textarea(attrs={"rows": 2}))


class DetermineForm(RequiredReasonForm):
    field_order = ["determination", "committee_roles", "reason"]
    determination = forms.ChoiceField(
        label=_("What did the bullying committee decide?"), choices=Determination.choices, widget=forms.RadioSelect
    )
    committee_roles = forms.MultipleChoiceField(
        label=_("Who sat on the committee (by role)?"),
        choices=CommitteeRole.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class HandlingForm(ReasonForm):
    field_order = ["measures", "reason"]
    measures = forms.MultipleChoiceField(
        label=_("Measures"), choices=Measure.choices, widget=forms.CheckboxSelectMultiple
    )


class AssignForm(AccessibleErrorsMixin, OneTimeForm):
    handler: forms.ModelChoiceField[User] = forms.ModelChoiceField(label=_("Case handler"), queryset=None)

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers
        self.fields["handler"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class ConsultationForm(AccessibleErrorsMixin, OneTimeForm):
    held_on = PlausibleDateField(label=_("Date of the consultation"), widget=forms.DateInput(attrs={"type": "date"}))
    participating_bodies = forms.CharField(
        label=_("Participating bodies"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: district education bureau, police station, street workstation."),
    )
    conclusions = forms.CharField(label=_("Conclusions"), widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_actions = forms.CharField(
        label=_("Follow-up actions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(AccessibleErrorsMixin, OneTimeForm):
    text = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 2}))


# --- Anonymous reports ----------------------------------------------------------------------------


class MessageForm(AccessibleErrorsMixin, OneTimeForm):
    body = forms.CharField(label=_("Your message"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))


class ReplyForm(AccessibleErrorsMixin, OneTimeForm):
    body = forms.CharField(
        label=_("Message to the anonymous reporter"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reporter reads this with their receipt code. Do not include other students' details."),
    )


class InviteOfficerForm(AccessibleErrorsMixin, forms.Form):
    """District staff invite a school officer by mobile number or e-mail address (one is enough)."""

    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.select_related("street_town"))
    role = forms.ChoiceField(label=_("Role at the school"), choices=SchoolMembership.Role.choices)
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        help_text=_("11 digits, for example 13800000000."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )

    def clean_phone(self):
        from accounts.adapter import validate_phone

        value = self.cleaned_data.get("phone", "").strip()
        return validate_phone(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("phone") and not cleaned.get("email"):
            raise forms.ValidationError(_("Give the person's mobile number or e-mail address."))
        return cleaned
