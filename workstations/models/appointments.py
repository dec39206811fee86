"""Appointments at family-education guidance stations (issue 14).

A guidance station's staff publish **slots** (a service, a time, a number of places); a parent
**books** a place; after the session the staff mark the booking attended or missed and write a
short **session record**. Rules live in ``workstations.appointments`` (commands) and
``workstations.appointment_selectors`` (who sees what); these models only hold the facts.

What is kept about a family: the booking links the parent's account to a slot (so the station
sees the parent's name and phone, and nothing else of the family). The session record is what
the guidance worker writes; it may concern a family with a case, so it is encrypted at rest with
the case data's keys (``schools.crypto``) and every read and write is in the audit log.

Plans and court orders (the ``guidance`` app) build on these rows from their side: they count a
guardian's attended bookings and may point at a booking; nothing here knows about them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.crypto import EncryptedTextField

from .stations import StationService, Workstation

GUIDANCE_STATIONS = Q(kind=Workstation.Kind.GUIDANCE_STATION)


class AppointmentSlot(models.Model):
    """A time at a guidance station when ``capacity`` families can come for one service."""

    station = models.ForeignKey(
        Workstation,
        on_delete=models.PROTECT,
        related_name="slots",
        limit_choices_to=GUIDANCE_STATIONS,
        verbose_name=_("guidance station"),
    )
    service = models.ForeignKey(
        StationService, on_delete=models.PROTECT, related_name="slots", verbose_name=_("service")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("places"), default=1, validators=[MinValueValidator(1)])
    # An unpublished slot is a draft the station has not offered yet; a cancelled one was offered
    # and withdrawn (its bookings are cancelled with it and the families told).
    is_published = models.BooleanField(_("published"), default=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["station", "starts_at"], name="ws_slot_station_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="workstations_slot_capacity_positive"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="workstations_slot_ends_after"),
            models.UniqueConstraint(
                fields=["station", "service", "starts_at"],
                condition=Q(cancelled_at__isnull=True),
                name="workstations_slot_unique_live",
            ),
        ]
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.station} · {self.service} · {local:%Y-%m-%d %H:%M}"


class BookingQuerySet(models.QuerySet["Booking"]):
    def live(self) -> BookingQuerySet:
        """Bookings that hold a place: not cancelled."""
        return self.exclude(status=Booking.Status.CANCELLED)

    def attended(self) -> BookingQuerySet:
        return self.filter(status=Booking.Status.ATTENDED)


class Booking(models.Model):
    """A parent's place in a slot. At most one live booking per parent and slot (a constraint)."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    slot = models.ForeignKey(AppointmentSlot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("slot"))
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="station_bookings", verbose_name=_("parent")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.BOOKED)
    booked_at = models.DateTimeField(_("booked"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attendance_marked_at = models.DateTimeField(_("attendance marked"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the day-before reminder went to the outbox. The outbox's dedupe key is what makes it
    # exactly once; this stamp lets the beat task skip reminded bookings without a join.
    reminder_queued_at = models.DateTimeField(_("reminder queued"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        indexes = [models.Index(fields=["parent", "status"], name="ws_booking_parent_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "parent"],
                condition=~Q(status="cancelled"),
                name="workstations_booking_one_live_per_parent",
            ),
        ]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self) -> str:
        return f"{self.slot} · {self.get_status_display()}"

    @property
    def is_live(self) -> bool:
        return self.status != self.Status.CANCELLED


class SessionRecord(models.Model):
    """What the guidance worker wrote about an attended session: one per booking.

    Encrypted at rest (``schools.crypto``, the case data's keys); read and written only through
    ``workstations.appointments``, which puts each read and write in the audit log.
    """

    booking = models.OneToOneField(
        Booking, on_delete=models.CASCADE, related_name="session_record", verbose_name=_("booking")
    )
    notes = EncryptedTextField(_("session notes"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField(_("written"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("session record")
        verbose_name_plural = _("session records")

    def __str__(self) -> str:
        return f"session record for booking {self.booking_id}"
