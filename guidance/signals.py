"""Progress receivers: a completed course or a marked booking syncs the parent's open plans, and a
new guidance booking of a guardian is linked to their plan (``services.sessions``).

The sync runs in a task after the commit (``accounts.tasks.enqueue``: a worker, or at once when
the broker is down); the hourly beat task catches up whatever a lost task missed.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from courses.models import Enrolment
from workstations.models import Booking


def _sync_later(parent_id: int) -> None:
    from accounts.tasks import enqueue

    from .tasks import sync_plans_of_parent

    transaction.on_commit(lambda: enqueue(sync_plans_of_parent, parent_id))


@receiver(post_save, sender=Enrolment, dispatch_uid="guidance_enrolment_completed")
def enrolment_saved(sender: Any, instance: Enrolment, update_fields: Any = None, **kwargs: Any) -> None:
    if instance.completed_at is not None and (update_fields is None or "completed_at" in update_fields):
        _sync_later(instance.parent_id)


@receiver(post_save, sender=Booking, dispatch_uid="guidance_booking_marked")
def booking_saved(sender: Any, instance: Booking, created: bool = False, **kwargs: Any) -> None:
    if created:
        # In the booking's own transaction: a guidance booking of a guardian counts for their plan.
        from .services.sessions import link_booking

        link_booking(instance)
    if instance.status in (Booking.Status.ATTENDED, Booking.Status.NO_SHOW):
        _sync_later(instance.parent_id)
