"""Alerts on open plans (the hourly beat task): once per step, like case escalation.

- a course overdue or a session missed → the plan's worker;
- a plan within ``GUIDANCE_END_WARNING_DAYS`` of its end with requirements unmet → the worker
  and district staff.
Each alert is a plan event with a unique key, written in the same transaction as its outbox
rows, so a rerun (or two workers at once) alerts nobody twice.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from schools.notifications import district_staff, queue

from ..models import GuidancePlan, PlanEvent
from . import events
from .progress import progress_of, sync


def plan_url(plan: GuidancePlan) -> str:
    return settings.SITE_URL + reverse("guidance:plan_detail", args=[plan.pk])


def escalate_plans(now: datetime.datetime | None = None) -> int:
    """Syncs every open plan's progress and sends the alerts not sent yet; returns how many."""
    now = now or timezone.now()
    sent = 0
    for plan in GuidancePlan.objects.filter(status=GuidancePlan.Status.OPEN).select_related("worker", "case"):
        with transaction.atomic():
            sent += _escalate(plan, now)
    return sent


def _escalate(plan: GuidancePlan, now: datetime.datetime) -> int:
    new = sync(plan, now=now)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for event in new:
            if event.kind in (PlanEvent.Kind.COURSE_OVERDUE, PlanEvent.Kind.SESSION_MISSED):
                subject = _("Guidance plan %(reference)s: %(what)s") % {
                    "reference": plan.reference,
                    "what": event.get_kind_display(),
                }
                queue([plan.worker], subject=subject, body=f"{subject}\n{event.detail}\n{plan_url(plan)}", report=None)
                sent += 1
        today = timezone.localdate(now)
        warn_from = plan.ends_on - datetime.timedelta(days=settings.GUIDANCE_END_WARNING_DAYS)
        if warn_from <= today <= plan.ends_on and not progress_of(plan, today=today).met:
            warning = events.record(plan, PlanEvent.Kind.END_NEAR, key=f"end_near:{plan.ends_on}", now=now)
            if warning is not None:
                subject = _("Guidance plan %(reference)s ends on %(date)s with requirements unmet") % {
                    "reference": plan.reference,
                    "date": plan.ends_on.isoformat(),
                }
                recipients = {plan.worker, *district_staff()}
                queue(recipients, subject=subject, body=f"{subject}\n{plan_url(plan)}", report=None, sms=True)
                sent += 1
    return sent
