"""Site-wide views that are not Wagtail pages."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache

from celery import current_app as celery_app

from accounts import roles


def _check(probe) -> dict:
    started = time.perf_counter()
    try:
        detail = probe()
    except Exception as error:  # noqa: BLE001 - any failure means "down", reported by type only
        return {"ok": False, "error": type(error).__name__, "ms": round((time.perf_counter() - started) * 1000, 1)}
    result = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if detail:
        result["detail"] = detail
    return result


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    # A degrading backend (core/cache.py) never raises on get/set: ask it directly.
    ping = getattr(cache, "ping", None)
    if ping is not None:
        ping()
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return the value just written")


def _broker() -> str | None:
    # Ask Celery's own configuration (what ``.delay()`` uses), not Django settings, which
    # Celery reads only once. ``current_app`` is the project's app (``huiai.celery``, made current
    # when the ``huiai`` package loads), reached without an import from an app back into ``huiai``.
    if celery_app.conf.task_always_eager:
        return "eager"
    # One quick retry, no back-off sleep (kombu's default first sleep is 2 s). A hung broker
    # is bounded by the socket timeouts in CELERY_BROKER_TRANSPORT_OPTIONS.
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, interval_max=0.2, timeout=2)
    return None


def may_see_health_details(request) -> bool:
    """Check details are for operators only: a superuser, district staff, or the monitoring token.

    The token (``HEALTHZ_TOKEN``) is sent as ``Authorization: Bearer <token>``, never in the URL,
    so it does not end up in access logs. Everyone else learns only up or down.
    """
    token = getattr(settings, "HEALTHZ_TOKEN", "")
    sent = request.headers.get("Authorization", "")
    if token and sent.startswith("Bearer ") and constant_time_compare(sent.removeprefix("Bearer ").strip(), token):
        return True
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or roles.has_role(user, roles.Role.DISTRICT_STAFF)


@never_cache
def health(request):
    """Liveness and readiness in one: 200 when database, cache and broker answer, else 503.

    Anonymous callers get the status only; operators (``may_see_health_details``) also get
    each check with its timing and the type of any error.

    Why not django-health-check (4.x)? Its database, cache and storage checks do what the three
    probes above do, but it falls short here on two counts: its views show every check's error
    to whoever asks (these details are for operators only), and its Celery check sends a task and
    waits for the result, which needs a result backend (there is none by design,
    huiai/settings/celery.py) and would take web processes out of service whenever the workers
    are down. Readiness asks only whether the broker accepts messages; whether tasks run is for
    /metrics (queue length, outbox age, beat's heartbeat).
    """
    checks = {"database": _check(_database), "cache": _check(_cache), "broker": _check(_broker)}
    healthy = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if healthy else "unavailable"}
    if may_see_health_details(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if healthy else 503)


@login_required
@never_cache
def workbench(request):
    """我的工作台: each signed-in person's home, a section per role (``home.workbench``)."""
    from home import workbench as sections

    return render(request, "home/workbench.html", sections.build(request))


@never_cache
def liveness(request):
    """Liveness: the process answers requests. No database, cache or broker is asked, so a
    PostgreSQL or Redis outage never makes the supervisor restart healthy app processes;
    ``health`` (/healthz, /healthz/ready) says whether they may take traffic."""
    return JsonResponse({"status": "ok"})
