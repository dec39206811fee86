"""Mail and SMS reach people even when the Celery broker (Redis) is down."""

from __future__ import annotations

import time

from django.urls import reverse

import pytest

from accounts.tasks import enqueue, send_sms_task
from tests.conftest import closed_port, hung_server

from .conftest import code_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(celery_broker):
    """Eager mode off and the broker URL on a loopback port where nothing listens."""
    return celery_broker(f"redis://127.0.0.1:{closed_port()}/0", eager=False)


def test_enqueue_runs_the_task_in_process_when_the_broker_is_unreachable(broker_down, sms_outbox, caplog):
    started = time.monotonic()

    enqueue(send_sms_task, "+8613800000000", "hello")

    assert time.monotonic() - started < 10
    assert "Broker unreachable" in caplog.text
    assert [(message.to, message.body) for message in sms_outbox] == [("+8613800000000", "【汇爱】hello")]


def test_sign_up_sms_is_delivered_within_seconds_when_the_broker_is_down(client, broker_down, sms_outbox):
    password = "a-long-family-password"
    started = time.monotonic()

    response = client.post(
        reverse("account_signup"),
        {"phone": "13800000000", "password1": password, "password2": password, "privacy_consent": "on"},
    )

    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 10, f"sign-up took {elapsed:.1f} s with the broker down"
    assert [message.to for message in sms_outbox] == ["+8613800000000"]
    assert code_in(sms_outbox[0].body)


def test_password_reset_mail_is_delivered_when_the_broker_is_down(client, broker_down, mailoutbox):
    from tests.factories.accounts import UserFactory

    UserFactory(email="parent@family.example")
    started = time.monotonic()

    client.post(reverse("account_reset_password"), {"email": "parent@family.example"})

    assert time.monotonic() - started < 10
    assert [message.to for message in mailoutbox] == [["parent@family.example"]]


def test_enqueue_falls_back_within_seconds_when_the_broker_accepts_but_never_answers(celery_broker, sms_outbox):
    with hung_server() as port:
        celery_broker(f"redis://127.0.0.1:{port}/0", eager=False)
        started = time.monotonic()

        enqueue(send_sms_task, "+8613800000000", "hello")

        elapsed = time.monotonic() - started
    assert elapsed < 10, f"publishing to a hung broker took {elapsed:.1f} s"
    assert len(sms_outbox) == 1
