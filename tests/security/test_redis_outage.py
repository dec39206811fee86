"""Redis down must not mean site down or a lost report (core/cache.py).

The test starts its OWN redis-server on a spare port, uses it as the production cache
(``core.cache.ResilientRedisCache``, page and site caches on, allauth's rate limits on) and as
the Celery broker, warms it, then kills it mid-test: every public page, both sign-in paths,
both report forms and /healthz keep answering quickly, the outage is logged once, and the
reports posted meanwhile are in the database with their notifications in the outbox. Redis
comes back on the same port and every notification is delivered, once.
"""

from __future__ import annotations

import logging
import time

from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

import pytest

from accounts import sms
from huiai.settings import base
from schools.models import BullyingReport, Notification
from tests.accounts.conftest import code_in
from tests.conftest import own_redis, redis_cache_settings
from tests.factories.accounts import PASSWORD, UserFactory, sign_in_fully
from tests.factories.courses import course_with_lessons
from tests.factories.home import StandardPageFactory, home_page
from tests.factories.schools import SchoolFactory, district_staff, officer_of
from tests.schools.helpers import report_form_data

pytestmark = pytest.mark.django_db(transaction=True)

BOUND = 2.0  # seconds any request may take while Redis is down
RETRY = 0.5  # the breaker's pause between probes, short for the test


def timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    return response, time.monotonic() - started


@pytest.fixture
def production_like(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.SITE_CACHE_SECONDS = 300
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    settings.SESSION_ENGINE = base.SESSION_ENGINE
    settings.HEALTHZ_TOKEN = "outage-test-token"
    return settings


def use_as_cache(settings, url):
    caches = redis_cache_settings(url)
    caches["default"]["OPTIONS"]["retry_seconds"] = RETRY
    settings.CACHES = caches


def test_with_redis_killed_pages_sign_in_and_both_report_forms_work_and_nothing_is_lost(
    production_like, celery_broker, caplog
):
    from schools.notifications import kick_delivery
    from schools.tasks import deliver_pending_notifications

    about = StandardPageFactory(parent=home_page(), title="关于我们", slug="about")
    course = course_with_lessons(1)
    school = SchoolFactory()
    officer = officer_of(school)
    district = district_staff()
    parent = UserFactory(phone="+8613800000000", email="parent@example.com")
    public_pages = [
        "/",
        about.url,
        course.url,
        "/search/?q=欺凌",
        reverse("schools:anonymous_report"),
        reverse("schools:anonymous_status"),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_request_login_code"),
    ]

    with own_redis() as server:
        use_as_cache(production_like, server.url)
        celery_broker(server.url, eager=False)
        # Warm: Redis is really the cache (the second anonymous view is a hit).
        assert Client().get(about.url)["X-Cache"] == "miss"
        assert Client().get(about.url)["X-Cache"] == "hit"
        assert Client().get("/healthz").status_code == 200

        server.stop()  # --- Redis is gone ---------------------------------------------------
        mail.outbox.clear()
        sms.outbox.clear()
        caplog.clear()
        caplog.set_level(logging.WARNING, logger="core.cache")

        # Every public page answers, quickly, without Redis.
        for url in public_pages:
            response, elapsed = timed(Client().get, url)
            assert response.status_code == 200, (url, response.status_code)
            assert elapsed < BOUND, f"{url} took {elapsed:.2f}s with Redis down"

        # /healthz still answers, and says the cache is down.
        response, elapsed = timed(Client().get, "/healthz", HTTP_AUTHORIZATION="Bearer outage-test-token")
        assert response.status_code == 503 and elapsed < BOUND
        assert response.json()["checks"]["cache"]["ok"] is False

        # Sign-in by password (allauth's rate limits on, now in process memory).
        browser = Client()
        response, elapsed = timed(
            browser.post, reverse("account_login"), {"login": "parent@example.com", "password": PASSWORD}
        )
        assert response.status_code == 302 and elapsed < BOUND
        assert int(browser.session["_auth_user_id"]) == parent.pk
        assert browser.get(reverse("account_email")).status_code == 200  # the session holds
        # Sign-in by a texted code: the code is sent from the web process while the broker is down.
        by_code = Client()
        response, elapsed = timed(by_code.post, reverse("account_request_login_code"), {"phone": "13800000000"})
        assert response.status_code == 302 and elapsed < BOUND
        response = by_code.post(reverse("account_confirm_login_code"), {"code": code_in(sms.outbox[-1].body)})
        assert response.status_code == 302
        assert int(by_code.session["_auth_user_id"]) == parent.pk
        # Limits still hold during the outage, in process memory: the same number gets no more
        # codes than allauth allows per minute (one was sent above).
        assert "3/m/key" in base.ACCOUNT_RATE_LIMITS["request_login_code"]
        for _attempt in range(3):
            Client().post(reverse("account_request_login_code"), {"phone": "13800000000"})
        assert len([m for m in sms.outbox if m.to == parent.phone]) == 3

        # The anonymous report form: accepted, stored, the child gets the receipt code.
        reporter = Client()
        response, elapsed = timed(
            reporter.post,
            reverse("schools:anonymous_report"),
            {
                "school": school.pk,
                "reporter_kind": "student",
                "narrative": "有同学每天在楼梯口拦住我要钱。",
                "place": "corridor",
                "bullying_types": ["property"],
                "involves_sexual_harm": "on",
            },
        )
        assert response.status_code == 302, response.content[:2000]
        assert elapsed < BOUND
        assert "huiai_receipt_once" in response.cookies
        anonymous = BullyingReport.objects.get(source=BullyingReport.Source.ANONYMOUS)
        # The officer's report form.
        staff = Client()
        sign_in_fully(staff, officer)
        response, elapsed = timed(
            staff.post,
            reverse("schools:report_new"),
            report_form_data(school, action="submit", severity="severe", police_informed="False"),
        )
        assert response.status_code == 302 and elapsed < BOUND
        school_report = BullyingReport.objects.exclude(pk=anonymous.pk).get()

        # An editor publishes a change while Redis is down (the invalidation cannot be written).
        about.title = "关于我们（已更新）"
        about.save_revision().publish()
        assert "关于我们（已更新）" in Client().get(about.url).content.decode()

        pending = Notification.objects.filter(sent_at__isnull=True)
        pending_count = pending.count()
        assert {n.report_id for n in pending} == {anonymous.pk, school_report.pk}
        assert mail.outbox == [], "nothing is sent while the broker is down"
        # Logged once for the whole outage, not once per call.
        outage_logs = [r for r in caplog.records if r.name == "core.cache" and r.levelno == logging.ERROR]
        assert len(outage_logs) == 1, [r.getMessage() for r in outage_logs]

        server.start()  # --- Redis is back, on the same port ---------------------------------
        time.sleep(RETRY + 0.1)
        assert Client().get("/healthz").status_code == 200
        assert any("reachable again" in r.getMessage() for r in caplog.records)
        kick_delivery()
        assert server.queued() == 1
        assert deliver_pending_notifications() == pending_count
        assert deliver_pending_notifications() == 0
        # The cache is used again, and the page cached before the outage is not served stale.
        assert cache.set("healthz", "ok") is None and cache.get("healthz") == "ok"
        assert "关于我们（已更新）" in Client().get(about.url).content.decode()
        again = Client().get(about.url)
        assert again["X-Cache"] == "hit" and "关于我们（已更新）" in again.content.decode()

    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert all(n.attempts == 1 for n in Notification.objects.all())
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Notification.objects.filter(channel=Notification.Channel.EMAIL).values_list("address", flat=True)
    )
    assert district.phone in [m.to for m in sms.outbox]
