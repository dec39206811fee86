"""Concurrency on PostgreSQL: case numbers, double submits and outbox delivery under parallel load.

SQLite serialises writers and its in-memory test database is not shared between threads, so
these run on PostgreSQL only (CI runs the suite there).
"""

from __future__ import annotations

import threading

from django.core import mail
from django.db import connection, connections

import pytest

from schools import services
from schools.models import CaseEvent, Notification
from schools.tasks import deliver_pending_notifications
from tests.factories.schools import BullyingReportFactory, SchoolFactory, district_staff, officer_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks (run with DATABASE_URL)"),
]


def _in_threads(target, arguments):
    barrier = threading.Barrier(len(arguments))
    results, errors = [], []

    def run(argument):
        try:
            barrier.wait()
            results.append(target(argument))
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def test_parallel_submits_get_distinct_consecutive_case_numbers():
    school = SchoolFactory()
    officer = officer_of(school)
    drafts = [BullyingReportFactory(school=school) for _ in range(8)]

    results = _in_threads(lambda report: services.submit(report, by=officer).report.case_number, drafts)

    numbers = sorted(int(number[-4:]) for number in results)
    assert numbers == list(range(1, 9))


def test_a_draft_submitted_five_times_at_once_becomes_one_case():
    school = SchoolFactory()
    officer = officer_of(school)
    draft = BullyingReportFactory(school=school)

    results = _in_threads(lambda _: services.submit(draft, by=officer), range(5))

    assert len({result.report.case_number for result in results}) == 1
    assert sum(result.created for result in results) == 1
    assert CaseEvent.objects.filter(report=draft, to_state="submitted").count() == 1


def test_parallel_delivery_runs_send_each_notification_exactly_once(monkeypatch):
    monkeypatch.setattr("schools.notifications.kick_delivery", lambda: None)  # leave rows pending
    school = SchoolFactory()
    officer = officer_of(school)
    for _ in range(5):
        district_staff()
    for _ in range(6):
        services.submit(BullyingReportFactory(school=school), by=officer)
    pending = Notification.objects.filter(sent_at__isnull=True).count()
    mail.outbox.clear()

    sent = _in_threads(lambda _: deliver_pending_notifications(), range(4))

    assert sum(sent) == pending == 30
    assert len(mail.outbox) == pending
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
