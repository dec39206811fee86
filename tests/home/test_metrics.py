"""/metrics (home/metrics.py, core/metrics.py): Prometheus text for the monitoring token only,
with request latency by URL name, failed sign-ins, the Celery queue, the outbox's oldest
unsent message and beat's heartbeat. Under gunicorn the workers' figures are added up
(tests/deploy/test_production_stack.py)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

import pytest
from prometheus_client.parser import text_string_to_metric_families

from schools.models import Notification
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "prometheus-scrape-token"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", headers=BEARER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}])
def test_without_the_token_the_metrics_do_not_exist(client, metrics_token, headers):
    assert client.get("/metrics", headers=headers).status_code == 404


def test_no_token_configured_means_nobody_reads_them_not_even_a_superuser(client, settings):
    settings.METRICS_TOKEN = ""
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


def test_each_request_is_timed_under_its_url_name_not_its_path(client, metrics_token):
    labels = {"view": "health_live", "method": "GET", "status": "2xx"}
    before = value(scrape(client), "huiai_http_request_duration_seconds_count", **labels)

    client.get("/healthz/live")
    client.get("/healthz/live")
    client.get("/no-such-page-12345/")
    samples = scrape(client)

    assert value(samples, "huiai_http_request_duration_seconds_count", **labels) == before + 2
    assert value(samples, "huiai_http_request_duration_seconds_bucket", le="+Inf", **labels) == before + 2
    assert not any("12345" in str(key) for key in samples)


def test_a_refused_sign_in_is_counted(client, metrics_token):
    before = value(scrape(client), "huiai_failed_logins_total")

    client.post(reverse("account_login"), {"login": "13800000000", "password": "wrong-password"})

    assert value(scrape(client), "huiai_failed_logins_total") == before + 1


def test_the_outbox_reports_its_oldest_unsent_message(client, metrics_token):
    assert value(scrape(client), "huiai_outbox_oldest_unsent_age_seconds") == 0
    now = timezone.now()
    Notification.objects.create(
        channel="sms", address="+8613900000001", body="old", created_at=now - datetime.timedelta(minutes=10)
    )
    Notification.objects.create(channel="sms", address="+8613900000002", body="new")
    Notification.objects.create(
        channel="sms", address="+8613900000003", body="sent", created_at=now - datetime.timedelta(days=1), sent_at=now
    )

    samples = scrape(client)

    assert value(samples, "huiai_outbox_unsent") == 2
    assert 600 <= value(samples, "huiai_outbox_oldest_unsent_age_seconds") < 700


def test_beats_heartbeat_age_is_reported_once_a_heartbeat_ran(client, metrics_token):
    from home.tasks import beat_heartbeat

    beat_heartbeat.apply()

    assert 0 <= value(scrape(client), "huiai_beat_heartbeat_age_seconds") < 60


@pytest.mark.redis
def test_tasks_waiting_in_the_broker_are_counted(client, metrics_token, redis_url, celery_broker):
    from home.tasks import record_heartbeat

    celery_broker(redis_url)
    record_heartbeat.delay("one")
    record_heartbeat.delay("two")

    samples = scrape(client)

    assert value(samples, "huiai_celery_queue_length", queue="celery") == 2
    assert value(samples, "huiai_celery_unacked") == 0
