"""The rules of guidance-station appointments (workstations.appointments)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

import pytest

from accounts.roles import Role
from schools.models import AuditLog, Notification
from tests.factories.accounts import UserFactory
from tests.factories.workstations import booking, guidance_station, guidance_worker, service, slot
from workstations import appointments
from workstations.appointments import AppointmentError
from workstations.models import Booking, SessionRecord, Workstation

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def english_messages():
    """These tests match the English msgids of the messages (zh-hans is the site's default)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def parent():
    return UserFactory(role=Role.PARENT, email="")


# --- Booking ----------------------------------------------------------------------------------


def test_a_parent_books_a_free_slot_and_gets_a_confirmation_text(parent, django_capture_on_commit_callbacks):
    free = slot()
    with django_capture_on_commit_callbacks():
        made = appointments.book(slot=free, parent=parent)
    assert made.status == Booking.Status.BOOKED
    [message] = Notification.objects.filter(recipient=parent)
    assert message.channel == Notification.Channel.SMS  # no e-mail address: a text message
    assert free.station.name in message.body and "/stations/bookings/" in message.body


def test_a_parent_with_an_email_address_is_told_by_email():
    parent = UserFactory(role=Role.PARENT)
    appointments.book(slot=slot(), parent=parent)
    assert list(Notification.objects.filter(recipient=parent).values_list("channel", flat=True)) == ["email"]


def test_booking_the_same_slot_twice_is_refused(parent):
    free = slot(capacity=3)
    appointments.book(slot=free, parent=parent)
    with pytest.raises(AppointmentError, match="already booked"):
        appointments.book(slot=free, parent=parent)
    assert Booking.objects.filter(parent=parent).count() == 1


def test_the_database_refuses_a_second_live_booking_of_a_parent_for_one_slot(parent):
    free = slot(capacity=3)
    booking(free, parent)
    with pytest.raises(IntegrityError), transaction.atomic():
        booking(free, parent)
    booking(free, parent, status=Booking.Status.CANCELLED)  # a cancelled one does not count


def test_a_parent_cannot_book_two_slots_that_overlap_in_time(parent):
    """Overlapping slots are refused, at the same station (another service) and at another one."""
    first = slot(minutes=60)
    appointments.book(slot=first, parent=parent)
    same_time_elsewhere = slot(guidance_station("另一个指导站"), minutes=60, capacity=2)
    half_an_hour_later = slot(starts_in=2 * DAY + datetime.timedelta(minutes=30), service_slug="counselling")
    for overlapping in (same_time_elsewhere, half_an_hour_later):
        with pytest.raises(AppointmentError, match="overlaps") as refused:
            appointments.book(slot=overlapping, parent=parent)
        assert first.station.name in str(refused.value)  # the message says which booking is in the way
    assert Booking.objects.filter(parent=parent).count() == 1
    # Back to back is fine, and so is the same time for another parent, or after cancelling.
    right_after = slot(starts_in=2 * DAY + datetime.timedelta(hours=1), service_slug="counselling")
    assert appointments.book(slot=right_after, parent=parent).status == Booking.Status.BOOKED
    assert appointments.book(slot=same_time_elsewhere, parent=UserFactory(role=Role.PARENT)).is_live
    appointments.cancel_booking(booking=Booking.objects.get(parent=parent, slot=first), by=parent)
    assert appointments.book(slot=same_time_elsewhere, parent=parent).is_live


def test_a_full_slot_is_refused(parent):
    full = slot(capacity=1)
    appointments.book(slot=full, parent=UserFactory(role=Role.PARENT))
    with pytest.raises(AppointmentError, match="full"):
        appointments.book(slot=full, parent=parent)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"starts_in": -DAY / 24}, "already started"),
        ({"starts_in": -DAY * 3}, "already started"),
        ({"is_published": False}, "not open"),
        ({"cancelled_at": timezone.now()}, "not open"),
    ],
    ids=["started", "past", "unpublished", "withdrawn"],
)
def test_slots_that_are_not_bookable_are_refused(parent, fields, message):
    with pytest.raises(AppointmentError, match=message):
        appointments.book(slot=slot(**fields), parent=parent)
    assert not Booking.objects.exists()


def test_a_cancelled_place_can_be_taken_again(parent):
    one = slot(capacity=1)
    made = appointments.book(slot=one, parent=parent)
    appointments.cancel_booking(booking=made, by=parent)
    other = UserFactory(role=Role.PARENT)
    assert appointments.book(slot=one, parent=other).status == Booking.Status.BOOKED
    appointments.cancel_booking(booking=Booking.objects.get(parent=other), by=other)
    assert appointments.book(slot=one, parent=parent).status == Booking.Status.BOOKED  # rebooking too


