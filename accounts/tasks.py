"""Background work for accounts: account mail, text messages, housekeeping."""

from __future__ import annotations

import logging

from django.core import management
from django.core.mail import EmailMultiAlternatives

from celery import shared_task

from core import broker

from .sms import send_sms

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email_task(subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_sms_task(self, to: str, body: str) -> None:
    # A retry, or a redelivery after a worker died, keeps the task's id: every copy one key.
    send_sms(to, body, key=f"huiai-task-{self.request.id}" if self.request.id else "")


@shared_task
def clear_expired_sessions() -> None:
    management.call_command("clearsessions")


def enqueue(task, *args, **kwargs) -> None:
    """Queues ``task``; when the broker cannot be reached, runs it here and now.

    Sign-in codes are only useful within minutes, so waiting for the broker to return is
    worse than sending from the web process. Broker timeouts (settings, ``CELERY_BROKER_*``)
    bound how long the attempt to queue can take, and after a failure ``core.broker`` skips the
    attempt for a few seconds.
    """
    if not broker.publish(task, *args, **kwargs):
        logger.warning("Broker unreachable; running %s in the web process", task.name)
        task.apply(args=args, kwargs=kwargs, throw=True)
