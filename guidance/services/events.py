"""The plan's own timeline, copied to the case timeline: each step recorded once (unique key)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from schools.services import add_guidance_event

from ..models import GuidancePlan, PlanEvent

if TYPE_CHECKING:
    import datetime

    from accounts.models import User


def record(
    plan: GuidancePlan,
    kind: str,
    *,
    key: str,
    detail: str = "",
    by: User | None = None,
    now: datetime.datetime | None = None,
) -> PlanEvent | None:
    """Records ``kind`` for ``plan`` once per ``key``; returns None when it was already recorded.

    A plan on a case also puts the line on the case's timeline (through ``schools.services``),
    where everyone who may see the case reads it; the line names the plan, a course or a date,
    never a person.
    """
    try:
        with transaction.atomic():
            event = PlanEvent.objects.create(
                plan=plan, kind=kind, key=key[:80], detail=detail[:200], created_at=now or timezone.now()
            )
    except IntegrityError:
        return None
    if plan.case is not None:
        with translation.override(settings.LANGUAGE_CODE):
            label = str(PlanEvent.Kind(kind).label)
            text = f"{plan.reference} · {label}" + (f" · {detail}" if detail else "")
        add_guidance_event(plan.case, text=text, by=by)
    return event