# --- Cancelling -------------------------------------------------------------------------------


def test_a_parent_cancels_before_the_start_and_is_told(parent):
    made = appointments.book(slot=slot(), parent=parent)
    cancelled = appointments.cancel_booking(booking=made, by=parent)
    assert cancelled.status == Booking.Status.CANCELLED and cancelled.cancelled_by == parent
    assert Notification.objects.filter(recipient=parent, dedupe_key__startswith="appointment:cancelled").count() == 1


def test_cancelling_after_the_start_or_someone_elses_booking_is_refused(parent):
    started = booking(slot(starts_in=-DAY / 48), parent)
    with pytest.raises(AppointmentError, match="before the slot starts"):
        appointments.cancel_booking(booking=started, by=parent)
    theirs = appointments.book(slot=slot(), parent=UserFactory(role=Role.PARENT))
    with pytest.raises(AppointmentError, match="not your booking"):
        appointments.cancel_booking(booking=theirs, by=parent)
    assert Booking.objects.filter(status=Booking.Status.CANCELLED).count() == 0


def test_withdrawing_a_slot_cancels_its_bookings_and_tells_the_families(parent):
    station = guidance_station()
    worker = guidance_worker(station)
    one = slot(station, capacity=2)
    appointments.book(slot=one, parent=parent)
    assert appointments.cancel_slot(slot=one, by=worker) == 1
    assert Booking.objects.get(parent=parent).status == Booking.Status.CANCELLED
    assert Notification.objects.filter(recipient=parent, dedupe_key__startswith="appointment:withdrawn").exists()


# --- Publishing -------------------------------------------------------------------------------


def test_station_staff_publish_a_weekly_pattern_once():
    station = guidance_station()
    worker = guidance_worker(station)
    first = (timezone.localtime() + DAY).replace(hour=9, minute=30, second=0, microsecond=0)
    made = appointments.publish_weekly(
        station=station, service=service(), first_starts_at=first, minutes=50, capacity=2, weeks=4, by=worker
    )
    assert [timezone.localtime(s.starts_at).strftime("%H:%M") for s in made] == ["09:30"] * 4
    assert [(s.starts_at - first).days for s in made] == [0, 7, 14, 21]
    again = appointments.publish_weekly(
        station=station, service=service(), first_starts_at=first, minutes=50, capacity=2, weeks=5, by=worker
    )
    assert len(again) == 1  # only the fifth week was new
    with pytest.raises(AppointmentError, match="already has a slot"):
        appointments.publish_slot(
            station=station, service=service(), starts_at=first, minutes=50, capacity=2, by=worker
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"first_starts_at": timezone.now() - DAY}, "future"),
        ({"capacity": 0}, "places"),
        ({"weeks": 60}, "weeks"),
        ({"minutes": 5}, "15 minutes"),
    ],
)
def test_publishing_bad_slots_is_refused(change, message):
    station = guidance_station()
    worker = guidance_worker(station)
    arguments = {
        "station": station,
        "service": service(),
        "first_starts_at": timezone.now() + DAY,
        "minutes": 60,
        "capacity": 1,
        "weeks": 1,
        "by": worker,
    } | change
    with pytest.raises(AppointmentError, match=message):
        appointments.publish_weekly(**arguments)


def test_only_a_stations_own_staff_publish_there():
    station, other = guidance_station(), guidance_station("另一个指导站")
    outsiders = [
        guidance_worker(other),
        UserFactory(role=Role.DISTRICT_STAFF),
        UserFactory(role=Role.CHILD_DIRECTOR),
        UserFactory(role=Role.PARENT),
    ]
    for outsider in outsiders:
        with pytest.raises(AppointmentError, match="station's staff"):
            appointments.publish_slot(
                station=station, service=service(), starts_at=timezone.now() + DAY, minutes=60, capacity=1, by=outsider
            )
    # A membership at a street workstation is not a guidance station's.
    street = Workstation.objects.create(
        name="街道工作站", street="xujiahui", address="示例", latitude=31, longitude=121
    )
    member = guidance_worker(street)
    assert not appointments.stations_run_by(member).exists()


# --- Attendance and session records --------------------------------------------------------


@pytest.fixture
def attended(parent):
    station = guidance_station()
    worker = guidance_worker(station)
    made = booking(slot(station, starts_in=-DAY / 24), parent)
    appointments.mark_attendance(booking=made, attended=True, by=worker)
    return made, worker


