"""Forms of parent profiles, class codes, group assignments and street events (validation only;
rules in services)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleErrorsMixin, PlausibleDateField
from courses.models import CoursePage
from participation.models import GRADE_CHOICES
from participation.street_events import MAX_CAPACITY as MAX_EVENT_CAPACITY
from participation.street_events import EventDetails
from schools.models import School, StreetTown
from workstations.models import StreetEvent, Workstation


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


class StreetEventForm(AccessibleErrorsMixin, forms.Form):
    """A street event, new or edited (the rules are checked again in ``participation.street_events``)."""

    workstation = forms.ModelChoiceField(label=_("Workstation"), queryset=Workstation.objects.none(), empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=80)
    description = forms.CharField(
        label=_("What happens"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who it is for and what families will take away. No family's details here."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, help_text=_("The address families go to."))
    date = PlausibleDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=MAX_EVENT_CAPACITY, initial=30)
    audience = forms.ChoiceField(
        label=_("Open to"), choices=StreetEvent.Audience.choices, initial=StreetEvent.Audience.STREET
    )
    deadline_date = PlausibleDateField(
        label=_("Sign-up closes on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to take sign-ups until the event starts."),
    )
    deadline_time = forms.TimeField(
        label=_("Sign-up closes at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args, workstations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workstation"].queryset = workstations
        only = list(workstations[:2])
        if len(only) == 1:
            self.fields["workstation"].widget = forms.HiddenInput()
            self.fields["workstation"].initial = only[0].pk

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts"), data.get("ends")
        if starts is not None and ends is not None and ends <= starts:
            self.add_error("ends", _("An event must end after it starts."))
        return data

    @staticmethod
    def initial_for(event: StreetEvent) -> dict:
        starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
        deadline = timezone.localtime(event.signup_deadline)
        keeps_open = event.signup_deadline == event.starts_at
        return {
            "workstation": event.workstation_id,
            "title": event.title,
            "description": event.description,
            "place": event.place,
            "date": starts.date(),
            "starts": starts.time(),
            "ends": ends.time(),
            "capacity": event.capacity,
            "audience": event.audience,
            "deadline_date": None if keeps_open else deadline.date(),
            "deadline_time": None if keeps_open else deadline.time(),
        }

    def details(self) -> EventDetails:
        data = self.cleaned_data
        starts_at = timezone.make_aware(datetime.datetime.combine(data["date"], data["starts"]))
        deadline = None
        if data.get("deadline_date"):
            deadline_time = data.get("deadline_time") or datetime.time(23, 59)
            deadline = timezone.make_aware(datetime.datetime.combine(data["deadline_date"], deadline_time))
        return EventDetails(
            title=data["title"],
            description=data["description"],
            place=data["place"],
            starts_at=starts_at,
            ends_at=timezone.make_aware(datetime.datetime.combine(data["date"], data["ends"])),
            capacity=data["capacity"],
            audience=data["audience"],
            signup_deadline=deadline,
        )
