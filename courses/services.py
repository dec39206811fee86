"""Every rule about enrolment and progress in the course library, in one place.

Enrolment
    Open courses take any signed-in parent; a course with an ``enrolment_code`` needs the code.
    With a ``capacity``, parents beyond it join a waitlist ordered by when they asked; when a
    seat frees (someone leaves, or an editor raises the capacity) the earliest waitlisted
    parent takes it. Seat counting runs inside a transaction holding ``select_for_update`` on
    the course row, so two parents can never both take the last seat. An **assigned** course
    (``assign_course``) always gets a seat — a parent given a deadline must be able to meet
    it — and cannot be left by the parent.

Progress
    A text lesson completes when the parent marks it done at least
    ``LessonPage.minimum_reading_seconds`` after first opening it (time measured on the
    server). A video or audio lesson completes when the merged intervals the player reported
    cover at least ``MEDIA_COMPLETION_RATIO`` of its running time; the server never trusts a
    percentage from the browser, and it ignores intervals that claim more watching than the
    wall-clock time since the lesson was first opened allows. Lesson completion is sticky.

Course completion and lessons added later
    A course is completed when every live lesson is completed and every live quiz
    (``QuizPage``, see ``courses.quizzes``) is passed; ``Enrolment.completed_at`` is
    recorded **once and never cleared**. A lesson added to a published course afterwards
    therefore does not make a finished parent unfinished: their course stays completed (100 %)
    and the new lesson is shown as optional reading. Parents who have not finished simply
    have one more lesson to do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from core import ratelimit
from courses.models import Assignment, CourseIndexPage, CoursePage, Enrolment, LessonPage, LessonProgress

MEDIA_COMPLETION_RATIO = 0.9
# Browsers play at up to 2x; a little slack covers clock skew and the last debounce.
MAX_PLAYBACK_RATE = 2.0
PLAUSIBILITY_SLACK_SECONDS = 10.0
MAX_INTERVALS_PER_REQUEST = 500
MERGE_GAP_SECONDS = 1.0


class EnrolmentError(Exception):
    """A rule refused an enrolment change; ``message`` is shown to the parent."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ProgressError(EnrolmentError):
    """A rule refused a progress change; ``message`` is shown to the parent."""


# --- Enrolment ----------------------------------------------------------------------------


def _lock_course(course: CoursePage) -> CoursePage:
    return CoursePage.objects.select_for_update(of=("self",)).get(pk=course.pk)


def active_count(course: CoursePage) -> int:
    return Enrolment.objects.filter(course=course, status=Enrolment.Status.ACTIVE).count()


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


def _check_code(parent, course: CoursePage, code: str, client: str | None) -> None:
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
    parent, course: CoursePage, code: str = "", source: str = Enrolment.Source.OPEN, *, client: str | None = None
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
        _check_code(parent, course, code, client)
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
def leave(parent, course: CoursePage) -> Enrolment:
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


def can_assign(user, course: CoursePage) -> bool:
    """District staff assign any course; a teacher assigns only the courses they teach."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or has_role(user, Role.DISTRICT_STAFF):
        return True
    return has_role(user, Role.TEACHER) and course.teacher_id == user.pk


def sees_assignment_reasons(user) -> bool:
    """Only district staff read why a course was assigned: the reason comes from a family's case."""
    return getattr(user, "is_authenticated", False) and (user.is_superuser or has_role(user, Role.DISTRICT_STAFF))


def visible_assignments(user):
    """Assignments a user may list: district staff all, a teacher those to courses they teach or own."""
    assignments = Assignment.objects.select_related("parent", "course", "assigned_by")
    if sees_assignment_reasons(user):
        return assignments
    if getattr(user, "is_authenticated", False) and has_role(user, Role.TEACHER):
        return assignments.filter(Q(course__teacher=user) | Q(course__owner=user))
    return assignments.none()


