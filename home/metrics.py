"""``/metrics``: Prometheus text for the district's monitoring, never for the public.

Served only to a request carrying ``Authorization: Bearer <METRICS_TOKEN>``; without a token
configured, or with a wrong one, the URL answers 404 as if it did not exist. Keep the scraper on
the internal network too (deploy/nginx.conf refuses /metrics from outside). What is measured is
in core.metrics (requests, failed sign-ins, Celery queue), schools.metrics (outbox) and here
(beat's heartbeat).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotFound
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache

from prometheus_client.core import GaugeMetricFamily, Metric

from core import metrics
from schools.metrics import OutboxCollector

from .tasks import BEAT_HEARTBEAT_KEY


class BeatCollector:
    """Seconds since beat's last heartbeat (home.tasks.beat_heartbeat): grows when no beat runs."""

    def collect(self) -> Iterator[Metric]:
        heartbeat = cache.get(BEAT_HEARTBEAT_KEY)
        if heartbeat:
            yield GaugeMetricFamily(
                "huiai_beat_heartbeat_age_seconds",
                "Seconds since a beat last sent its heartbeat (run by a worker).",
                value=max(0.0, time.time() - heartbeat["at"]),
            )


def _authorised(request) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    sent = request.headers.get("Authorization", "")
    return (
        bool(token)
        and sent.startswith("Bearer ")
        and constant_time_compare(sent.removeprefix("Bearer ").strip(), token)
    )


@never_cache
def metrics_view(request):
    if not _authorised(request):
        # A bare 404, not the site's page: nothing rendered (and nothing written for whoever asks).
        return HttpResponseNotFound(b"", content_type="text/plain")
    body = metrics.render([metrics.CeleryQueueCollector(), OutboxCollector(), BeatCollector()])
    return HttpResponse(body, content_type=metrics.CONTENT_TYPE)
