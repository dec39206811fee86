"""What appointment pages list (reads only; changes go through ``workstations.appointments``).

Every list is one query (counts are annotations, parents are joined), so query counts stay the
same as slots and bookings grow (``tests/workstations/test_appointment_pages.py``).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User

from .models import AppointmentSlot, Booking, SessionRecord, StationService, Workstation

BOOKING_WEEKS = 4  # how far ahead parents see free slots


def guidance_stations() -> QuerySet[Workstation]:
    return Workstation.objects.filter(kind=Workstation.Kind.GUIDANCE_STATION).order_by("sort_order", "name")


def with_counts(slots: QuerySet[AppointmentSlot]) -> QuerySet[AppointmentSlot]:
    """Slots with ``booked`` (live bookings), ``attended`` and ``no_show`` counted in the query."""
    return slots.annotate(
        booked=Count("bookings", filter=~Q(bookings__status=Booking.Status.CANCELLED)),
        attended=Count("bookings", filter=Q(bookings__status=Booking.Status.ATTENDED)),
        no_show=Count("bookings", filter=Q(bookings__status=Booking.Status.NO_SHOW)),
    )


def open_slots(
    station: Workstation, service: StationService | None = None, now: datetime.datetime | None = None
) -> QuerySet[AppointmentSlot]:
    """Published future slots of a station with a free place, for the next ``BOOKING_WEEKS`` weeks."""
    now = now or timezone.now()
    slots = AppointmentSlot.objects.filter(
        station=station,
        is_published=True,
        cancelled_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(weeks=BOOKING_WEEKS),
    )
    if service is not None:
        slots = slots.filter(service=service)
    return (
        slots.annotate(booked=Count("bookings", filter=~Q(bookings__status=Booking.Status.CANCELLED)))
        .filter(booked__lt=F("capacity"))
        .annotate(free=F("capacity") - F("booked"))
        .select_related("service")
        .order_by("starts_at", "pk")
    )


def bookings_of(parent: User) -> QuerySet[Booking]:
    """A parent's bookings, soonest first (cancelled ones too, so they see what happened)."""
    return (
        Booking.objects.filter(parent=parent)
        .select_related("slot__station", "slot__service")
        .order_by("-slot__starts_at", "-pk")
    )


def day_of(station: Workstation, day: datetime.date) -> QuerySet[AppointmentSlot]:
    """A station's slots of one local day, each with its live bookings' counts."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    slots = AppointmentSlot.objects.filter(station=station, starts_at__gte=start, starts_at__lt=end)
    return with_counts(slots).select_related("service").order_by("starts_at", "pk")


def bookings_of_day(station: Workstation, day: datetime.date) -> QuerySet[Booking]:
    """The live and marked bookings of a station's day, with the parent (name, phone) joined."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    return (
        Booking.objects.filter(slot__station=station, slot__starts_at__gte=start, slot__starts_at__lt=end)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("parent", "slot__service")
        .annotate(has_record=Exists(SessionRecord.objects.filter(booking=OuterRef("pk"))))
        .order_by("slot__starts_at", "slot_id", "booked_at", "pk")
    )


def utilisation(since: datetime.date, until: datetime.date) -> QuerySet[Workstation]:
    """Per guidance station: slots, places, live bookings, attended and missed, counts only."""
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(until, datetime.time.min)) + datetime.timedelta(days=1)
    in_range = Q(slots__starts_at__gte=start, slots__starts_at__lt=end, slots__cancelled_at__isnull=True)
    return guidance_stations().annotate(
        slot_count=Count("slots", filter=in_range, distinct=True),
        booked=Count("slots__bookings", filter=in_range & ~Q(slots__bookings__status=Booking.Status.CANCELLED)),
        attended=Count("slots__bookings", filter=in_range & Q(slots__bookings__status=Booking.Status.ATTENDED)),
        no_show=Count("slots__bookings", filter=in_range & Q(slots__bookings__status=Booking.Status.NO_SHOW)),
    )