def assignable_courses(user):
    """The courses ``user`` may assign (``can_assign`` as a queryset)."""
    if sees_assignment_reasons(user):
        return CoursePage.objects.order_by("title")
    if getattr(user, "is_authenticated", False) and has_role(user, Role.TEACHER):
        return CoursePage.objects.filter(teacher=user).order_by("title")
    return CoursePage.objects.none()


def assignable_parents(user):
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


@transaction.atomic
def assign_course(course: CoursePage, parents, deadline: date, reason: str, assigned_by=None) -> list[Assignment]:
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


# --- Progress -------------------------------------------------------------------------------


def course_of(lesson: LessonPage) -> CoursePage:
    parent = lesson.__dict__.get("_cached_parent_obj")  # set when the lesson was routed to
    if isinstance(parent, CoursePage):
        return parent
    return CoursePage.objects.get(path=lesson.path[: -lesson.steplen])


def next_lesson_after(lesson: LessonPage) -> LessonPage | None:
    return (
        LessonPage.objects.live()
        .filter(depth=lesson.depth, path__gt=lesson.path, path__startswith=lesson.path[: -lesson.steplen])
        .order_by("path")
        .first()
    )


def _active_enrolment(parent, course: CoursePage) -> Enrolment:
    enrolment = Enrolment.objects.filter(course=course, parent=parent, status=Enrolment.Status.ACTIVE).first()
    if enrolment is None:
        raise ProgressError(_("Enrol in the course to record your progress."))
    return enrolment


def open_lesson(parent, lesson: LessonPage) -> LessonProgress:
    """Records the first time the parent opened the lesson; reading time is counted from it."""
    progress, _created = LessonProgress.objects.get_or_create(parent=parent, lesson=lesson)
    return progress


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


def update_course_completion(enrolment: Enrolment, now: datetime | None = None) -> bool:
    """Records the course as completed once every live lesson is done and every live quiz is
    passed; never un-records it. Completing queues the certificate (``courses.tasks``) once the
    transaction commits."""
    if enrolment.completed_at is not None:
        return True
    course = enrolment.course
    lesson_ids = list(course.lessons().values_list("pk", flat=True))
    done = LessonProgress.objects.filter(
        parent_id=enrolment.parent_id, lesson_id__in=lesson_ids, completed_at__isnull=False
    ).count()
    if lesson_ids and done == len(lesson_ids) and quizzes_passed(enrolment.parent_id, course):
        enrolment.completed_at = now or timezone.now()
        enrolment.save(update_fields=["completed_at"])
        transaction.on_commit(lambda: _queue_certificate(enrolment.pk))
        return True
    return False


def _queue_certificate(enrolment_id: int) -> None:
    from accounts.tasks import enqueue
    from courses.tasks import build_certificate

    enqueue(build_certificate, enrolment_id)


@transaction.atomic
def mark_text_lesson_done(parent, lesson: LessonPage, now: datetime | None = None) -> LessonProgress:
    now = now or timezone.now()
    enrolment = _active_enrolment(parent, course_of(lesson))
    if lesson.is_media:
        raise ProgressError(_("This lesson is completed by watching or listening to it."))
    progress = LessonProgress.objects.select_for_update().filter(parent=parent, lesson=lesson).first()
    if progress is None:
        raise ProgressError(_("Please open and read the lesson first."))
    if progress.is_completed:
        return progress
    remaining = lesson.minimum_reading_seconds - (now - progress.first_opened_at).total_seconds()
    if remaining > 0:
        raise ProgressError(
            _("Please take a little more time to read this lesson (about %(seconds)d more seconds).")
            % {"seconds": int(remaining) + 1}
        )
    progress.completed_at = now
    progress.save(update_fields=["completed_at", "updated_at"])
    update_course_completion(enrolment, now)
    return progress


def parse_intervals(raw: str) -> list[tuple[float, float]]:
    """Reads ``[[start, end], …]`` seconds from the player; raises ValueError on anything else."""
    data = json.loads(raw)
    if not isinstance(data, list) or len(data) > MAX_INTERVALS_PER_REQUEST:
        raise ValueError("intervals must be a list of at most 500 pairs")
    intervals = []
    for item in data:
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise ValueError("each interval is a [start, end] pair")
        start, end = float(item[0]), float(item[1])
        if start != start or end != end:  # NaN
            raise ValueError("interval bounds must be numbers")
        intervals.append((start, end))
    return intervals


