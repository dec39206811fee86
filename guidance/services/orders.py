"""Registering a court order (家庭教育指导令): the order and its plan in one transaction."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import CoursePage

from .. import selectors
from ..models import Court, CourtOrder, GuidancePlan
from .errors import GuidanceError
from .plans import Guardian, create_plan

if TYPE_CHECKING:
    from accounts.models import User

SESSION_HOURS = 1.5  # a guidance session counts for this many of the order's hours


def sessions_for_hours(hours: int, course_minutes: int) -> int:
    """Sessions needed for the order's hours once the courses' own study time is counted."""
    remaining = max(0.0, hours - course_minutes / 60)
    return math.ceil(remaining / SESSION_HOURS)


def register_order(
    *,
    by: User,
    court: Court,
    order_number: str,
    issued_on: datetime.date,
    required_content: str,
    required_hours: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    guardians: Iterable[Guardian],
    worker: User,
    courses: Sequence[CoursePage],
    review_on: datetime.date | None = None,
    required_sessions: int | None = None,
) -> GuidancePlan:
    """Registers the order and creates its plan: courses due by the period's end, sessions enough
    for the required hours unless given, the review halfway through the period unless given."""
    if not selectors.may_register_orders(by):
        raise PermissionDenied
    order_number = " ".join(order_number.split())
    if CourtOrder.objects.filter(order_number=order_number).exists():
        raise GuidanceError(_("An order with this number is registered already."))
    if ends_on < starts_on:
        raise GuidanceError(_("The period must not end before it starts."))
    if required_sessions is None:
        minutes = sum(course.estimated_minutes or 0 for course in courses)
        required_sessions = sessions_for_hours(required_hours, minutes)
    with transaction.atomic():
        order = CourtOrder.objects.create(
            court=court,
            order_number=order_number,
            issued_on=issued_on,
            required_content=required_content,
            required_hours=required_hours,
            starts_on=starts_on,
            ends_on=ends_on,
            registered_by=by,
        )
        return create_plan(
            by=by,
            worker=worker,
            courses=courses,
            course_deadline=ends_on,
            required_sessions=required_sessions,
            starts_on=starts_on,
            ends_on=ends_on,
            review_on=review_on or starts_on + (ends_on - starts_on) / 2,
            guardians=guardians,
            order=order,
        )
