"""The notification outbox: rows written inside the caller's transaction, delivered by a task."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role

from .models import BullyingReport, Notification

logger = logging.getLogger(__name__)


def district_staff() -> QuerySet[User]:
    return get_user_model().objects.filter(groups__name=Role.DISTRICT_STAFF.group_name, is_active=True).distinct()


def district_leads() -> QuerySet[User]:
    """District staff holding ``schools.lead_district``; all district staff when none is named.

    Falling back to everyone means an escalation can never go to nobody.
    """
    permission = Permission.objects.filter(codename="lead_district", content_type__app_label="schools").first()
    if permission is not None:
        leads = district_staff().filter(Q(groups__permissions=permission) | Q(user_permissions=permission)).distinct()
        if leads.exists():
            return leads
    return district_staff()


def case_url(report: BullyingReport) -> str:
    return settings.SITE_URL + reverse("schools:case_detail", args=[report.pk])


def queue(
    users: Iterable,
    *,
    subject: str,
    body: str,
    report: BullyingReport | None,
    sms: bool = False,
    dedupe: str | None = None,
) -> list[Notification]:
    """Writes outbox rows for ``users`` (e-mail, plus a text message when ``sms``).

    With ``dedupe``, a row whose key already exists is skipped: reruns add nothing.
    Delivery is kicked once the surrounding transaction commits.
    """
    created = []
    for user in users:
        channels = []
        if user.email:
            channels.append((Notification.Channel.EMAIL, user.email))
        if sms and user.phone:
            channels.append((Notification.Channel.SMS, user.phone))
        for channel, address in channels:
            key = f"{dedupe}:{user.pk}:{channel}" if dedupe else None
            try:
                with transaction.atomic():
                    created.append(
                        Notification.objects.create(
                            recipient=user,
                            channel=channel,
                            address=address,
                            subject=subject,
                            body=body,
                            report=report,
                            dedupe_key=key,
                        )
                    )
            except IntegrityError:
                continue
    if created:
        transaction.on_commit(kick_delivery)
    return created


def kick_delivery() -> None:
    """Asks a worker to deliver now; when the broker is down, the beat schedule catches up later."""
    from core import broker

    from .tasks import deliver_pending_notifications

    if not broker.publish(deliver_pending_notifications):
        logger.warning("Broker unreachable; notifications stay in the outbox until the next delivery run")


@dataclass(frozen=True)
class LateSummary:
    count: int
    since: datetime.datetime


def late_summary(now: datetime.datetime | None = None) -> LateSummary | None:
    """Outbox rows still unsent ``SCHOOLS_NOTIFICATION_LATE_MINUTES`` after they were written.

    Shown to district staff on the case list and dashboard; it clears itself once they are sent.
    """
    threshold = (now or timezone.now()) - datetime.timedelta(minutes=settings.SCHOOLS_NOTIFICATION_LATE_MINUTES)
    late = Notification.objects.filter(sent_at__isnull=True, created_at__lte=threshold).aggregate(
        count=Count("pk"), since=Min("created_at")
    )
    if not late["count"]:
        return None
    return LateSummary(count=late["count"], since=late["since"])
