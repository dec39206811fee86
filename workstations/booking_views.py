"""Parents' side of guidance-station appointments: a station's free slots, booking, «我的预约»
and cancelling. Thin: ``appointment_selectors`` lists, ``appointments`` decides.

A station's page (free slots) is public, so a family can look before signing in; booking,
the confirmation and the list are the signed-in parent's own (another parent's booking is 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import appointment_selectors as selectors
from . import appointments
from .models import AppointmentSlot, Booking, StationService


def station_list(request):
    """The guidance stations that take appointments."""
    stations = selectors.guidance_stations().prefetch_related("services")
    return render(request, "workstations/appointments/station_list.html", {"stations": stations})


def station(request, pk: int):
    """One station's free slots for the next weeks, grouped by day, filtered by service."""
    station = get_object_or_404(selectors.guidance_stations(), pk=pk)
    services = list(station.services.all())
    chosen: StationService | None = None
    slug = request.GET.get("service", "")
    if slug:
        chosen = next((service for service in services if service.slug == slug), None)
    days: dict = {}
    for slot in selectors.open_slots(station, chosen):
        days.setdefault(timezone.localtime(slot.starts_at).date(), []).append(slot)
    return render(
        request,
        "workstations/appointments/station.html",
        {"station": station, "services": services, "chosen": chosen, "days": sorted(days.items())},
    )


@login_required
@never_cache
def book(request, pk: int):
    """Confirm, then book: one page, one button."""
    slot = get_object_or_404(
        AppointmentSlot.objects.select_related("station", "service").filter(
            station__in=selectors.guidance_stations(), is_published=True
        ),
        pk=pk,
    )
    if request.method == "POST":
        try:
            booking = appointments.book(slot=slot, parent=request.user)
        except appointments.AppointmentError as error:
            messages.error(request, error.message)
            return redirect("workstations:station", pk=slot.station_id)
        messages.success(request, _("Your appointment is booked. A confirmation is on its way."))
        return redirect("workstations:booking", pk=booking.pk)
    return render(request, "workstations/appointments/book.html", {"slot": slot})


def _own_booking(request, pk: int) -> Booking:
    booking = get_object_or_404(Booking.objects.select_related("slot__station", "slot__service"), pk=pk)
    if booking.parent_id != request.user.pk:
        raise Http404
    return booking


@login_required
@never_cache
def my_bookings(request):
    now = timezone.now()
    bookings = list(selectors.bookings_of(request.user))
    upcoming = [b for b in bookings if b.status == Booking.Status.BOOKED and b.slot.ends_at > now]
    upcoming.reverse()  # soonest first
    past = [b for b in bookings if b not in upcoming]
    return render(request, "workstations/appointments/my_bookings.html", {"upcoming": upcoming, "past": past})


@login_required
@never_cache
def booking(request, pk: int):
    """The confirmation page (also reached from «我的预约»)."""
    booking = _own_booking(request, pk)
    return render(
        request,
        "workstations/appointments/booking.html",
        {"booking": booking, "may_cancel": appointments.may_cancel(booking)},
    )


@login_required
@never_cache
def cancel(request, pk: int):
    """Asks «are you sure?» on GET; cancels on POST."""
    booking = _own_booking(request, pk)
    if request.method == "POST":
        try:
            appointments.cancel_booking(booking=booking, by=request.user)
        except appointments.AppointmentError as error:
            messages.error(request, error.message)
            return redirect("workstations:booking", pk=booking.pk)
        messages.success(request, _("Your booking is cancelled."))
        return redirect("workstations:my_bookings")
    if not appointments.may_cancel(booking):
        messages.error(request, _("A booking can only be cancelled before the slot starts."))
        return redirect("workstations:booking", pk=booking.pk)
    return render(request, "workstations/appointments/cancel.html", {"booking": booking})
