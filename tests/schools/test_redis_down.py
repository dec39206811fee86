"""Nothing lost (issue item 7): with Redis stopped a report still submits fast, and its
notifications go out exactly once after Redis returns.

The test starts its OWN ``redis-server`` on a spare loopback port (never the shared one on
6379), points Celery at it with eager mode off, stops it, submits, starts it again on the
same port and runs the delivery as the beat schedule would.
"""

from __future__ import annotations

import time

from django.core import mail
from django.urls import reverse

import pytest

from schools.models import BullyingReport, Notification, State
from tests.conftest import own_redis
from tests.factories.accounts import sign_in_fully
from tests.factories.schools import SchoolFactory, district_staff, officer_of

from .helpers import report_form_data

# Not marked ``redis``: it starts its own redis-server (skipped, or failed in CI, without the binary).
pytestmark = pytest.mark.django_db(transaction=True)

SUBMIT_BOUND = 2.0  # seconds a submit may take while the broker is down


def test_with_redis_stopped_a_report_submits_fast_and_is_announced_once_after_redis_returns(client, celery_broker):
    from accounts import sms
    from schools.notifications import kick_delivery
    from schools.tasks import deliver_pending_notifications

    school = SchoolFactory()
    officer = officer_of(school)
    district = [district_staff(), district_staff()]
    sign_in_fully(client, officer)

    with own_redis() as server:
        assert server.port != 6379
        celery_broker(server.url, eager=False)
        server.stop()
        mail.outbox.clear()
        sms.outbox.clear()

        # A severe case: a mandatory report, announced by e-mail and by text message.
        data = report_form_data(school, action="submit", severity="severe", police_informed="False")
        started = time.monotonic()
        response = client.post(reverse("schools:report_new"), data)
        elapsed = time.monotonic() - started

        assert response.status_code == 302, getattr(response, "content", b"")[:2000]
        assert elapsed < SUBMIT_BOUND, f"submitting took {elapsed:.2f}s with Redis down"
        report = BullyingReport.objects.get()
        assert report.state == State.SUBMITTED and report.case_number
        assert report.is_mandatory_report
        pending = list(Notification.objects.filter(report=report, sent_at__isnull=True))
        emails = [n for n in pending if n.channel == Notification.Channel.EMAIL]
        texts = [n for n in pending if n.channel == Notification.Channel.SMS]
        assert {n.address for n in emails} == {user.email for user in district}
        assert {n.address for n in texts} == {user.phone for user in district}
        assert mail.outbox == [] and sms.outbox == [], "something was sent while the broker was down"

        server.start()  # Redis returns, on the same port
        time.sleep(0.3)  # past the pause core/broker.py takes after a failed publish (0.2 s in tests)
        kick_delivery()  # what the next submit or the beat schedule does: publish to the broker
        assert server.queued() == 1, "the delivery task did not reach the restarted Redis"

        assert deliver_pending_notifications() == len(pending)
        assert deliver_pending_notifications() == 0  # a second run (another worker, a rerun) sends nothing

    assert sorted(message.to[0] for message in mail.outbox) == sorted(n.address for n in emails)
    assert sorted(message.to for message in sms.outbox) == sorted(n.address for n in texts)
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert all(n.attempts == 1 for n in Notification.objects.all())
