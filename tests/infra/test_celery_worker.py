"""Celery against real brokers: a worker process runs a task; a hung broker cannot hang `.delay()`."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from contextlib import suppress

import pytest
from kombu.exceptions import OperationalError

from tests.conftest import REPO_DIR, closed_port, hung_server, redis_cache_settings, which

WORKER_DEADLINE = 30  # seconds for a fresh worker to start, take the task and run it
HUNG_BROKER_BOUND = 15  # seconds `.delay()` may take before returning or raising


def start_worker(redis_url: str, log_path, db_path) -> subprocess.Popen:
    celery = which("celery")
    if celery is None:
        pytest.fail("the celery command is not installed (make install)")
    env = os.environ | {
        # The worker uses the ordinary settings with Redis as cache and broker, on the test
        # database index, and a throw-away SQLite file (it never needs the database here).
        "DJANGO_SETTINGS_MODULE": "huiai.settings.dev",
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "DATABASE_URL": f"sqlite:///{db_path}",
        "SECRET_KEY": "worker-test-only",
        "PYTHONUNBUFFERED": "1",
    }
    log = open(log_path, "wb")  # noqa: SIM115 - closed by the caller through the process
    return subprocess.Popen(
        [celery, "-A", "huiai", "worker", "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle"],
        cwd=REPO_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@pytest.mark.redis
def test_worker_runs_a_published_task(settings, redis_url, celery_broker, tmp_path):
    from home.tasks import heartbeat_key, record_heartbeat

    settings.CACHES = redis_cache_settings(redis_url)
    celery_broker(redis_url, eager=False)
    from django.core.cache import cache

    token = uuid.uuid4().hex
    log_path = tmp_path / "worker.log"
    worker = start_worker(redis_url, log_path, tmp_path / "worker.sqlite3")
    try:
        record_heartbeat.delay(token)  # queued before the worker is ready: it must still run
        deadline = time.monotonic() + WORKER_DEADLINE
        value = None
        while time.monotonic() < deadline:
            value = cache.get(heartbeat_key(token))
            if value is not None or worker.poll() is not None:
                break
            time.sleep(0.25)
    finally:
        stop_worker(worker)
    log = log_path.read_text(errors="replace")
    assert value is not None, (
        f"the worker did not run record_heartbeat within {WORKER_DEADLINE}s "
        f"(worker exit code {worker.returncode}); its log:\n{log[-4000:]}"
    )
    assert "home.tasks.record_heartbeat" in log  # registered through autodiscovery


def test_delay_with_refused_broker_raises_quickly(celery_broker):
    from home.tasks import record_heartbeat

    celery_broker(f"redis://127.0.0.1:{closed_port()}/0", eager=False)

    started = time.monotonic()
    with pytest.raises(OperationalError):
        record_heartbeat.delay("refused")
    assert time.monotonic() - started < 5


def test_delay_with_hung_broker_is_bounded(celery_broker):
    """A Redis that accepts and never answers: the broker timeouts in settings bound `.delay()`."""
    from home.tasks import record_heartbeat

    with hung_server() as port:
        celery_broker(f"redis://127.0.0.1:{port}/0", eager=False)
        started = time.monotonic()
        # OperationalError is what accounts.tasks.enqueue catches to run the task in-process.
        with suppress(OperationalError):
            record_heartbeat.delay("hung")
        elapsed = time.monotonic() - started

    assert elapsed < HUNG_BROKER_BOUND, f".delay() took {elapsed:.1f}s against a hung broker"


def test_broker_timeouts_are_configured(settings):
    """The bound above rests on these settings; keep them explicit."""
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["socket_timeout"] <= 5
    assert options["socket_connect_timeout"] <= 5
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 5
    assert settings.CELERY_TASK_PUBLISH_RETRY_POLICY["max_retries"] <= 2
    assert settings.CELERY_RESULT_BACKEND is None
