"""Which station bookings count for which plan (``PlanBooking``).

A booking counts for a plan when it is of a guidance service (``settings.GUIDANCE_SESSION_SERVICES``,
not counselling or legal aid), made by one of the plan's guardians, for a time within the plan's
period, while the plan is open. Of several such plans the one that ends first takes it. A booking
counts for one plan only, and stays linked when it is cancelled (a cancelled one is not counted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from workstations.models import Booking

from ..models import GuidancePlan, PlanBooking

if TYPE_CHECKING:
    from accounts.models import User


def counts_as_guidance(booking: Booking) -> bool:
    return booking.slot.service.slug in settings.GUIDANCE_SESSION_SERVICES


def plan_for(booking: Booking) -> GuidancePlan | None:
    """The open plan of the booking's parent whose period holds the booking's day."""
    day = timezone.localdate(booking.slot.starts_at)
    return (
        GuidancePlan.objects.filter(
            status=GuidancePlan.Status.OPEN,
            guardians__user_id=booking.parent_id,
            starts_on__lte=day,
            ends_on__gte=day,
        )
        .order_by("ends_on", "pk")
        .first()
    )


def link_booking(booking: Booking) -> PlanBooking | None:
    """Links a new booking to its plan, if it counts for one."""
    if booking.status == Booking.Status.CANCELLED or not counts_as_guidance(booking):
        return None
    plan = plan_for(booking)
    if plan is None:
        return None
    link, _created = PlanBooking.objects.get_or_create(booking=booking, defaults={"plan": plan})
    return link


def link_bookings_of(plan: GuidancePlan, user: User) -> int:
    """When a guardian's account joins a plan: their guidance bookings in its period, not counted
    for another plan yet, count for it. Returns how many were linked."""
    bookings = (
        Booking.objects.live()
        .filter(
            parent=user,
            slot__service__slug__in=settings.GUIDANCE_SESSION_SERVICES,
            slot__starts_at__date__gte=plan.starts_on,
            slot__starts_at__date__lte=plan.ends_on,
            plan_link__isnull=True,
        )
        .values_list("pk", flat=True)
    )
    links = [PlanBooking(plan=plan, booking_id=pk) for pk in bookings]
    PlanBooking.objects.bulk_create(links, ignore_conflicts=True)
    return len(links)


def bookings_of(plan: GuidancePlan, user: User) -> list[Booking]:
    """The guardian's bookings that count for the plan, cancelled ones left out (their own page)."""
    return list(
        Booking.objects.live()
        .filter(plan_link__plan=plan, parent=user)
        .select_related("slot__station", "slot__service")
        .order_by("slot__starts_at")
    )
