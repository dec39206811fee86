"""Guidance-station appointments: every change goes through here (issue 14).

- **Station staff** (guidance workers, ``accounts.roles.STATION_STAFF_ROLES``) act only for the
  stations they are members of (``WorkstationMembership`` with role ``GUIDANCE_WORKER``):
  publishing slots, marking attendance, writing session records.
- **Parents** book a place in a published future slot and cancel it until the slot starts.
  Capacity holds under concurrency: the slot row is locked (``SELECT … FOR UPDATE``) while its
  live bookings are counted and the new one written, so N+1 simultaneous bookings of an N-place
  slot give exactly N; a partial unique index keeps one live booking per parent and slot.
- **Messages** (``workstations.appointment_messages``: confirmation, cancellation, the
  day-before reminder) go through the ``schools.notifications`` outbox in the same
  transaction as the change; the reminder's dedupe key makes it exactly once however often
  beat runs.
- **Session records** are encrypted (``schools.crypto``) and every read and write is written to
  the audit log (``schools.audit``) like case data.

Reads (what a page lists) live in ``workstations.appointment_selectors``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import SomeUser, is_district, is_station_staff
from core.errors import DomainError
from schools import audit
from schools.models import AuditLog

from . import places
from .appointment_messages import tell, when
from .models import AppointmentSlot, Booking, SessionRecord, StationService, Workstation, WorkstationMembership

MAX_WEEKS = 12  # how far ahead a weekly pattern may publish in one go
MAX_CAPACITY = 50


class AppointmentError(DomainError):
    """A rule of station appointments refused what was asked."""


# --- Who runs which station ------------------------------------------------------------------


def stations_run_by(user: SomeUser) -> QuerySet[Workstation]:
    """The guidance stations whose slots and bookings ``user`` manages (none for non-staff)."""
    if user is None or not user.is_authenticated or not is_station_staff(user):
        return Workstation.objects.none()
    return Workstation.objects.filter(
        kind=Workstation.Kind.GUIDANCE_STATION,
        memberships__user=user,
        memberships__role=WorkstationMembership.Role.GUIDANCE_WORKER,
    ).distinct()


def runs_station(user: SomeUser, station: Workstation) -> bool:
    return stations_run_by(user).filter(pk=station.pk).exists()


def _require_station(user: SomeUser, station: Workstation) -> None:
    if not runs_station(user, station):
        raise AppointmentError(_("Only this station's staff can do that."))


# --- Publishing slots -------------------------------------------------------------------------


def _check_slot(station: Workstation, service: StationService, starts_at: datetime.datetime, minutes: int) -> None:
    if station.kind != Workstation.Kind.GUIDANCE_STATION:
        raise AppointmentError(_("Only guidance stations offer appointments."))
    if not station.services.filter(pk=service.pk).exists():
        raise AppointmentError(_("This station does not offer that service."))
    if starts_at <= timezone.now():
        raise AppointmentError(_("A slot must start in the future."))
    if not 15 <= minutes <= 8 * 60:
        raise AppointmentError(_("A slot lasts between 15 minutes and 8 hours."))


def publish_slot(
    *,
    station: Workstation,
    service: StationService,
    starts_at: datetime.datetime,
    minutes: int,
    capacity: int,
    by: User,
) -> AppointmentSlot:
    """One slot. A live slot of the same service at the same time is refused."""
    created = publish_weekly(
        station=station, service=service, first_starts_at=starts_at, minutes=minutes, capacity=capacity, weeks=1, by=by
    )
    if not created:
        raise AppointmentError(_("This station already has a slot for that service at that time."))
    return created[0]


def publish_weekly(
    *,
    station: Workstation,
    service: StationService,
    first_starts_at: datetime.datetime,
    minutes: int,
    capacity: int,
    weeks: int,
    by: User,
) -> list[AppointmentSlot]:
    """The same slot every week for ``weeks`` weeks; weeks that already have it are skipped."""
    _require_station(by, station)
    if not 1 <= capacity <= MAX_CAPACITY:
        raise AppointmentError(_("A slot has between 1 and %(max)d places.") % {"max": MAX_CAPACITY})
    if not 1 <= weeks <= MAX_WEEKS:
        raise AppointmentError(_("A weekly pattern covers 1 to %(max)d weeks.") % {"max": MAX_WEEKS})
    _check_slot(station, service, first_starts_at, minutes)
    created = []
    local_start = timezone.localtime(first_starts_at)
    for week in range(weeks):
        # Weekly in local time: the wall-clock hour stays the same across any offset change.
        naive = local_start.replace(tzinfo=None) + datetime.timedelta(weeks=week)
        starts_at = timezone.make_aware(naive)
        try:
            with transaction.atomic():
                created.append(
                    AppointmentSlot.objects.create(
                        station=station,
                        service=service,
                        starts_at=starts_at,
                        ends_at=starts_at + datetime.timedelta(minutes=minutes),
                        capacity=capacity,
                        created_by=by,
                    )
                )
        except IntegrityError:
            continue  # that week already has this slot
    return created


def cancel_slot(*, slot: AppointmentSlot, by: User) -> int:
    """Withdraws a future slot; its live bookings are cancelled and the families told."""
    _require_station(by, slot.station)
    with transaction.atomic():
        slot = AppointmentSlot.objects.select_for_update().select_related("station", "service").get(pk=slot.pk)
        if slot.cancelled_at is not None:
            return 0
        if slot.starts_at <= timezone.now():
            raise AppointmentError(_("A slot that has started cannot be withdrawn."))
        now = timezone.now()
        slot.cancelled_at = now
        slot.save(update_fields=["cancelled_at"])
        bookings = list(slot.bookings.filter(status=Booking.Status.BOOKED).select_related("parent"))
        for booking in bookings:
            booking.status = Booking.Status.CANCELLED
            booking.cancelled_at = now
            booking.cancelled_by = by
            booking.save(update_fields=["status", "cancelled_at", "cancelled_by"])
            tell(booking, "withdrawn")
    return len(bookings)


# --- Booking and cancelling -------------------------------------------------------------------


def book(*, slot: AppointmentSlot, parent: User) -> Booking:
    """A place for ``parent`` in ``slot``, with its confirmation in the outbox."""
    if not parent.is_authenticated:
        raise AppointmentError(_("Please sign in to book."))
    with transaction.atomic():
        # The parent's row first: two bookings by one parent (of different slots) are decided one
        # after the other, so the overlap check below cannot be raced.
        User.objects.select_for_update().filter(pk=parent.pk).values_list("pk", flat=True).first()
        locked = places.lock(slot)
        if not locked.is_published or locked.cancelled_at is not None:
            raise AppointmentError(_("This slot is not open for booking."))
        if locked.starts_at <= timezone.now():
            raise AppointmentError(_("This slot has already started."))
        places.claim(
            live=Booking.objects.live().filter(slot=locked),
            parent=parent,
            capacity=locked.capacity,
            already=_("You have already booked this slot."),
            full=_("This slot is full. Please choose another time."),
            error=AppointmentError,
        )
        _refuse_overlap(locked, parent)
        booking = Booking.objects.create(slot=locked, parent=parent)
        booking = Booking.objects.select_related("slot__station", "slot__service", "parent").get(pk=booking.pk)
        tell(booking, "booked")
    return booking


def _refuse_overlap(slot: AppointmentSlot, parent: User) -> None:
    """A parent cannot be in two places at once: a live booking whose slot overlaps refuses."""
    clash = (
        Booking.objects.filter(status=Booking.Status.BOOKED, parent=parent)
        .filter(slot__starts_at__lt=slot.ends_at, slot__ends_at__gt=slot.starts_at)
        .exclude(slot=slot)
        .select_related("slot__station", "slot__service")
        .first()
    )
    if clash is not None:
        raise AppointmentError(
            _(
                "This time overlaps your booking of %(service)s at %(station)s (%(when)s). "
                "Cancel that booking first, or choose another time."
            )
            % {"service": clash.slot.service.name, "station": clash.slot.station.name, "when": when(clash)}
        )


def may_cancel(booking: Booking, now: datetime.datetime | None = None) -> bool:
    return booking.status == Booking.Status.BOOKED and booking.slot.starts_at > (now or timezone.now())


def cancel_booking(*, booking: Booking, by: User) -> Booking:
    """The parent gives their place back, until the slot starts."""
    if booking.parent_id != by.pk:
        raise AppointmentError(_("This is not your booking."))
    with transaction.atomic():
        AppointmentSlot.objects.select_for_update().filter(pk=booking.slot_id).first()
        booking = Booking.objects.select_related("slot__station", "slot__service", "parent").get(pk=booking.pk)
        if booking.status == Booking.Status.CANCELLED:
            return booking
        if not may_cancel(booking):
            raise AppointmentError(_("A booking can only be cancelled before the slot starts."))
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.cancelled_by = by
        booking.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        tell(booking, "cancelled")
    return booking


# --- After the session: attendance and the session record -----------------------------------


def mark_attendance(*, booking: Booking, attended: bool, by: User) -> Booking:
    """Attended or did not come; a mistake can be corrected by marking again."""
    _require_station(by, booking.slot.station)
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
        if booking.status == Booking.Status.CANCELLED:
            raise AppointmentError(_("A cancelled booking cannot be marked."))
        if booking.slot.starts_at > timezone.now():
            raise AppointmentError(_("Attendance can be marked once the slot has started."))
        if not attended and SessionRecord.objects.filter(booking=booking).exists():
            raise AppointmentError(_("This session has a record: it was attended."))
        booking.status = Booking.Status.ATTENDED if attended else Booking.Status.NO_SHOW
        booking.attendance_marked_at = timezone.now()
        booking.marked_by = by
        booking.save(update_fields=["status", "attendance_marked_at", "marked_by"])
    return booking


def _audited_records(bookings: Iterable[Booking], by: User, purpose: str = "") -> dict[int, SessionRecord]:
    """The session records of ``bookings`` (by booking id); every record read (decrypted) is one
    audit entry. The one way records are read, for a station's staff and for district staff."""
    stations = {booking.pk: booking.slot.station_id for booking in bookings}
    records = {record.booking_id: record for record in SessionRecord.objects.filter(booking_id__in=stations)}
    for booking_id in sorted(records):
        detail = {"booking": booking_id, "station": stations[booking_id]} | ({"purpose": purpose} if purpose else {})
        audit.record(by, AuditLog.Action.VIEW_SESSION_RECORD, None, **detail)
    return records


