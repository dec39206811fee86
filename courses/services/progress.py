"""Lesson progress and course completion.

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
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage, Enrolment, LessonPage, LessonProgress
from courses.selectors import course_of, quizzes_passed

from .errors import ProgressError, TooEarly

if TYPE_CHECKING:
    from accounts.models import User

MEDIA_COMPLETION_RATIO = 0.9
# Browsers play at up to 2x; a little slack covers clock skew and the last debounce.
MAX_PLAYBACK_RATE = 2.0
PLAUSIBILITY_SLACK_SECONDS = 10.0
MAX_INTERVALS_PER_REQUEST = 500
MERGE_GAP_SECONDS = 1.0


def _active_enrolment(parent: User, course: CoursePage) -> Enrolment:
    enrolment = Enrolment.objects.filter(course=course, parent=parent, status=Enrolment.Status.ACTIVE).first()
    if enrolment is None:
        raise ProgressError(_("Enrol in the course to record your progress."))
    return enrolment


def open_lesson(parent: User, lesson: LessonPage) -> LessonProgress:
    """Records the first time the parent opened the lesson; reading time is counted from it."""
    progress, _created = LessonProgress.objects.get_or_create(parent=parent, lesson=lesson)
    return progress


def update_course_completion(enrolment: Enrolment, *, now: datetime | None = None) -> bool:
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


def queue_waiting_certificates(*, parent: User) -> int:
    """Queues the certificate of every completed course of ``parent`` that has none yet (they
    wait for the parent's real name); returns how many were queued."""
    from courses.models import Certificate

    waiting = list(
        Enrolment.objects.filter(parent=parent, completed_at__isnull=False)
        .exclude(pk__in=Certificate.objects.filter(parent=parent, revoked_at__isnull=True).values("enrolment_id"))
        .values_list("pk", flat=True)
    )
    for enrolment_id in waiting:
        transaction.on_commit(partial(_queue_certificate, enrolment_id))
    return len(waiting)


def _queue_certificate(enrolment_id: int) -> None:
    from accounts.tasks import enqueue
    from courses.tasks import build_certificate

    enqueue(build_certificate, enrolment_id)


@transaction.atomic
def mark_text_lesson_done(parent: User, lesson: LessonPage, *, now: datetime | None = None) -> LessonProgress:
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
        seconds = int(remaining) + 1
        raise TooEarly(
            _("Please take a little more time to read this lesson (about %(seconds)d more seconds).")
            % {"seconds": seconds},
            retry_after=seconds,
        )
    progress.completed_at = now
    progress.save(update_fields=["completed_at", "updated_at"])
    update_course_completion(enrolment, now=now)
    return progress


def parse_intervals(raw: str) -> list[tuple[float, float]]:
    """Reads ``[[start, end], …]`` seconds from the player; raises ValueError on anything else."""
    data = json.loads(raw)
    if not isinstance(data, list) or len(data) > MAX_INTERVALS_PER_REQUEST:
        raise ValueError("intervals must be a list of at most 500 pairs")
    intervals: list[tuple[float, float]] = []
    for item in data:
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise ValueError("each interval is a [start, end] pair")
        start, end = float(item[0]), float(item[1])
        if start != start or end != end:  # NaN
            raise ValueError("interval bounds must be numbers")
        intervals.append((start, end))
    return intervals


def merge_intervals(intervals: Iterable[Sequence[float]], *, duration: float | None = None) -> list[list[float]]:
    """Sorted, disjoint intervals covering the same time; clipped to ``[0, duration]``."""
    cleaned: list[list[float]] = []
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


def covered_seconds(intervals: Iterable[Sequence[float]]) -> float:
    return sum(end - start for start, end in intervals)


@transaction.atomic
def record_watched(
    parent: User,
    lesson: LessonPage,
    *,
    intervals: Iterable[Sequence[float]],
    position: float,
    now: datetime | None = None,
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
    merged = merge_intervals([*progress.watched_intervals, *intervals], duration=duration)
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
        update_course_completion(enrolment, now=now)
    return progress
