"""Prometheus metrics: request latency, failed sign-ins and the Celery queue (``/metrics``).

Counters and histograms are kept by prometheus-client. Under gunicorn every worker process
writes them to files in ``PROMETHEUS_MULTIPROC_DIR`` (deploy/gunicorn.conf.py sets and empties
it at start and drops a dead worker's gauges), and a scrape adds them up across the workers;
without that variable (runserver, tests) they live in the process. What is read from elsewhere
at scrape time (queue depth here; the outbox and beat's heartbeat in their apps) is a
*collector*: ``render(collectors)`` asks each one once per scrape.

The view that serves this (``home.metrics``) answers only with the monitoring token.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUEST_SECONDS = Histogram(
    "huiai_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by URL name, method and status class.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0),
)
FAILED_LOGINS = Counter("huiai_failed_logins", "Sign-in attempts refused (wrong password, unknown account).")


class Collector(Protocol):
    def collect(self) -> Iterable[Metric]: ...


def view_label(request: HttpRequest, response: HttpResponseBase) -> str:
    """The URL's name (a bounded set, never the path with its ids), or what answered instead."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or "unnamed"
    if response.get("X-Cache") == "hit":
        return "page-cache"
    return "unresolved"  # 404s, static files, middleware answers


class RequestMetricsMiddleware:
    """Times every request (first in MIDDLEWARE, so the whole stack is inside the measure)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "other"
        REQUEST_SECONDS.labels(view_label(request, response), method, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )
        return response


@receiver(user_login_failed, dispatch_uid="core.metrics.failed_login")
def count_failed_login(sender: object, **kwargs: object) -> None:
    FAILED_LOGINS.inc()


class CeleryQueueCollector:
    """Messages waiting in each Celery queue, and those taken by a worker but not yet finished."""

    def collect(self) -> Iterator[Metric]:
        from celery import current_app

        if current_app.conf.task_always_eager:
            return
        waiting = GaugeMetricFamily("huiai_celery_queue_length", "Tasks waiting in the broker.", labels=["queue"])
        unacked = GaugeMetricFamily("huiai_celery_unacked", "Tasks a worker has taken and not yet finished.")
        names = [queue.name for queue in current_app.amqp.queues.values()] or [current_app.conf.task_default_queue]
        with current_app.connection_for_read() as connection:
            client = connection.default_channel.client
            for name in names:
                waiting.add_metric([name], client.llen(name))
            unacked.add_metric([], client.hlen("unacked"))
        yield waiting
        yield unacked


def render(collectors: Iterable[Collector]) -> bytes:
    """The text exposition: this process's (or all gunicorn workers') metrics, then ``collectors``."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    extra = CollectorRegistry(auto_describe=False)
    for collector in collectors:
        extra.register(collector)
    return body + generate_latest(extra)