def read_session_record(*, booking: Booking, by: User) -> SessionRecord | None:
    """The record of an attended session, for its station's staff; the read is audited."""
    _require_station(by, booking.slot.station)
    return _audited_records([booking], by).get(booking.pk)


def read_session_records(*, bookings: Iterable[Booking], by: User, purpose: str) -> dict[int, SessionRecord]:
    """Records of any station read by district staff for ``purpose`` (a completion report), each
    read audited with the purpose; by booking id."""
    if not is_district(by):
        raise AppointmentError(_("Only district staff read session records of several stations."))
    return _audited_records(list(bookings), by, purpose=purpose)


def write_session_record(*, booking: Booking, notes: str, by: User) -> SessionRecord:
    """Writes (or rewrites) the record of an attended session; the write is audited."""
    _require_station(by, booking.slot.station)
    notes = notes.strip()
    if not notes:
        raise AppointmentError(_("Write what the session covered."))
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != Booking.Status.ATTENDED:
            raise AppointmentError(_("Only an attended session has a record."))
        record, created = SessionRecord.objects.update_or_create(
            booking=booking, defaults={"notes": notes, "written_by": by}
        )
        audit.record(by, AuditLog.Action.WRITE_SESSION_RECORD, booking=booking.pk, created=created)
    return record


# --- Reminders -------------------------------------------------------------------------------


def bookings_to_remind(today: datetime.date | None = None) -> QuerySet[Booking]:
    """Live, unreminded bookings whose slot is tomorrow (local time)."""
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    return Booking.objects.filter(
        status=Booking.Status.BOOKED,
        reminder_queued_at__isnull=True,
        slot__cancelled_at__isnull=True,
        slot__starts_at__date=tomorrow,
    ).select_related("slot__station", "slot__service", "parent")


def send_reminders(today: datetime.date | None = None) -> int:
    """Queues the day-before reminder of each booking once; returns how many were queued.

    ``places.remind_once`` claims each booking under a row lock and stamps it in the same
    transaction as its outbox row, whose dedupe key (``appointment:reminder:<booking>``) refuses
    a second row anyway.
    """
    return places.remind_once(lambda: bookings_to_remind(today), lambda booking: tell(booking, "reminder"))
