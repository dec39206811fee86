"""Street events' capacity under concurrency (PostgreSQL row locks): N+1 residents signing up for
an N-place event at the same instant leave exactly N signed up."""

from __future__ import annotations

import threading

from django.db import connection, connections
from django.utils import translation

import pytest

from participation import street_events
from tests.factories.participation import resident, street_event
from workstations.models import EventSignup

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks (run with DATABASE_URL)"),
]


@pytest.mark.parametrize("places", [1, 3])
def test_n_plus_one_simultaneous_sign_ups_for_an_n_place_event_give_exactly_n(monkeypatch, places):
    monkeypatch.setattr("schools.notifications.kick_delivery", lambda: None)
    event = street_event(capacity=places)
    parents = [resident(email="") for _ in range(places + 1)]
    barrier = threading.Barrier(len(parents))
    outcomes, errors = [], []

    def run(parent):
        try:
            barrier.wait(timeout=10)
            with translation.override("en"):
                street_events.sign_up(event=event, parent=parent)
            outcomes.append("signed up")
        except street_events.StreetEventError as refused:
            outcomes.append(str(refused))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(parent,)) for parent in parents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert outcomes.count("signed up") == places
    assert outcomes.count("Sorry, this event is full.") == 1
    assert EventSignup.objects.live().filter(event=event).count() == places
