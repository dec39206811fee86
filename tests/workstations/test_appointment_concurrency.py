"""Capacity under concurrency (PostgreSQL row locks): N+1 parents booking an N-place slot at the
same instant, each in its own thread and database connection, leave exactly N booked.

SQLite serialises writers and its in-memory test database is not shared between threads, so
this runs on PostgreSQL only (run with DATABASE_URL).
"""

from __future__ import annotations

import threading

from django.db import connection, connections
from django.utils import translation

import pytest

from accounts.roles import Role
from schools.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.workstations import slot
from workstations import appointments
from workstations.models import Booking

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks (run with DATABASE_URL)"),
]


def _race(target, count):
    barrier = threading.Barrier(count)
    outcomes, errors = [], []

    def run(number):
        try:
            barrier.wait(timeout=10)
            with translation.override("en"):  # each thread starts in the site's language
                target(number)
            outcomes.append("booked")
        except appointments.AppointmentError as refused:
            outcomes.append(str(refused))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return outcomes


@pytest.mark.parametrize("places", [1, 3])
def test_n_plus_one_simultaneous_bookings_of_an_n_place_slot_give_exactly_n(monkeypatch, places):
    monkeypatch.setattr("schools.notifications.kick_delivery", lambda: None)
    contested = slot(capacity=places)
    parents = [UserFactory(role=Role.PARENT, email="") for _ in range(places + 1)]

    outcomes = _race(lambda number: appointments.book(slot=contested, parent=parents[number]), places + 1)

    assert outcomes.count("booked") == places
    assert len([o for o in outcomes if "full" in o]) == 1
    assert Booking.objects.live().filter(slot=contested).count() == places
    assert Notification.objects.count() == places  # one confirmation per booking, none for the refused


def test_one_parent_tapping_twice_at_once_gets_one_booking(monkeypatch):
    monkeypatch.setattr("schools.notifications.kick_delivery", lambda: None)
    contested = slot(capacity=5)
    parent = UserFactory(role=Role.PARENT, email="")

    outcomes = _race(lambda number: appointments.book(slot=contested, parent=parent), 2)

    assert outcomes.count("booked") == 1
    assert Booking.objects.filter(slot=contested, parent=parent).count() == 1


def test_one_parent_booking_two_overlapping_slots_at_once_gets_one(monkeypatch):
    from tests.factories.workstations import guidance_station

    monkeypatch.setattr("schools.notifications.kick_delivery", lambda: None)
    here, there = slot(capacity=5), slot(guidance_station("另一个指导站"), capacity=5)
    parent = UserFactory(role=Role.PARENT, email="")

    outcomes = _race(lambda number: appointments.book(slot=(here, there)[number], parent=parent), 2)

    assert outcomes.count("booked") == 1
    assert Booking.objects.live().filter(parent=parent).count() == 1
