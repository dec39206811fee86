"""Forms of guidance-station appointments (validation only; rules in ``workstations.appointments``)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleErrorsMixin, PlausibleDateField

from .appointments import MAX_CAPACITY, MAX_WEEKS
from .models import StationService, Workstation


class SlotForm(AccessibleErrorsMixin, forms.Form):
    """One slot, or the same slot every week for a number of weeks."""

    station = forms.ModelChoiceField(label=_("Station"), queryset=Workstation.objects.none(), empty_label=None)
    service = forms.ModelChoiceField(label=_("Service"), queryset=StationService.objects.all(), empty_label=None)
    date = PlausibleDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=15, max_value=480, initial=60)
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=MAX_CAPACITY,
        initial=1,
        help_text=_("How many families can book this time (1 for a one-to-one session)."),
    )
    weeks = forms.IntegerField(
        label=_("Repeat weekly for"),
        min_value=1,
        max_value=MAX_WEEKS,
        initial=1,
        help_text=_("Number of weeks, 1 for a single slot."),
    )

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
        self.fields["service"].queryset = StationService.objects.filter(stations__in=stations).distinct()

    def starts_at(self) -> datetime.datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))


class SessionRecordForm(AccessibleErrorsMixin, forms.Form):
    notes = forms.CharField(
        label=_("Session notes"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What the session covered and what was agreed. Encrypted, and every reading is logged; "
            "write only what the family's guidance needs."
        ),
    )
