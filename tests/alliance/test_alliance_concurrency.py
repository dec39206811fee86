"""The last seat of an alliance event under parallel registrations (PostgreSQL row locks).

SQLite serialises writers and its in-memory test database is not shared between threads, so
this runs on PostgreSQL only (the lead runs it with DATABASE_URL).
"""

from __future__ import annotations

import threading

from django.db import connection, connections

import pytest

from alliance import services
from alliance.models import EventRegistration
from schools.models import Notification
from tests.factories.alliance import event, fill

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks (run with DATABASE_URL)"),
]


def test_six_people_racing_for_the_last_seat_leave_one_registered_and_five_refused(monkeypatch):
    monkeypatch.setattr("schools.notifications.kick_delivery", lambda: None)
    page = event(capacity=3)
    fill(page, 2)
    barrier = threading.Barrier(6)
    outcomes, errors = [], []

    def race(number):
        try:
            barrier.wait(timeout=10)
            services.register(page, name=f"家长{number}", phone=f"+86138000000{number:02d}")
            outcomes.append("registered")
        except services.RegistrationError as refused:
            outcomes.append(refused.code)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(number,)) for number in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(outcomes) == ["full"] * 5 + ["registered"]
    assert EventRegistration.objects.filter(event=page, cancelled=False).count() == 3
    assert Notification.objects.count() == 1
