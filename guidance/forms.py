"""Forms of plans, court orders, assessments and reports (validation only; rules in services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.adapter import validate_phone
from core.forms import AccessibleErrorsMixin, PlausibleDateField
from courses.models import CoursePage

from . import selectors
from .models import Court
from .services import Guardian

DATE = forms.DateInput(attrs={"type": "date"})


class GuardiansField(forms.CharField):
    """One guardian a line: "name, mobile number" (a comma, a Chinese comma or a space between)."""

    widget = forms.Textarea(attrs={"rows": 3, "autocomplete": "off"})

    def clean(self, value: Any) -> list[Guardian]:
        text = super().clean(value)
        guardians = []
        for line in (text or "").splitlines():
            line = line.strip()
            if not line:
                continue
            parts = line.replace("，", ",").replace(",", " ").split()
            if len(parts) < 2:
                raise ValidationError(_("Write each guardian as: name, mobile number."))
            phone = parts[-1]
            try:
                phone = validate_phone(phone)
            except ValidationError as error:
                raise ValidationError(_("%(line)s: not a mainland mobile number.") % {"line": line}) from error
            guardians.append(Guardian(name=" ".join(parts[:-1])[:60], phone=phone))
        if not guardians:
            raise ValidationError(_("Name at least one guardian."))
        if len({guardian.phone for guardian in guardians}) != len(guardians):
            raise ValidationError(_("Each guardian needs their own mobile number."))
        return guardians


class PlanFieldsMixin(forms.Form):
    guardians = GuardiansField(
        label=_("Guardians"), help_text=_("One a line: name, mobile number. They get a link by text message.")
    )
    courses = forms.ModelMultipleChoiceField(
        label=_("Required courses"),
        queryset=CoursePage.objects.live().order_by("title"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    worker = forms.ModelChoiceField(label=_("Guidance worker"), queryset=selectors.possible_workers())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        worker = self.fields["worker"]
        assert isinstance(worker, forms.ModelChoiceField)
        worker.label_from_instance = lambda user: user.name or user.masked_phone or user.email  # type: ignore[method-assign, assignment]


class CasePlanForm(AccessibleErrorsMixin, PlanFieldsMixin):
    course_deadline = PlausibleDateField(label=_("Courses to be finished by"), widget=DATE)
    required_sessions = forms.IntegerField(label=_("Required guidance sessions"), min_value=0, max_value=20, initial=2)
    ends_on = PlausibleDateField(label=_("Plan ends on"), widget=DATE)
    review_on = PlausibleDateField(label=_("Review date"), widget=DATE)
    field_order = ["guardians", "courses", "course_deadline", "required_sessions", "worker", "review_on", "ends_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ends_on") and data.get("course_deadline") and data["course_deadline"] > data["ends_on"]:
            self.add_error("course_deadline", _("The courses' deadline must not be after the plan's end."))
        return data


class OrderForm(AccessibleErrorsMixin, PlanFieldsMixin):
    court = forms.ModelChoiceField(label=_("Court"), queryset=Court.objects.all())
    order_number = forms.CharField(label=_("Order number"), max_length=80)
    issued_on = PlausibleDateField(label=_("Date of the order"), widget=DATE)
    required_content = forms.CharField(label=_("Required content"), widget=forms.Textarea(attrs={"rows": 3}))
    required_hours = forms.IntegerField(label=_("Required hours"), min_value=1, max_value=200)
    starts_on = PlausibleDateField(label=_("Period starts"), widget=DATE)
    ends_on = PlausibleDateField(label=_("Period ends"), widget=DATE)
    field_order = [
        "court",
        "order_number",
        "issued_on",
        "guardians",
        "required_content",
        "required_hours",
        "starts_on",
        "ends_on",
        "courses",
        "worker",
    ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The period must not end before it starts."))
        return data


class AssessmentForm(AccessibleErrorsMixin, forms.Form):
    assessment = forms.CharField(
        label=_("The guidance worker's assessment"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )


class CorrectionForm(AccessibleErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500, required=False)


class VerifyFileForm(AccessibleErrorsMixin, forms.Form):
    """A PDF uploaded to the public verification page; its size is checked before it is read."""

    document = forms.FileField(label=_("Or upload the report's PDF"))

    def clean_document(self) -> bytes:
        from django.conf import settings

        upload = self.cleaned_data["document"]
        limit = settings.GUIDANCE_VERIFY_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is too large (at most %(size)s MB)."), params={"size": limit // (1024 * 1024) or 1}
            )
        data: bytes = upload.read(limit + 1)
        return data


class CourtForm(AccessibleErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Court's name"), max_length=100)


class LiaisonForm(AccessibleErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Liaison's name"), max_length=60)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        help_text=_("They sign in with this number (a text-message code), then set up an authenticator app."),
    )

    def clean_phone(self) -> str:
        phone: str = validate_phone(self.cleaned_data["phone"])
        return phone
