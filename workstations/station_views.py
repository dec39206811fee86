"""Station staff's side of appointments (``staff_area``: parents' names and phones): the day's
list, publishing slots, marking attendance, session records; and the district's counts.

A guidance worker sees only the stations they are a member of (``appointments.stations_run_by``);
a booking of another station is 404 to them, as it is to everyone else.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.middleware import staff_area
from accounts.roles import is_district
from core.forms import plausible_date

from . import appointment_selectors as selectors
from . import appointments
from .forms import SessionRecordForm, SlotForm
from .models import AppointmentSlot, Booking


def _date_param(request, name: str) -> datetime.date | None:
    """The query parameter ``name`` as a date, or None when absent or not a plausible real date."""
    return plausible_date(request.GET.get(name) or "")


def _stations(request):
    stations = appointments.stations_run_by(request.user)
    if not stations.exists():
        raise PermissionDenied
    return stations


def _day_url(station_id: int, day: datetime.date) -> str:
    return f"{reverse('workstations:staff_day')}?station={station_id}&date={day.isoformat()}"


@staff_area
@login_required
@never_cache
def day(request):
    """A station's day: its slots and who booked them, with attendance and record buttons."""
    stations = list(_stations(request))
    station = next((s for s in stations if str(s.pk) == request.GET.get("station")), stations[0])
    chosen = _date_param(request, "date") or timezone.localdate()
    slots = list(selectors.day_of(station, chosen))
    bookings = list(selectors.bookings_of_day(station, chosen))
    for slot in slots:
        slot.day_bookings = [b for b in bookings if b.slot_id == slot.pk]
    return render(
        request,
        "workstations/appointments/staff_day.html",
        {
            "stations": stations,
            "station": station,
            "day": chosen,
            "previous_day": chosen - datetime.timedelta(days=1),
            "next_day": chosen + datetime.timedelta(days=1),
            "slots": slots,
            "now": timezone.now(),
        },
    )


@staff_area
@login_required
@never_cache
def slot_new(request):
    stations = _stations(request)
    form = SlotForm(request.POST or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = appointments.publish_weekly(
                station=data["station"],
                service=data["service"],
                first_starts_at=form.starts_at(),
                minutes=data["minutes"],
                capacity=data["capacity"],
                weeks=data["weeks"],
                by=request.user,
            )
        except appointments.AppointmentError as error:
            form.add_error(None, error.message)
        else:
            if created:
                messages.success(request, _("%(count)d slots published.") % {"count": len(created)})
            else:
                messages.warning(request, _("Nothing published: these slots already exist."))
            return redirect(_day_url(data["station"].pk, data["date"]))
    return render(request, "workstations/appointments/slot_new.html", {"form": form})


@staff_area
@login_required
@require_POST
def slot_cancel(request, pk: int):
    slot = get_object_or_404(AppointmentSlot.objects.filter(station__in=_stations(request)), pk=pk)
    try:
        count = appointments.cancel_slot(slot=slot, by=request.user)
    except appointments.AppointmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The slot is withdrawn; %(count)d families are told.") % {"count": count})
    return redirect(_day_url(slot.station_id, timezone.localtime(slot.starts_at).date()))


def _station_booking(request, pk: int) -> Booking:
    booking = get_object_or_404(
        Booking.objects.select_related("slot__station", "slot__service", "parent").filter(
            slot__station__in=_stations(request)
        ),
        pk=pk,
    )
    return booking


@staff_area
@login_required
@require_POST
def attendance(request, pk: int):
    booking = _station_booking(request, pk)
    attended = request.POST.get("attended") == "1"
    try:
        appointments.mark_attendance(booking=booking, attended=attended, by=request.user)
    except appointments.AppointmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Marked as attended.") if attended else _("Marked as not come."))
    return redirect(_day_url(booking.slot.station_id, timezone.localtime(booking.slot.starts_at).date()))


@staff_area
@login_required
@never_cache
def record(request, pk: int):
    """The session record of an attended booking: read (audited) and written (audited)."""
    booking = _station_booking(request, pk)
    if booking.status != Booking.Status.ATTENDED:
        raise Http404
    if request.method == "POST":
        form = SessionRecordForm(request.POST)
        if form.is_valid():
            try:
                appointments.write_session_record(booking=booking, notes=form.cleaned_data["notes"], by=request.user)
            except appointments.AppointmentError as error:
                form.add_error("notes", error.message)
            else:
                messages.success(request, _("The session record is saved."))
                return redirect(_day_url(booking.slot.station_id, timezone.localtime(booking.slot.starts_at).date()))
    else:
        existing = appointments.read_session_record(booking=booking, by=request.user)
        form = SessionRecordForm(initial={"notes": existing.notes if existing else ""})
    return render(request, "workstations/appointments/record.html", {"booking": booking, "form": form})


@staff_area
@login_required
@never_cache
def utilisation(request):
    """District staff: each guidance station's slots and bookings over a period, counts only."""
    if not is_district(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    since = _date_param(request, "since") or today - datetime.timedelta(days=28)
    until = _date_param(request, "until") or today + datetime.timedelta(days=14)
    if until < since:
        since, until = until, since
    rows = selectors.utilisation(since, until)
    return render(request, "workstations/appointments/utilisation.html", {"rows": rows, "since": since, "until": until})
