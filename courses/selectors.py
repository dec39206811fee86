"""Read-only questions about courses: seats taken, where a lesson sits, who may assign what.

Nothing here changes a row; the commands that do live in ``courses.services`` (which
re-exports these names so that callers keep writing ``services.can_assign(...)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from accounts.roles import Role, has_role
from courses.models import Assignment, CoursePage, Enrolment, LessonPage

if TYPE_CHECKING:
    from accounts.models import User
    from accounts.roles import SomeUser

# --- Seats and the course tree ---------------------------------------------------------------


def active_count(course: CoursePage) -> int:
    return Enrolment.objects.filter(course=course, status=Enrolment.Status.ACTIVE).count()


def course_of(lesson: LessonPage) -> CoursePage:
    parent = lesson.__dict__.get("_cached_parent_obj")  # set when the lesson was routed to
    if isinstance(parent, CoursePage):
        return parent
    course: CoursePage = CoursePage.objects.get(path=lesson.path[: -lesson.steplen])
    return course


def next_lesson_after(lesson: LessonPage) -> LessonPage | None:
    following: LessonPage | None = (
        LessonPage.objects.live()
        .filter(depth=lesson.depth, path__gt=lesson.path, path__startswith=lesson.path[: -lesson.steplen])
        .order_by("path")
        .first()
    )
    return following


def quizzes_passed(parent_id: int, course: CoursePage) -> bool:
    """True when the parent has passed every live quiz of the course (or it has none)."""
    from courses.models import QuizAttempt

    quiz_ids = set(course.quizzes().values_list("pk", flat=True))
    passed = set(
        QuizAttempt.objects.filter(parent_id=parent_id, quiz_id__in=quiz_ids, passed=True).values_list(
            "quiz_id", flat=True
        )
    )
    return passed == quiz_ids


# --- Who may assign which course to whom -----------------------------------------------------


def can_assign(user: SomeUser, course: CoursePage) -> bool:
    """District staff assign any course; a teacher assigns only the courses they teach."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser or has_role(user, Role.DISTRICT_STAFF):
        return True
    return has_role(user, Role.TEACHER) and course.teacher_id == user.pk


def sees_assignment_reasons(user: SomeUser) -> bool:
    """Only district staff read why a course was assigned: the reason comes from a family's case."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or has_role(user, Role.DISTRICT_STAFF)


def visible_assignments(user: SomeUser) -> QuerySet[Assignment]:
    """Assignments a user may list: district staff all, a teacher those to courses they teach or own."""
    assignments = Assignment.objects.select_related("parent", "course", "assigned_by")
    if sees_assignment_reasons(user):
        return assignments
    if user is not None and user.is_authenticated and has_role(user, Role.TEACHER):
        return assignments.filter(Q(course__teacher=user) | Q(course__owner=user))
    return assignments.none()


def assignable_courses(user: SomeUser) -> QuerySet[CoursePage]:
    """The courses ``user`` may assign (``can_assign`` as a queryset)."""
    courses: QuerySet[CoursePage] = CoursePage.objects.all()
    if sees_assignment_reasons(user):
        return courses.order_by("title")
    if user is not None and user.is_authenticated and has_role(user, Role.TEACHER):
        return courses.filter(teacher=user).order_by("title")
    return courses.none()


def assignable_parents(user: SomeUser) -> QuerySet[User]:
    """Whom ``user`` may choose in an assignment form: never a list of every account.

    District staff choose among parents; a teacher among the parents already enrolled in (or
    waiting for) one of the courses they teach.
    """
    from django.contrib.auth import get_user_model

    parents = get_user_model().objects.filter(is_active=True, groups__name=Role.PARENT.group_name)
    if sees_assignment_reasons(user):
        return parents.order_by("name", "pk")
    courses = assignable_courses(user).values("pk")
    enrolled = Enrolment.objects.filter(course__in=courses).exclude(status=Enrolment.Status.LEFT)
    return parents.filter(pk__in=enrolled.values("parent")).order_by("name", "pk")
