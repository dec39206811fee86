"""Escalation of overdue steps to the handler and the district leads."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, notifications
from ..models import (
    AuditLog,
    BullyingReport,
    CaseEvent,
    Escalation,
    State,
)
from .steps import _event

# --- Escalation ----------------------------------------------------------------------------------

OVERDUE_STEPS = {
    "acknowledge": (State.SUBMITTED, "acknowledge_due_at"),
    "determine": (State.INVESTIGATING, "determination_due_at"),
}


def overdue_cases(*, now: datetime.datetime | None = None) -> QuerySet[BullyingReport]:
    now = now or timezone.now()
    return BullyingReport.objects.filter(
        Q(state=State.SUBMITTED, acknowledge_due_at__lt=now)
        | Q(state=State.INVESTIGATING, determination_due_at__lt=now)
    ).select_related("school", "handler")


def escalate_overdue(*, now: datetime.datetime | None = None) -> int:
    """Notifies the handler and the district lead(s) of each overdue step, once; returns how many.

    Safe to rerun: ``Escalation`` is unique per case, step and deadline.
    """
    now = now or timezone.now()
    escalated = 0
    for report in overdue_cases(now=now):
        step = "acknowledge" if report.state == State.SUBMITTED else "determine"
        due_at = getattr(report, OVERDUE_STEPS[step][1])
        with transaction.atomic():
            _escalation, created = Escalation.objects.get_or_create(report=report, step=step, due_at=due_at)
            if not created:
                continue
            recipients = {user.pk: user for user in notifications.district_leads()}
            if report.handler is not None:
                recipients[report.handler.pk] = report.handler
            step_label = _("acknowledgement") if step == "acknowledge" else _("determination")
            notifications.queue(
                recipients.values(),
                subject=_("Overdue: %(step)s of case %(number)s") % {"step": step_label, "number": report.case_number},
                body=_("The %(step)s of case %(number)s was due %(due)s. %(link)s")
                % {
                    "step": step_label,
                    "number": report.case_number,
                    "due": timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M"),
                    "link": notifications.case_url(report),
                },
                report=report,
                sms=True,
                dedupe=f"overdue:{report.pk}:{step}:{due_at.isoformat()}",
            )
            _event(report, None, CaseEvent.Kind.ESCALATION, reason=str(step_label))
            audit.record(None, AuditLog.Action.ESCALATE, report, step=step)
            escalated += 1
    return escalated
