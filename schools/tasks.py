"""Background work for cases: delivering the notification outbox and escalating overdue steps.

Delivery is exactly once except in one window, written down in ``deliver_due`` and in
docs/security.md: the mail server accepted the message and the worker died before its
transaction committed. Nothing is ever abandoned: a failed row is retried with a growing,
capped delay for as long as it takes, and rows late beyond a threshold are shown to district
staff on the case pages (``schools.notifications.late_summary``).
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.utils import timezone

from celery import shared_task

from accounts.sms import send_sms

from .models import Notification

logger = logging.getLogger(__name__)

# Errors that mean "the mail server cannot be reached", not "this message was refused": after
# one of them the run stops trying e-mail, so an outage costs one connection attempt per run.
MAIL_UNREACHABLE = (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Wait after the ``attempts``-th failure: doubling from the minimum, capped at the maximum."""
    low = settings.SCHOOLS_NOTIFICATION_RETRY_MIN_SECONDS
    high = settings.SCHOOLS_NOTIFICATION_RETRY_MAX_SECONDS
    exponent = min(max(attempts, 1) - 1, 30)
    return datetime.timedelta(seconds=min(high, low * 2**exponent))


def message_id(notification: Notification) -> str:
    """The same Message-ID on every attempt, so a copy sent twice can be recognised as one."""
    domain = urlsplit(settings.SITE_URL).hostname or "huiai.invalid"
    return f"<notification-{notification.pk}.{int(notification.created_at.timestamp())}@{domain}>"


class _Mailer:
    """One SMTP connection per delivery run, reopened after an error."""

    def __init__(self):
        self.connection = None

    def send(self, notification: Notification) -> None:
        if self.connection is None:
            self.connection = get_connection()
        email = EmailMessage(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.address],
            connection=self.connection,
            headers={"Message-ID": message_id(notification)},
        )
        try:
            email.send()
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # noqa: BLE001 - a broken connection is dropped either way
                logger.debug("Closing the SMTP connection failed", exc_info=True)
            self.connection = None


def _hold_lease() -> None:
    """Bounds how long this transaction may keep its row lock while waiting on a send.

    On PostgreSQL a worker that hangs (idle in its transaction) longer than the lease has its
    session ended by the server, which releases the lock so another worker can deliver the row.
    A worker that is killed releases it at once: the server ends the session when the socket closes.
    """
    if connection.vendor == "postgresql":
        milliseconds = int(settings.SCHOOLS_NOTIFICATION_LEASE_SECONDS * 1000)
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('idle_in_transaction_session_timeout', %s, true)", [str(milliseconds)])


def deliver_due(now: datetime.datetime | None = None) -> int:
    """Sends every outbox row that is due, one row per transaction; returns how many were sent.

    Each row is claimed with ``SELECT … FOR UPDATE SKIP LOCKED``, sent while the lock is held,
    and stamped ``sent_at`` (or given its next attempt time) in that same transaction. So:

    - two workers never send the same row (the second skips the locked row, then sees it sent);
    - a worker killed before the mail server accepted the message loses nothing: its session
      ends, the lock goes, the row is still pending and the next run sends it;
    - a worker killed after the server accepted the message but before the commit leaves the
      row pending, and it is sent again (at-least-once in that window only). The window is one
      row wide (one row per transaction) and the copy carries the same Message-ID, or for a
      text message the same key (``huiai-notification-<pk>``), which the SMS gateway can drop.
    """
    sent = 0
    mailer = _Mailer()
    mail_reachable = True
    try:
        while True:
            moment = now or timezone.now()
            with transaction.atomic():
                _hold_lease()
                due = Notification.objects.select_for_update(skip_locked=True).filter(
                    sent_at__isnull=True, next_attempt_at__lte=moment
                )
                if not mail_reachable:
                    due = due.exclude(channel=Notification.Channel.EMAIL)
                notification = due.order_by("next_attempt_at", "pk").first()
                if notification is None:
                    return sent
                notification.attempts += 1
                try:
                    if notification.channel == Notification.Channel.SMS:
                        send_sms(notification.address, notification.body, key=f"huiai-notification-{notification.pk}")
                    else:
                        mailer.send(notification)
                except Exception as error:  # noqa: BLE001 - any failure is recorded and retried later
                    if isinstance(error, MAIL_UNREACHABLE) and notification.channel == Notification.Channel.EMAIL:
                        mail_reachable = False
                    notification.next_attempt_at = moment + retry_delay(notification.attempts)
                    notification.last_error = f"{type(error).__name__}: {error}"[:1000]
                    logger.warning(
                        "Notification %s failed (attempt %s, next at %s): %s",
                        notification.pk,
                        notification.attempts,
                        notification.next_attempt_at.isoformat(),
                        error,
                    )
                    notification.save(update_fields=["attempts", "next_attempt_at", "last_error"])
                    continue
                notification.sent_at = timezone.now() if now is None else now
                notification.last_error = ""
                notification.save(update_fields=["sent_at", "attempts", "last_error"])
                sent += 1
    finally:
        mailer.close()


@shared_task
def deliver_pending_notifications() -> int:
    """Sends every due outbox row (see ``deliver_due``); the beat schedule runs it every minute."""
    return deliver_due()


@shared_task
def escalate_overdue_cases() -> int:
    from .services import escalate_overdue

    return escalate_overdue()


@shared_task
def forget_sealed_receipt_codes() -> int:
    from .services import forget_sealed_codes

    return forget_sealed_codes()
