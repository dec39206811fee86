"""Every rule that changes a parent's profile, a class code, a class's members or its assignments.

Rules:

* **Consent first.** A parent's street and children are saved only with the guardian's consent
  (``consented_at``); a real name may be saved on its own (certificates need it).
* **Class codes** are 8 characters from an alphabet without look-alikes, unique, and expire
  ``PARTICIPATION_CLASS_CODE_DAYS`` after they are issued; rotating issues a new one and the old
  one stops working at once. Only the class's head teacher, an officer of its school or district
  staff may rotate (``may_manage_class``).
* **Joining** with a code: a wrong or expired code gets a message saying which, and only
  failures count towards ``PARTICIPATION_CODE_FAILURES_PER_HOUR`` per parent and per client
  address (``core.ratelimit``); past it every code is refused for the hour, so codes cannot be
  guessed. Joining twice changes nothing. A parent who joins is given, at once, every course
  assigned to the class, its grade or its school whose deadline has not passed.
* **Group assignments** go through ``courses.services.assign_course`` — the one place an
  assignment is made — once per parent not assigned that course by the same group already.
* **Reminders** from a head teacher reach, through the schools outbox, the parents of the class
  who have not finished a course assigned to it; at most one a day per class (a unique row per
  class and day, written in the same transaction as the outbox rows).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role, is_district, is_head_teacher
from core import ratelimit
from core.errors import DomainError
from courses import services as course_services
from courses.models import Assignment, CoursePage
from participation.models import Child, ClassReminder, GroupAssignment, ParentProfile, ParentSchool, SchoolClass
from schools.models import School, SchoolMembership, StreetTown

if TYPE_CHECKING:
    from accounts.models import User
    from accounts.roles import SomeUser

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_FAILURES = "class-code-failed"


class ParticipationError(DomainError):
    """A rule of parent schools refused what was asked."""


# --- Codes ----------------------------------------------------------------------------------


def new_code_fields(now: datetime.datetime | None = None) -> tuple[str, datetime.datetime]:
    """A fresh random code and its expiry (uniqueness is the column's: a clash raises)."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))
    expires = (now or timezone.now()) + datetime.timedelta(days=settings.PARTICIPATION_CLASS_CODE_DAYS)
    return code, expires


def normalise_code(code: str) -> str:
    return "".join(code.split()).upper().replace("-", "")[:20]


def code_is_live(school_class: SchoolClass, now: datetime.datetime | None = None) -> bool:
    return school_class.code_expires_at > (now or timezone.now())


# --- Who may do what ------------------------------------------------------------------------


def officer_school_ids(user: SomeUser) -> list[int]:
    if user is None or not user.is_authenticated or not has_role(user, Role.SCHOOL_OFFICER):
        return []
    return list(SchoolMembership.objects.filter(user=user).values_list("school_id", flat=True))


def classes_managed_by(user: SomeUser) -> QuerySet[SchoolClass]:
    """District staff: every class; a school officer: their school's; a head teacher: their own."""
    classes = SchoolClass.objects.select_related("parent_school__school", "head_teacher")
    if user is None or not user.is_authenticated:
        return classes.none()
    if is_district(user):
        return classes
    scope = Q(pk__in=[])
    schools = officer_school_ids(user)
    if schools:
        scope |= Q(parent_school__school_id__in=schools)
    if is_head_teacher(user):
        scope |= Q(head_teacher=user)
    return classes.filter(scope)


def may_manage_class(user: SomeUser, school_class: SchoolClass) -> bool:
    return classes_managed_by(user).filter(pk=school_class.pk).exists()


def may_assign_to_school(user: SomeUser, parent_school: ParentSchool) -> bool:
    """A grade or the whole school: district staff, or an officer of that school."""
    return is_district(user) or parent_school.school_id in officer_school_ids(user)


@transaction.atomic
def rotate_code(*, school_class: SchoolClass, by: User) -> SchoolClass:
    """Issues a new code for the class; the old one stops working at once."""
    if not may_manage_class(by, school_class):
        raise PermissionDenied
    locked = SchoolClass.objects.select_for_update().get(pk=school_class.pk)
    for _try in range(5):
        locked.code, locked.code_expires_at = new_code_fields()
        try:
            with transaction.atomic():
                locked.save(update_fields=["code", "code_expires_at"])
            break
        except IntegrityError:  # pragma: no cover - a 32^8 clash
            continue
    return locked


# --- The parent's profile -------------------------------------------------------------------


def profile_of(parent: User) -> ParentProfile | None:
    return ParentProfile.objects.filter(parent=parent).select_related("street").first()


@transaction.atomic
def save_profile(*, parent: User, name: str, street: StreetTown | None, consent: bool) -> ParentProfile:
    """Saves the real name, and the street only with consent; with a name, queues any
    certificate that waited for it (``courses.certificates``)."""
    profile, _created = ParentProfile.objects.select_for_update().get_or_create(parent=parent)
    name = name.strip()
    if name != parent.name:
        parent.name = name
        parent.save(update_fields=["name"])
    if street is not None and not consent and profile.consented_at is None:
        raise ParticipationError(_("Please tick the consent box: we keep your street only with your consent."))
    if consent and profile.consented_at is None:
        profile.consented_at = timezone.now()
    profile.street = street
    profile.save()
    if name:
        course_services.queue_waiting_certificates(parent=parent)
    return profile


def _require_consent(parent: User) -> ParentProfile:
    profile = ParentProfile.objects.filter(parent=parent).first()
    if profile is None or profile.consented_at is None:
        raise ParticipationError(
            _("Please give your consent on your profile first: we keep a child's school and class only with it.")
        )
    return profile


@transaction.atomic
def add_child(*, parent: User, school: School | None, grade: int | None) -> Child:
    _require_consent(parent)
    return Child.objects.create(parent=parent, school=school, grade=grade)


@transaction.atomic
def remove_child(*, parent: User, child_id: int) -> None:
    """Deletes the child's row (and so its class membership): nothing of it is kept."""
    deleted, _rows = Child.objects.filter(parent=parent, pk=child_id).delete()
    if not deleted:
        raise ParticipationError(_("This child is not on your profile."))


# --- Joining a class ------------------------------------------------------------------------


def find_class(code: str) -> SchoolClass | None:
    code = normalise_code(code)
    if not code or any(char not in CODE_ALPHABET for char in code):
        return None
    found: SchoolClass | None = SchoolClass.objects.select_related("parent_school__school").filter(code=code).first()
    return found


def _check_code(parent: User, code: str, client: str | None) -> SchoolClass:
    whos = [ratelimit.user(parent)] + ([client] if client else [])
    if ratelimit.over(CODE_FAILURES, whos, settings.PARTICIPATION_CODE_FAILURES_PER_HOUR):
        raise ParticipationError(
            _(
                "Too many wrong class codes were typed in the last hour. "
                "Please try again later, or ask the head teacher."
            )
        )
    school_class = find_class(code)
    if school_class is None or not code_is_live(school_class):
        for who in whos:
            ratelimit.add(CODE_FAILURES, who)
    if school_class is None:
        raise ParticipationError(
            _("This class code is not correct. Please check it against the poster or the head teacher's message.")
        )
    if not code_is_live(school_class):
        raise ParticipationError(_("This class code has expired. Please ask the head teacher for the new one."))
    return school_class


@transaction.atomic
def join_class(*, parent: User, code: str, consent: bool, client: str | None = None) -> Child:
    """Joins the class the code names (idempotent) and gives the parent its live assignments."""
    school_class = _check_code(parent, code, client)
    profile, _created = ParentProfile.objects.select_for_update().get_or_create(parent=parent)
    if profile.consented_at is None:
        if not consent:
            raise ParticipationError(
                _("Please tick the consent box: we keep your child's school and class only with your consent.")
            )
        profile.consented_at = timezone.now()
        profile.save(update_fields=["consented_at", "updated_at"])
    school = school_class.parent_school.school
    child = Child.objects.select_for_update().filter(parent=parent, school_class=school_class).first()
    if child is not None:
        return child
    # A child already on the profile at this school and grade, not yet in a class, is this one.
    child = (
        Child.objects.select_for_update()
        .filter(parent=parent, school_class__isnull=True)
        .filter(Q(school=school) | Q(school__isnull=True))
        .filter(Q(grade=school_class.grade) | Q(grade__isnull=True))
        .first()
    ) or Child(parent=parent)
    child.school, child.grade, child.school_class = school, school_class.grade, school_class
    child.joined_at = timezone.now()
    child.save()
    today = timezone.localdate()
    for group in groups_covering(school_class).filter(deadline__gte=today).select_related("course"):
        _assign_group(group, [parent])
    return child


# --- Assigning a course to a class, a grade or a school --------------------------------------


def groups_covering(school_class: SchoolClass) -> QuerySet[GroupAssignment]:
    """The group assignments that reach the parents of ``school_class``."""
    return GroupAssignment.objects.filter(parent_school=school_class.parent_school_id).filter(
        Q(scope=GroupAssignment.Scope.SCHOOL)
        | Q(scope=GroupAssignment.Scope.GRADE, grade=school_class.grade)
        | Q(scope=GroupAssignment.Scope.CLASS, school_class=school_class)
    )


def parents_of_group(group: GroupAssignment) -> QuerySet[User]:
    from accounts.models import User

    children = Child.objects.filter(school_class__parent_school=group.parent_school_id)
    if group.scope == GroupAssignment.Scope.GRADE and group.grade is not None:
        children = children.filter(school_class__grade=group.grade)
    elif group.scope == GroupAssignment.Scope.CLASS:
        children = children.filter(school_class=group.school_class_id)
    return User.objects.filter(pk__in=children.values("parent_id"), is_active=True)


def _assign_group(group: GroupAssignment, parents: Iterable[User]) -> list[Assignment]:
    already = set(group.assignments.values_list("parent_id", flat=True))
    new = [parent for parent in parents if parent.pk not in already]
    if not new:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Assigned by the parent school to %(group)s") % {"group": group_label(group)}
    made = course_services.assign_course(group.course, parents=new, deadline=group.deadline, reason=reason)
    group.assignments.add(*made)
    return made


def group_label(group: GroupAssignment) -> str:
    if group.scope == GroupAssignment.Scope.CLASS and group.school_class is not None:
        return str(group.school_class)
    school = group.parent_school.school.name
    if group.scope == GroupAssignment.Scope.GRADE and group.grade:
        return f"{school} " + _("Grade %(grade)d") % {"grade": group.grade}
    return school


@transaction.atomic
def assign_to_group(
    *,
    course: CoursePage,
    deadline: datetime.date,
    assigned_by: User,
    school_class: SchoolClass | None = None,
    parent_school: ParentSchool | None = None,
    grade: int | None = None,
) -> GroupAssignment:
    """Assigns ``course`` to a class, or to a grade (``parent_school`` and ``grade``), or to a
    whole parent school (``parent_school``), and to every parent who joins it later."""
    if not course.live:
        raise ParticipationError(_("This course is not published."))
    if deadline <= timezone.localdate():
        raise ParticipationError(_("The deadline must be a day in the future."))
    if school_class is not None:
        if not may_manage_class(assigned_by, school_class):
            raise PermissionDenied
        scope, parent_school, grade = GroupAssignment.Scope.CLASS, school_class.parent_school, None
    elif parent_school is not None:
        if not may_assign_to_school(assigned_by, parent_school):
            raise PermissionDenied
        scope = GroupAssignment.Scope.GRADE if grade else GroupAssignment.Scope.SCHOOL
    else:
        raise ParticipationError(_("Choose a class, a grade or a school."))
    group = GroupAssignment.objects.create(
        course=course,
        scope=scope,
        parent_school=parent_school,
        grade=grade,
        school_class=school_class,
        deadline=deadline,
        assigned_by=assigned_by,
    )
    _assign_group(group, parents_of_group(group))
    return group


# --- Reminders ------------------------------------------------------------------------------


def my_courses_url() -> str:
    """「我的课程」 (the course catalogue's routable sub-page), where assigned courses and deadlines show."""
    from courses.models import CourseIndexPage

    catalogue = CourseIndexPage.objects.live().first()
    path = catalogue.url + catalogue.reverse_subpage("my_courses") if catalogue else reverse("participation:profile")
    return str(settings.SITE_URL + path)


def parents_to_remind(school_class: SchoolClass) -> QuerySet[User]:
    """Parents of the class with an unfinished course assigned to the class, its grade or school."""
    from accounts.models import User

    unfinished = Assignment.objects.filter(
        pk__in=GroupAssignment.assignments.through.objects.filter(
            groupassignment__in=groups_covering(school_class)
        ).values("assignment_id"),
        enrolment__completed_at__isnull=True,
    )
    members = school_class.children.values("parent_id")
    return User.objects.filter(pk__in=members, is_active=True).filter(pk__in=unfinished.values("parent_id"))


@transaction.atomic
def send_class_reminder(*, school_class: SchoolClass, by: User, today: datetime.date | None = None) -> ClassReminder:
    """Writes one outbox message per parent who still has a course to finish; once a day."""
    from schools.notifications import queue

    if not may_manage_class(by, school_class):
        raise PermissionDenied
    today = today or timezone.localdate()
    parents = list(parents_to_remind(school_class))
    if not parents:
        raise ParticipationError(_("Every parent of this class has finished the assigned courses: nobody to remind."))
    try:
        with transaction.atomic():
            reminder = ClassReminder.objects.create(
                school_class=school_class, sent_on=today, sent_by=by, recipients=len(parents)
            )
    except IntegrityError:
        raise ParticipationError(
            _("A reminder was already sent to this class today. You can send the next one tomorrow.")
        ) from None
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("A reminder from your child's class")
        body = _(
            "The head teacher of %(class)s reminds you to finish the family-education courses assigned "
            "to the class. Continue here: %(url)s"
        ) % {"class": school_class.label, "url": my_courses_url()}
    dedupe = f"class-reminder:{school_class.pk}:{today.isoformat()}"
    queue([p for p in parents if p.email], subject=subject, body=body, report=None, dedupe=dedupe)
    queue([p for p in parents if not p.email], subject=subject, body=body, report=None, sms=True, dedupe=dedupe)
    return reminder
