"""Background work for cases: delivering the notification outbox and escalating overdue steps."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from celery import shared_task

from accounts.sms import send_sms

from .models import Notification

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 10
BATCH_SIZE = 50


def _send(notification: Notification) -> None:
    if notification.channel == Notification.Channel.SMS:
        send_sms(notification.address, notification.body)
    else:
        send_mail(notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [notification.address])


@shared_task
def deliver_pending_notifications() -> int:
    """Sends every pending outbox row once; returns how many were sent.

    Rows are locked with ``SELECT … FOR UPDATE SKIP LOCKED`` and stamped ``sent_at`` in the
    same transaction, so two workers never send the same row and a sent row is never picked
    again. A failed row counts an attempt and waits for the next run.
    """
    sent = 0
    tried: set[int] = set()
    while True:
        with transaction.atomic():
            batch = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
                .exclude(pk__in=tried)
                .order_by("pk")[:BATCH_SIZE]
            )
            for notification in batch:
                tried.add(notification.pk)
                try:
                    _send(notification)
                except Exception as error:  # noqa: BLE001 - any failure is recorded and retried later
                    logger.warning("Notification %s failed: %s", notification.pk, error)
                    notification.attempts += 1
                    notification.last_error = f"{type(error).__name__}: {error}"[:1000]
                    notification.save(update_fields=["attempts", "last_error"])
                    continue
                notification.sent_at = timezone.now()
                notification.attempts += 1
                notification.save(update_fields=["sent_at", "attempts"])
                sent += 1
        if len(batch) < BATCH_SIZE:
            return sent


@shared_task
def escalate_overdue_cases() -> int:
    from .services import escalate_overdue

    return escalate_overdue()
