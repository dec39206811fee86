"""The notification outbox as Prometheus sees it (read at each scrape of /metrics, home.metrics)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Min
from django.utils import timezone

from prometheus_client.core import GaugeMetricFamily, Metric

from .models import Notification


class OutboxCollector:
    """How many messages wait to be sent, and how long the oldest has waited (0 when none).

    The age is the one to alert on: it grows when no worker runs the delivery, when beat stops
    sending it, or when the mail server or SMS gateway keeps refusing (schools/tasks.py).
    """

    def collect(self) -> Iterator[Metric]:
        unsent = Notification.objects.filter(sent_at__isnull=True).aggregate(
            count=Count("pk"), oldest=Min("created_at")
        )
        oldest = unsent["oldest"]
        age = max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0
        yield GaugeMetricFamily("huiai_outbox_unsent", "Notifications not yet sent.", value=unsent["count"])
        yield GaugeMetricFamily(
            "huiai_outbox_oldest_unsent_age_seconds", "Age of the oldest notification not yet sent.", value=age
        )
