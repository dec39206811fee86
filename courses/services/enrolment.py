"""Enrolment: seats, waitlists, enrolment codes and assigned courses.

Open courses take any signed-in parent; a course with an ``enrolment_code`` needs the code.
With a ``capacity``, parents beyond it join a waitlist ordered by when they asked; when a
seat frees (someone leaves, or an editor raises the capacity) the earliest waitlisted
parent takes it. Seat counting runs inside a transaction holding ``select_for_update`` on
the course row, so two parents can never both take the last seat. An **assigned** course
(``assign_course``) always gets a seat — a parent given a deadline must be able to meet
it — and cannot be left by the parent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import ratelimit
from courses.models import Assignment, CoursePage, Enrolment
from courses.selectors import active_count, can_assign

from .errors import EnrolmentError

if TYPE_CHECKING:
    from accounts.models import User


def _lock_course(course: CoursePage) -> CoursePage:
    locked: CoursePage = CoursePage.objects.select_for_update(of=("self",)).get(pk=course.pk)
    return locked


def _fill_free_seats(course: CoursePage, now: datetime) -> list[Enrolment]:
    """Gives free seats to the earliest waitlisted parents; call with the course locked."""
    waitlist = Enrolment.objects.select_for_update().filter(course=course, status=Enrolment.Status.WAITLISTED)
    if course.capacity is None:
        promoted = list(waitlist)
    else:
        free = course.capacity - active_count(course)
        promoted = list(waitlist.order_by("requested_at", "pk")[: max(free, 0)])
    for enrolment in promoted:
        enrolment.status = Enrolment.Status.ACTIVE
        enrolment.enrolled_at = now
        enrolment.save(update_fields=["status", "enrolled_at"])
    return promoted


CODE_FAILURES = "enrolment-code-failed"


def _check_code(parent: User, course: CoursePage, *, code: str, client: str | None) -> None:
    """Refuses a wrong code, and every code once this parent or this client (``core.ratelimit``)
    has typed ``COURSES_ENROLMENT_CODE_FAILURES_PER_HOUR`` wrong ones: only failures count, so a
    parent who types the right code is never held back by anyone else's mistakes."""
    whos = [ratelimit.user(parent)] + ([client] if client else [])
    if ratelimit.over(CODE_FAILURES, whos, settings.COURSES_ENROLMENT_CODE_FAILURES_PER_HOUR):
        raise EnrolmentError(
            _(
                "Too many wrong enrolment codes were typed in the last hour. "
                "Please try again later, or ask the course's teacher for the code."
            )
        )
    if code.strip().upper() != course.enrolment_code.strip().upper():
        for who in whos:
            ratelimit.add(CODE_FAILURES, who)
        raise EnrolmentError(_("The enrolment code is not correct. Please check it and try again."))


@transaction.atomic
def enrol(
    parent: User,
    course: CoursePage,
    *,
    code: str = "",
    source: Enrolment.Source = Enrolment.Source.OPEN,
    client: str | None = None,
) -> Enrolment:
    """Enrols ``parent`` in ``course``, or puts them on the waitlist when it is full.

    Enrolling again while enrolled or waitlisted changes nothing and returns the enrolment.
    ``client`` is the requester's ``core.ratelimit.client`` key, for the wrong-code limit.
    """
    now = timezone.now()
    course = _lock_course(course)
    if not course.live:
        raise EnrolmentError(_("This course is not open for enrolment."))
    assigned = source == Enrolment.Source.ASSIGNED
    if course.requires_code and not assigned:
        _check_code(parent, course, code=code, client=client)
    _fill_free_seats(course, now)

    enrolment = Enrolment.objects.select_for_update().filter(course=course, parent=parent).first()
    if enrolment and enrolment.is_active:
        if assigned and enrolment.source != source:
            enrolment.source = source
            enrolment.save(update_fields=["source"])
        return enrolment
    if enrolment and enrolment.is_waitlisted and not assigned:
        return enrolment

    has_seat = assigned or course.capacity is None or active_count(course) < course.capacity
    if enrolment is None:
        enrolment = Enrolment(course=course, parent=parent, requested_at=now)
    elif enrolment.status == Enrolment.Status.LEFT:
        enrolment.requested_at = now
        enrolment.left_at = None
    enrolment.source = source
    if has_seat:
        enrolment.status = Enrolment.Status.ACTIVE
        enrolment.enrolled_at = now
    else:
        enrolment.status = Enrolment.Status.WAITLISTED
        enrolment.enrolled_at = None
    enrolment.save()
    return enrolment


@transaction.atomic
def leave(parent: User, course: CoursePage) -> Enrolment:
    """Takes ``parent`` out of the course (or off its waitlist) and gives the seat to the next in line.

    Lesson progress and a recorded course completion are kept, so coming back resumes.
    """
    now = timezone.now()
    course = _lock_course(course)
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(course=course, parent=parent)
        .exclude(status=Enrolment.Status.LEFT)
        .first()
    )
    if enrolment is None:
        raise EnrolmentError(_("You are not enrolled in this course."))
    if enrolment.source == Enrolment.Source.ASSIGNED:
        raise EnrolmentError(
            _("This course was assigned to you and cannot be left. Please contact the person who assigned it.")
        )
    was_active = enrolment.is_active
    enrolment.status = Enrolment.Status.LEFT
    enrolment.left_at = now
    enrolment.save(update_fields=["status", "left_at"])
    if was_active:
        _fill_free_seats(course, now)
    return enrolment


@transaction.atomic
def assign_course(
    course: CoursePage, *, parents: Iterable[User], deadline: date, reason: str, assigned_by: User | None = None
) -> list[Assignment]:
    """Assigns ``course`` to each parent with a deadline and a reason, enrolling them at once."""
    if assigned_by is not None and not can_assign(assigned_by, course):
        raise PermissionDenied(_("You may not assign this course."))
    assignments = []
    for parent in parents:
        enrolment = enrol(parent, course, source=Enrolment.Source.ASSIGNED)
        assignments.append(
            Assignment.objects.create(
                course=course,
                parent=parent,
                deadline=deadline,
                reason=reason,
                assigned_by=assigned_by,
                enrolment=enrolment,
            )
        )
    return assignments
