"""The outbox against a real SMTP server that refuses (451), then accepts: nothing is lost,
nothing is sent twice, the wait grows and is capped, and district staff see late messages."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

import pytest

from schools import notifications
from schools.models import Notification
from schools.tasks import deliver_due, message_id, retry_delay
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.schools.smtp import smtp_server

pytestmark = pytest.mark.django_db

FAILURES = 50


@pytest.fixture
def recipients(db):
    return [UserFactory(email=f"staff{index}@example.org") for index in range(3)]


@pytest.fixture
def queued(recipients, monkeypatch):
    monkeypatch.setattr("schools.notifications.kick_delivery", lambda: None)  # the beat runs delivery here
    return notifications.queue(recipients, subject="新案件 XH-1", body="请查看案件。", report=None)


def test_retry_delay_doubles_from_a_minute_and_stops_growing_at_an_hour():
    delays = [retry_delay(attempts).total_seconds() for attempts in range(1, 12)]
    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600, 3600]
    assert retry_delay(10_000).total_seconds() == 3600  # no overflow, no cap on attempts


def test_refused_fifty_times_then_delivered_exactly_once_to_each_recipient(settings, queued, recipients):
    clock = timezone.now()
    with smtp_server(settings) as server:
        server.refusing = True
        waits = []
        for failure in range(1, FAILURES + 1):
            assert deliver_due(now=clock) == 0
            rows = list(Notification.objects.order_by("pk"))
            assert all(row.sent_at is None and row.attempts == failure for row in rows)
            assert {row.next_attempt_at - clock for row in rows} == {retry_delay(failure)}
            assert "451" in rows[0].last_error
            # Before its time a row is left alone.
            assert deliver_due(now=clock + retry_delay(failure) - datetime.timedelta(seconds=1)) == 0
            assert Notification.objects.filter(attempts=failure).count() == len(rows)
            waits.append((rows[0].next_attempt_at - clock).total_seconds())
            clock = rows[0].next_attempt_at
        assert server.refused == FAILURES * len(recipients)
        assert not server.accepted
        assert waits[:7] == [60, 120, 240, 480, 960, 1920, 3600]
        assert set(waits[6:]) == {3600}  # capped, never given up

        server.refusing = False
        assert deliver_due(now=clock) == len(recipients)
        assert deliver_due(now=clock + datetime.timedelta(days=1)) == 0  # nothing left to send again

    assert server.count() == {user.email: 1 for user in recipients}
    ids = {notification.pk: message_id(notification) for notification in queued}
    assert sorted(mid for _, mid in server.accepted) == sorted(ids.values())
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert set(Notification.objects.values_list("attempts", flat=True)) == {FAILURES + 1}


def test_an_unreachable_mail_server_costs_one_attempt_per_run(settings, queued):
    from tests.conftest import closed_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    now = timezone.now()

    assert deliver_due(now=now) == 0

    attempts = sorted(Notification.objects.values_list("attempts", flat=True))
    assert attempts == [0, 0, 1]  # the others wait for the next run, still due, still pending
    assert Notification.objects.filter(sent_at__isnull=True).count() == 3


def test_text_messages_are_retried_without_a_cap_too(settings, monkeypatch, sms_outbox):
    user = UserFactory(email="", phone="+8613800000001")
    monkeypatch.setattr("schools.notifications.kick_delivery", lambda: None)
    [row] = notifications.queue([user], subject="", body="请查看案件。", report=None, sms=True)
    down = {"on": True}
    from accounts import sms

    original = sms.LocmemSMSBackend.send

    def flaky(self, message):
        if down["on"]:
            raise ConnectionError("gateway down")
        return original(self, message)

    monkeypatch.setattr(sms.LocmemSMSBackend, "send", flaky)
    clock = timezone.now()
    for _ in range(FAILURES):
        assert deliver_due(now=clock) == 0
        row.refresh_from_db()
        clock = row.next_attempt_at
    down["on"] = False
    assert deliver_due(now=clock) == 1
    assert deliver_due(now=clock) == 0
    assert [message.to for message in sms_outbox] == ["+8613800000001"]


def _late_banner(client, user, url_name) -> str:
    sign_in_fully(client, user)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("url_name", ["schools:case_list", "schools:dashboard"])
def test_district_staff_see_late_notifications_until_they_are_delivered(
    settings, client, queued, district, officer_a, url_name
):
    waiting_since = timezone.now() - datetime.timedelta(minutes=settings.SCHOOLS_NOTIFICATION_LATE_MINUTES + 5)
    Notification.objects.update(created_at=waiting_since)
    since = timezone.localtime(waiting_since).strftime("%Y-%m-%d %H:%M")

    with smtp_server(settings) as server:
        server.refusing = True
        deliver_due()
        page = _late_banner(client, district, url_name)
        assert 'data-late-notifications="3"' in page
        assert f"3 条通知尚未送达，最早的一条自 {since} 起一直在等待。" in page
        assert "data-late-notifications" not in _late_banner(client, officer_a, url_name)  # school staff: no

        server.refusing = False
        Notification.objects.update(next_attempt_at=timezone.now())
        assert deliver_due() == 3

    assert "data-late-notifications" not in _late_banner(client, district, url_name)


def test_a_fresh_pending_message_is_not_late_yet(settings, client, queued, district):
    assert notifications.late_summary() is None
    assert "data-late-notifications" not in _late_banner(client, district, "schools:case_list")
    later = timezone.now() + datetime.timedelta(minutes=settings.SCHOOLS_NOTIFICATION_LATE_MINUTES + 1)
    summary = notifications.late_summary(now=later)
    assert summary.count == 3
    assert summary.since == min(notification.created_at for notification in queued)


def test_a_text_message_sent_again_after_an_unrecorded_send_carries_the_same_key(settings, monkeypatch, sms_outbox):
    """The one window where a row is sent twice (the gateway accepted it, the commit did not
    happen): both copies carry the row's key, so a gateway that honours it sends one SMS."""
    users = [UserFactory(email="", phone=f"+861380000000{index}") for index in (1, 2)]
    monkeypatch.setattr("schools.notifications.kick_delivery", lambda: None)
    rows = notifications.queue(users, subject="", body="请查看案件。", report=None, sms=True)
    from accounts import sms

    original = sms.LocmemSMSBackend.send
    lost_commit = {"on": True}

    def accepted_then_lost(self, message):
        original(self, message)
        if lost_commit["on"]:
            raise ConnectionError("the answer never came back")

    monkeypatch.setattr(sms.LocmemSMSBackend, "send", accepted_then_lost)
    clock = timezone.now()
    assert deliver_due(now=clock) == 0
    lost_commit["on"] = False
    assert deliver_due(now=clock + datetime.timedelta(hours=2)) == 2

    keys = [message.key for message in sms_outbox]
    assert sorted(keys) == sorted(2 * [f"huiai-notification-{row.pk}" for row in rows])