def merge_intervals(intervals, duration: float | None = None) -> list[list[float]]:
    """Sorted, disjoint intervals covering the same time; clipped to ``[0, duration]``."""
    cleaned = []
    for start, end in intervals:
        start, end = max(float(start), 0.0), float(end)
        if duration is not None:
            end = min(end, float(duration))
        if end > start:
            cleaned.append([start, end])
    merged: list[list[float]] = []
    for start, end in sorted(cleaned):
        if merged and start <= merged[-1][1] + MERGE_GAP_SECONDS:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def covered_seconds(intervals) -> float:
    return sum(end - start for start, end in intervals)


@transaction.atomic
def record_watched(
    parent, lesson: LessonPage, intervals, position: float, now: datetime | None = None
) -> LessonProgress:
    """Merges the intervals the player saw into the parent's record and saves the resume point."""
    now = now or timezone.now()
    enrolment = _active_enrolment(parent, course_of(lesson))
    if not lesson.is_media:
        raise ProgressError(_("This lesson has no video or audio."))
    duration = float(lesson.media_duration_seconds)
    progress = LessonProgress.objects.select_for_update().filter(parent=parent, lesson=lesson).first()
    if progress is None:
        raise ProgressError(_("Please open the lesson first."))
    merged = merge_intervals([*progress.watched_intervals, *intervals], duration)
    watched = covered_seconds(merged)
    elapsed = (now - progress.first_opened_at).total_seconds()
    if watched <= elapsed * MAX_PLAYBACK_RATE + PLAUSIBILITY_SLACK_SECONDS:
        progress.watched_intervals = merged
        progress.watched_seconds = watched
    progress.position_seconds = round(min(max(position, 0.0), duration), 1)
    if not progress.is_completed and progress.watched_seconds >= MEDIA_COMPLETION_RATIO * duration:
        progress.completed_at = now
    progress.save()
    if progress.is_completed:
        update_course_completion(enrolment, now)
    return progress


# --- What pages show ------------------------------------------------------------------------


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


def course_progress(user, course: CoursePage) -> dict:
    """Context for a course page: its lessons and quizzes and, for a signed-in parent, their progress."""
    lessons = list(course.lessons())
    # Quizzes are looked up only when the tree says the course has more than its live lessons.
    quizzes = list(course.quizzes()) if course.numchild > len(lessons) else []
    context = {
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
    summary.next_quiz = next((quiz for quiz in quizzes if quiz.pk not in passed_ids), None)
    return context


def lesson_context(user, lesson: LessonPage) -> dict:
    """Context for a lesson page; opening it starts the reading clock for an enrolled parent."""
    course = course_of(lesson)
    lessons = list(course.lessons())
    context = {"course": course, "enrolment": None, "progress": None, "course_lessons": lessons}
    position = next((index for index, item in enumerate(lessons) if item.pk == lesson.pk), None)
    if position is not None:
        context["previous_lesson"] = lessons[position - 1] if position > 0 else None
        context["next_lesson"] = lessons[position + 1] if position + 1 < len(lessons) else None
        context["lesson_number"] = position + 1
    if not user.is_authenticated:
        return context
    enrolment = Enrolment.objects.filter(course=course, parent=user, status=Enrolment.Status.ACTIVE).first()
    context["enrolment"] = enrolment
    if enrolment is None:
        return context
    progress = open_lesson(user, lesson)
    context["progress"] = progress
    if lesson.is_media:
        context["progress_url"] = lesson.url + lesson.reverse_subpage("progress")
        context["resume_seconds"] = progress.position_seconds
        context["watched_percent"] = min(int(100 * progress.watched_seconds / lesson.media_duration_seconds), 100)
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