def test_staff_mark_attendance_only_after_the_start_and_only_at_their_station(parent):
    station = guidance_station()
    worker = guidance_worker(station)
    future = booking(slot(station), parent)
    with pytest.raises(AppointmentError, match="once the slot has started"):
        appointments.mark_attendance(booking=future, attended=True, by=worker)
    past = booking(slot(station, starts_in=-DAY / 24), parent)
    with pytest.raises(AppointmentError, match="station's staff"):
        appointments.mark_attendance(booking=past, attended=True, by=guidance_worker(guidance_station("别的站")))
    marked = appointments.mark_attendance(booking=past, attended=False, by=worker)
    assert marked.status == Booking.Status.NO_SHOW and marked.marked_by == worker
    assert appointments.mark_attendance(booking=past, attended=True, by=worker).status == Booking.Status.ATTENDED


def test_the_session_record_is_encrypted_in_the_database_and_every_read_and_write_audited(attended):
    made, worker = attended
    appointments.write_session_record(booking=made, notes="讨论了亲子沟通，约定两周后回访。", by=worker)
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM workstations_sessionrecord WHERE booking_id = %s", [made.pk])
        [stored] = cursor.fetchone()
    assert stored.startswith("fernet:") and "亲子" not in stored
    record = appointments.read_session_record(booking=made, by=worker)
    assert record is not None and record.notes == "讨论了亲子沟通，约定两周后回访。"
    session_actions = [AuditLog.Action.WRITE_SESSION_RECORD, AuditLog.Action.VIEW_SESSION_RECORD]
    actions = list(
        AuditLog.objects.filter(action__in=session_actions).order_by("pk").values_list("action", "actor", "detail")
    )
    assert actions == [
        (AuditLog.Action.WRITE_SESSION_RECORD, worker.pk, {"booking": made.pk, "created": True}),
        (AuditLog.Action.VIEW_SESSION_RECORD, worker.pk, {"booking": made.pk, "station": made.slot.station_id}),
    ]


def test_session_records_are_refused_to_other_stations_and_for_sessions_not_attended(attended, parent):
    made, worker = attended
    stranger = guidance_worker(guidance_station("别的站"))
    with pytest.raises(AppointmentError, match="station's staff"):
        appointments.read_session_record(booking=made, by=stranger)
    with pytest.raises(AppointmentError, match="station's staff"):
        appointments.write_session_record(booking=made, notes="x", by=stranger)
    missed = booking(slot(made.slot.station, starts_in=-DAY), parent, status=Booking.Status.NO_SHOW)
    with pytest.raises(AppointmentError, match="attended"):
        appointments.write_session_record(booking=missed, notes="x", by=worker)
    assert not SessionRecord.objects.exists()
    assert not AuditLog.objects.filter(action__contains="session_record").exists()


def test_a_session_with_a_record_cannot_be_marked_missed(attended):
    made, worker = attended
    appointments.write_session_record(booking=made, notes="记录", by=worker)
    with pytest.raises(AppointmentError, match="has a record"):
        appointments.mark_attendance(booking=made, attended=False, by=worker)


# --- Reminders --------------------------------------------------------------------------------


def test_the_day_before_reminder_is_sent_exactly_once_however_often_beat_runs(parent):
    from workstations.tasks import send_appointment_reminders

    tomorrow = timezone.localtime() + DAY
    tomorrow_slot = slot(starts_in=tomorrow.replace(hour=10, minute=0) - timezone.localtime(), capacity=3)
    reminded = appointments.book(slot=tomorrow_slot, parent=parent)
    cancelled = appointments.book(slot=tomorrow_slot, parent=UserFactory(role=Role.PARENT))
    appointments.cancel_booking(booking=cancelled, by=cancelled.parent)
    appointments.book(slot=slot(starts_in=DAY * 3), parent=UserFactory(role=Role.PARENT))  # not tomorrow

    assert send_appointment_reminders() == 1
    assert send_appointment_reminders() == 0
    reminders = Notification.objects.filter(dedupe_key__startswith="appointment:reminder")
    assert [(n.recipient_id, n.channel) for n in reminders] == [(parent.pk, Notification.Channel.SMS)]
    reminded.refresh_from_db()
    assert reminded.reminder_queued_at is not None
    # Even if the stamp were lost, the outbox's key refuses a second row.
    Booking.objects.filter(pk=reminded.pk).update(reminder_queued_at=None)
    appointments.send_reminders()
    assert reminders.count() == 1


def test_messages_are_in_chinese_whatever_the_language_of_the_request(parent):
    from django.utils import translation

    with translation.override("en"):
        appointments.book(slot=slot(), parent=parent)
    message = Notification.objects.get(recipient=parent)
    assert "已预约" in message.body or "预约" in message.body
