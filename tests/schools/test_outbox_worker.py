"""A real Celery worker killed (SIGKILL) in the middle of delivering the outbox, then a new one.

Needs PostgreSQL (the worker process shares the test database, and the claim is a row lock)
and a Redis broker (HUIAI_TEST_REDIS_URL). Every message must reach its recipient once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

from django.db import connection

import pytest

from schools import notifications
from schools.models import Notification
from tests.conftest import REPO_DIR, which
from tests.factories.accounts import UserFactory
from tests.infra.test_celery_worker import stop_worker
from tests.schools.smtp import smtp_server

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (run with DATABASE_URL)"),
]

DEADLINE = 90  # seconds for a worker to start on a busy machine and get where we wait for it
MESSAGES = 5
WORKER_QUIET = ["--without-gossip", "--without-mingle"]
HELD = 2  # index of the message the first worker is killed on (two were sent before it)


def _database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(redis_url: str, smtp_port: int, log_path) -> subprocess.Popen:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "huiai.settings.dev",
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "DATABASE_URL": _database_url(),  # the test database, where this test's rows are committed
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "SECRET_KEY": "worker-test-only",
        "PYTHONUNBUFFERED": "1",
    }
    log = open(log_path, "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [which("celery"), "-A", "huiai", "worker", "--pool=solo", "--loglevel=INFO", *WORKER_QUIET],
        cwd=REPO_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait(condition, what: str, worker, log_path) -> None:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if condition():
            return
        if worker is not None and worker.poll() is not None:
            break
        time.sleep(0.2)
    log = log_path.read_text(errors="replace")[-4000:]
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log}")


def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_nothing_twice(
    settings, redis_url, celery_broker, tmp_path, monkeypatch
):
    from schools.tasks import deliver_pending_notifications

    monkeypatch.setattr("schools.notifications.kick_delivery", lambda: None)
    users = [UserFactory(email=f"officer{index}@example.org") for index in range(MESSAGES)]
    notifications.queue(users, subject="新案件", body="请查看案件。", report=None)
    celery_broker(redis_url, eager=False)
    log_path = tmp_path / "worker.log"

    with smtp_server() as server:
        server.hold(users[HELD].email)
        first = _start_worker(redis_url, server.port, log_path)
        try:
            deliver_pending_notifications.delay()
            _wait(server.holding.is_set, "the first worker to reach the held message", first, log_path)
            assert sum(server.count().values()) == HELD
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        finally:
            stop_worker(first)
        server.release()
        pending = Notification.objects.filter(sent_at__isnull=True)
        assert pending.count() == MESSAGES - HELD  # the killed delivery is still in the outbox

        second = _start_worker(redis_url, server.port, log_path)
        try:
            deliver_pending_notifications.delay()  # what the beat schedule sends every minute
            _wait(lambda: not pending.exists(), "the second worker to deliver the rest", second, log_path)
        finally:
            stop_worker(second)

    assert server.count() == {user.email: 1 for user in users}
    assert len({message_id for _, message_id in server.accepted}) == MESSAGES
