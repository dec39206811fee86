from __future__ import annotations

from celery import shared_task


@shared_task
def escalate_plans() -> int:
    """Hourly (beat): progress events and alerts of open guidance plans, each once."""
    from .services import escalate_plans as run

    return run()


@shared_task
def sync_plans_of_parent(parent_id: int) -> int:
    """After a course completes or a booking is marked: record the progress of the parent's plans."""
    from .models import GuidancePlan
    from .services import sync

    plans = GuidancePlan.objects.filter(guardians__user_id=parent_id, status=GuidancePlan.Status.OPEN).distinct()
    return sum(len(sync(plan)) for plan in plans)
