"""What the course pages show: a course's steps and progress, a lesson's place and clock, 我的课程.

Builders of template context for ``CoursePage.get_context`` and the routes in
``courses.page_views``. They read, with one exception that is the rule of progress: building a
lesson page for an enrolled parent opens the lesson (``services.open_lesson``), which starts
the reading clock. The rules themselves live in ``courses.services``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from courses.models import Assignment, CourseIndexPage, CoursePage, Enrolment, LessonPage, LessonProgress
from courses.selectors import active_count, course_of
from courses.services.offline import watch_token
from courses.services.progress import open_lesson


@dataclass
class LessonRow:
    """A step of a course in tree order: a lesson, or a quiz (``done`` = passed)."""

    lesson: LessonPage
    done: bool
    is_quiz: bool = False


@dataclass
class CourseSummary:
    """One course as a parent sees it: progress, next lesson and any assignment."""

    course: CoursePage
    enrolment: Enrolment
    lesson_count: int = 0
    done_count: int = 0
    next_lesson: LessonPage | None = None
    assignment: Assignment | None = None
    next_quiz: object | None = None  # the first quiz not passed yet
    certificate: object | None = None  # the valid certificate, on "my courses"
    today: date = field(default_factory=timezone.localdate)

    @property
    def percent(self) -> int:
        if self.enrolment.completed_at is not None:
            return 100
        if not self.lesson_count:
            return 0
        return int(100 * self.done_count / self.lesson_count)

    @property
    def is_overdue(self) -> bool:
        return self.assignment is not None and self.assignment.is_overdue(self.today)


def _summarise(course, enrolment, lessons, done_ids, assignment=None) -> CourseSummary:
    done = [lesson for lesson in lessons if lesson.pk in done_ids]
    next_lesson = next((lesson for lesson in lessons if lesson.pk not in done_ids), None)
    return CourseSummary(
        course=course,
        enrolment=enrolment,
        lesson_count=len(lessons),
        done_count=len(done),
        next_lesson=next_lesson,
        assignment=assignment,
    )


def _done_lesson_ids(user, lessons) -> set[int]:
    if not lessons:
        return set()
    return set(
        LessonProgress.objects.filter(
            parent=user, lesson_id__in=[lesson.pk for lesson in lessons], completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )


def _passed_quiz_ids(user, quizzes) -> set[int]:
    from courses.models import QuizAttempt

    if not quizzes:
        return set()
    return set(QuizAttempt.objects.filter(parent=user, quiz__in=quizzes, passed=True).values_list("quiz_id", flat=True))


def _steps(lessons, quizzes, done_ids: set[int], passed_ids: set[int]) -> list[LessonRow]:
    rows = [LessonRow(lesson, lesson.pk in done_ids) for lesson in lessons]
    rows += [LessonRow(quiz, quiz.pk in passed_ids, is_quiz=True) for quiz in quizzes]
    return sorted(rows, key=lambda row: row.lesson.path)


def _live_steps(course: CoursePage) -> tuple[list, list]:
    lessons = list(course.lessons())
    # Quizzes are looked up only when the tree says the course has more than its live lessons.
    quizzes = list(course.quizzes()) if course.numchild > len(lessons) else []
    return lessons, quizzes


def _steps_of(course: CoursePage) -> tuple[list, list]:
    """The course's live lessons and quizzes, in tree order: content, so kept in the worker until
    the content version changes (``core.site_cache``)."""
    from core import site_cache

    return site_cache.remember(site_cache.current_request(), ("course-steps", course.pk), lambda: _live_steps(course))


def course_progress(user, course: CoursePage) -> dict:
    """Context for a course page: its lessons and quizzes and, for a signed-in parent, their progress."""
    lessons, quizzes = _steps_of(course)
    context: dict[str, Any] = {
        "lessons": [LessonRow(lesson, False) for lesson in lessons],
        "steps": _steps(lessons, quizzes, set(), set()),
        "enrolment": None,
        "summary": None,
    }
    if course.capacity is not None:
        context["seats_left"] = max(course.capacity - active_count(course), 0)
    if not user.is_authenticated:
        return context
    enrolment = Enrolment.objects.filter(course=course, parent=user).first()
    context["enrolment"] = enrolment
    if enrolment is None or enrolment.status == Enrolment.Status.LEFT:
        return context
    if enrolment.is_waitlisted:
        context["waitlist_position"] = (
            Enrolment.objects.filter(course=course, status=Enrolment.Status.WAITLISTED)
            .filter(
                Q(requested_at__lt=enrolment.requested_at) | Q(requested_at=enrolment.requested_at, pk__lt=enrolment.pk)
            )
            .count()
            + 1
        )
        return context
    done_ids = _done_lesson_ids(user, lessons)
    assignment = Assignment.objects.filter(course=course, parent=user).order_by("deadline").first()
    passed_ids = _passed_quiz_ids(user, quizzes)
    context["lessons"] = [LessonRow(lesson, lesson.pk in done_ids) for lesson in lessons]
    context["steps"] = _steps(lessons, quizzes, done_ids, passed_ids)
    context["summary"] = summary = _summarise(course, enrolment, lessons, done_ids, assignment)
    if lessons:  # 「离线保存」 keeps every lesson of the course (templates/courses/includes/offline_save.html)
        context["lesson_urls_json"] = json.dumps([lesson.url for lesson in lessons])
    summary.next_quiz = next((quiz for quiz in quizzes if quiz.pk not in passed_ids), None)
    if enrolment.completed_at is not None:
        from courses.certificates import valid_certificate

        context["certificate"] = summary.certificate = valid_certificate(user, course)
    return context


def watched_percent(progress: LessonProgress, lesson: LessonPage) -> int:
    """How much of a media lesson the server has seen played, as the lesson page shows it."""
    return min(int(100 * progress.watched_seconds / lesson.media_duration_seconds), 100)


def lesson_context(user, lesson: LessonPage) -> dict:
    """Context for a lesson page; opening it starts the reading clock for an enrolled parent."""
    course = course_of(lesson)
    lessons = list(course.lessons())
    context: dict[str, Any] = {"course": course, "enrolment": None, "progress": None, "course_lessons": lessons}
    position = next((index for index, item in enumerate(lessons) if item.pk == lesson.pk), None)
    if position is not None:
        context["previous_lesson"] = lessons[position - 1] if position > 0 else None
        context["next_lesson"] = lessons[position + 1] if position + 1 < len(lessons) else None
        context["lesson_number"] = position + 1
        if context["next_lesson"] is None and course.numchild > len(lessons):
            # The last lesson leads on to the course's quiz.
            context["next_quiz"] = course.quizzes().first()
    if not user.is_authenticated:
        return context
    enrolment = Enrolment.objects.filter(course=course, parent=user, status=Enrolment.Status.ACTIVE).first()
    context["enrolment"] = enrolment
    if enrolment is None:
        return context
    progress = open_lesson(user, lesson)
    context["progress"] = progress
    # What a copy kept on the phone (「离线保存」) needs to send its progress later.
    context["offline_progress_url"] = lesson.url + lesson.reverse_subpage("offline_progress")
    context["watch_token"] = watch_token(user, lesson)
    context["lesson_urls_json"] = json.dumps([lesson.url])
    if lesson.is_media:
        context["progress_url"] = lesson.url + lesson.reverse_subpage("progress")
        context["resume_seconds"] = progress.position_seconds
        context["watched_percent"] = watched_percent(progress, lesson)
    else:
        elapsed = (timezone.now() - progress.first_opened_at).total_seconds()
        context["reading_seconds_left"] = max(int(lesson.minimum_reading_seconds - elapsed), 0)
    return context


def my_courses_overview(user, catalogue: CourseIndexPage) -> dict:
    """Context for 我的课程: courses in progress (overdue first), waitlisted and finished ones."""
    enrolments = list(
        Enrolment.objects.filter(parent=user, course__live=True)
        .exclude(status=Enrolment.Status.LEFT)
        .select_related("course")
        .order_by("-requested_at")
    )
    courses = [enrolment.course for enrolment in enrolments]
    lessons_by_course: dict[str, list[LessonPage]] = {course.path: [] for course in courses}
    if courses:
        in_courses = Q()
        for course in courses:
            in_courses |= Q(path__startswith=course.path, depth=course.depth + 1)
        for lesson in LessonPage.objects.live().filter(in_courses).order_by("path"):
            lessons_by_course[lesson.path[: -lesson.steplen]].append(lesson)
    done_ids = set(
        LessonProgress.objects.filter(parent=user, completed_at__isnull=False).values_list("lesson_id", flat=True)
    )
    assignments: dict[int, Assignment] = {}
    for assignment in Assignment.objects.filter(parent=user).select_related("enrolment").order_by("-deadline"):
        assignments[assignment.course_id] = assignment  # the earliest deadline wins
    from courses.certificates import valid_certificates
    from courses.models import QuizPage

    quizzes_by_course: dict[str, list] = {course.path: [] for course in courses}
    if courses:
        for quiz in QuizPage.objects.live().filter(in_courses).order_by("path"):
            quizzes_by_course[quiz.path[: -quiz.steplen]].append(quiz)
    all_quizzes = [quiz for quizzes in quizzes_by_course.values() for quiz in quizzes]
    passed_ids = _passed_quiz_ids(user, all_quizzes)
    certificates = valid_certificates(user)
    in_progress, waitlisted, finished = [], [], []
    for enrolment in enrolments:
        course = enrolment.course
        summary = _summarise(course, enrolment, lessons_by_course[course.path], done_ids, assignments.get(course.pk))
        summary.next_quiz = next((q for q in quizzes_by_course[course.path] if q.pk not in passed_ids), None)
        summary.certificate = certificates.get(course.pk)
        if enrolment.is_waitlisted:
            waitlisted.append(summary)
        elif enrolment.is_completed:
            finished.append(summary)
        else:
            in_progress.append(summary)
    in_progress.sort(
        key=lambda item: (
            not item.is_overdue,
            item.assignment is None,
            item.assignment.deadline if item.assignment else date.max,
        )
    )
    return {"in_progress": in_progress, "waitlisted": waitlisted, "finished": finished}
