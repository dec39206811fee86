"""The demo's guidance stations take appointments: slots for the next two weeks at all 4, the demo
guidance worker runs one of them and sees bookings, and a record of an attended session."""

from __future__ import annotations

import datetime

from django.utils import timezone

import pytest

from accounts.models import User
from tests.factories.demo import load_demo
from workstations import appointment_selectors, appointments
from workstations.models import AppointmentSlot, Booking, SessionRecord, Workstation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo("--with-demo-users", "--skip-index")


def test_every_demo_guidance_station_has_free_slots_in_the_next_two_weeks(demo):
    stations = Workstation.objects.filter(kind=Workstation.Kind.GUIDANCE_STATION)
    assert stations.count() == 4
    horizon = timezone.now() + datetime.timedelta(days=15)
    for station in stations:
        services = {slot.service.slug for slot in appointment_selectors.open_slots(station)}
        assert services == {"family-education", "counselling"}, station.name
        assert not AppointmentSlot.objects.filter(station=station, starts_at__gt=horizon).exists()


def test_the_demo_guidance_worker_runs_a_station_with_bookings_and_a_record(demo):
    worker = User.objects.get(username="demo-guidance-worker")
    [station] = appointments.stations_run_by(worker)
    assert Booking.objects.live().filter(slot__station=station, slot__starts_at__gt=timezone.now()).count() >= 2
    # The guidance demo adds the sessions of its plans' families at the same station.
    records = list(SessionRecord.objects.filter(booking__slot__station=station).select_related("booking"))
    assert records and all(record.booking.status == Booking.Status.ATTENDED for record in records)
    assert any("示例" in record.notes for record in records)
    assert Booking.objects.filter(parent__username="demo-parent").exists()
