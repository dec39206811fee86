"""Forms of parent profiles, class codes and group assignments (validation only; rules in services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleErrorsMixin, PlausibleDateField
from courses.models import CoursePage
from participation.models import GRADE_CHOICES
from schools.models import School, StreetTown


class ProfileForm(AccessibleErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Your real name"),
        max_length=100,
        required=False,
        help_text=_("Printed on your certificates. Leave it empty until you want a certificate."),
    )
    street = forms.ModelChoiceField(
        label=_("The street or town you live in"),
        queryset=StreetTown.objects.all(),
        required=False,
        empty_label=_("I would rather not say"),
    )
    consent = forms.BooleanField(
        label=_("I agree that Huiai keeps what I enter here, as explained above."), required=False
    )


class ChildForm(AccessibleErrorsMixin, forms.Form):
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.all(), required=False, empty_label=_("Not given")
    )
    grade = forms.TypedChoiceField(
        label=_("Grade"),
        choices=[("", _("Not given")), *GRADE_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )


class JoinForm(AccessibleErrorsMixin, forms.Form):
    code = forms.CharField(
        label=_("Class code"),
        max_length=20,
        help_text=_("8 letters and digits, from the poster or the head teacher's message."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class AssignForm(AccessibleErrorsMixin, forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=CoursePage.objects.live().order_by("title"))
    deadline = PlausibleDateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))


class SchoolAssignForm(AssignForm):
    grade = forms.TypedChoiceField(
        label=_("Grade"),
        choices=[("", _("The whole school")), *GRADE_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
