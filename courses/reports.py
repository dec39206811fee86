"""Enrolment and progress reports for teachers and district staff, with CSV and XLSX export.

Two views in the admin: per course (enrolled, started, completed, overdue) and per parent
(one row per enrolment with progress and deadline). Each builds its rows in one annotated
query, and a teacher sees only the courses they teach or own.
"""

from __future__ import annotations

from django.db.models import Avg, Count, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.roles import Role, has_role
from courses.models import Assignment, CoursePage, Enrolment, LessonPage, LessonProgress


def sees_all_courses(user) -> bool:
    """District staff see every course's parents; editors write pages, not records about parents,
    so an editor who also teaches sees only their own courses like any teacher."""
    return user.is_superuser or has_role(user, Role.DISTRICT_STAFF)


def visible_courses(user) -> QuerySet[CoursePage]:
    courses = CoursePage.objects.all()
    if sees_all_courses(user):
        return courses
    return courses.filter(Q(teacher=user) | Q(owner=user))


def _count(queryset) -> Subquery:
    return Subquery(
        queryset.order_by().annotate(total=Func(F("pk"), function="COUNT")).values("total"),
        output_field=IntegerField(),
    )


def enrolment_rows(user) -> QuerySet[Enrolment]:
    """Enrolments with lesson and done counts, the earliest deadline and whether it is overdue."""
    lessons = LessonPage.objects.filter(
        live=True, path__startswith=OuterRef("course__path"), depth=OuterRef("course__depth") + 1
    )
    done = LessonProgress.objects.filter(
        parent=OuterRef("parent"),
        completed_at__isnull=False,
        lesson__live=True,
        lesson__path__startswith=OuterRef("course__path"),
    )
    deadline = Assignment.objects.filter(course=OuterRef("course"), parent=OuterRef("parent")).order_by("deadline")
    return (
        Enrolment.objects.filter(course__in=visible_courses(user).values("pk"))
        .exclude(status=Enrolment.Status.LEFT)
        .select_related("parent", "course")
        .annotate(
            lesson_count=_count(lessons),
            done_count=_count(done),
            deadline=Subquery(deadline.values("deadline")[:1]),
        )
    )


def course_rows(user) -> QuerySet[CoursePage]:
    """Courses with enrolled, started, completed and overdue counts, in one query."""
    today = timezone.localdate()
    active = Q(enrolments__status=Enrolment.Status.ACTIVE)
    started = LessonProgress.objects.filter(
        parent=OuterRef("parent"), lesson__path__startswith=OuterRef("course__path")
    )
    started_enrolments = Enrolment.objects.filter(course=OuterRef("pk"), status=Enrolment.Status.ACTIVE).filter(
        Exists(started)
    )
    overdue = Assignment.objects.filter(
        course=OuterRef("pk"), deadline__lt=today, enrolment__completed_at__isnull=True
    ).exclude(enrolment__status=Enrolment.Status.LEFT)
    return (
        visible_courses(user)
        .annotate(
            enrolled=Count("enrolments", filter=active, distinct=True),
            waitlisted=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITLISTED), distinct=True),
            completed=Count("enrolments", filter=active & Q(enrolments__completed_at__isnull=False), distinct=True),
            started=_count(started_enrolments),
            overdue=_count(overdue),
        )
        .order_by("title")
    )


# --- Quiz results ---------------------------------------------------------------------------

SCORE_BANDS = [(0, 19), (20, 39), (40, 59), (60, 79), (80, 100)]


def visible_quizzes(user) -> QuerySet:
    """Quizzes of the courses the user sees (a teacher: their own courses)."""
    from courses.models import QuizPage

    quizzes = QuizPage.objects.all()
    if sees_all_courses(user):
        return quizzes
    paths = list(visible_courses(user).values_list("path", flat=True))
    if not paths:
        return quizzes.none()
    in_courses = Q()
    for path in paths:
        in_courses |= Q(path__startswith=path)
    return quizzes.filter(in_courses)


def quiz_rows(user) -> QuerySet:
    """Per quiz: graded attempts, parents, passes, pass rate, average and a score distribution."""
    graded = Q(attempts__submitted_at__isnull=False)
    bands = {
        f"band_{low}_{high}": Count(
            "attempts", filter=graded & Q(attempts__score_percent__gte=low, attempts__score_percent__lte=high)
        )
        for low, high in SCORE_BANDS
    }
    return (
        visible_quizzes(user)
        .annotate(
            attempt_count=Count("attempts", filter=graded),
            parent_count=Count("attempts__parent", filter=graded, distinct=True),
            passed_count=Count("attempts", filter=graded & Q(attempts__passed=True)),
            average_score=Avg("attempts__score_percent", filter=graded),
            **bands,
        )
        .order_by("path")
    )


def item_rows(quiz) -> QuerySet:
    """Item analysis: per question, how often it was answered in graded attempts and how often right."""
    from courses.models import Question

    graded = Q(quiz_answers__attempt__quiz=quiz, quiz_answers__is_correct__isnull=False)
    return (
        Question.objects.filter(quiz_answers__attempt__quiz=quiz)
        .annotate(
            answered=Count("quiz_answers", filter=graded),
            correct=Count("quiz_answers", filter=graded & Q(quiz_answers__is_correct=True)),
        )
        .filter(answered__gt=0)
        .select_related("topic")
        .order_by("correct", "pk")
        .distinct()
    )
