"""Every rule about enrolment and progress in the course library: the package through which
every view changes an enrolment or a parent's progress.

Split by workflow: ``errors``, ``enrolment`` (seats, waitlists, enrolment codes, assigned
courses) and ``progress`` (reading and watching, course completion) and ``offline`` (progress
queued on a phone while offline); each module's docstring
states its rules. Read-only questions (seats taken, where a lesson sits, who may assign what)
live in ``courses.selectors`` and are re-exported here so that callers keep writing
``services.can_assign(...)``. What the pages show is built in ``courses.page_context``.
"""

from ..selectors import (
    active_count,
    assignable_courses,
    assignable_parents,
    can_assign,
    course_of,
    next_lesson_after,
    quizzes_passed,
    sees_assignment_reasons,
    visible_assignments,
)
from .enrolment import CODE_FAILURES, assign_course, enrol, leave
from .errors import EnrolmentError, ProgressError, TooEarly
from .offline import QueuedProgress, WatchTokenRefused, record_queued_progress, watch_token
from .progress import (
    MAX_INTERVALS_PER_REQUEST,
    MAX_PLAYBACK_RATE,
    MEDIA_COMPLETION_RATIO,
    MERGE_GAP_SECONDS,
    PLAUSIBILITY_SLACK_SECONDS,
    covered_seconds,
    mark_text_lesson_done,
    merge_intervals,
    open_lesson,
    parse_intervals,
    queue_waiting_certificates,
    record_watched,
    update_course_completion,
)

__all__ = [
    "CODE_FAILURES",
    "MAX_INTERVALS_PER_REQUEST",
    "MAX_PLAYBACK_RATE",
    "MEDIA_COMPLETION_RATIO",
    "MERGE_GAP_SECONDS",
    "PLAUSIBILITY_SLACK_SECONDS",
    "EnrolmentError",
    "ProgressError",
    "TooEarly",
    "QueuedProgress",
    "WatchTokenRefused",
    "active_count",
    "assign_course",
    "assignable_courses",
    "assignable_parents",
    "can_assign",
    "course_of",
    "covered_seconds",
    "enrol",
    "leave",
    "mark_text_lesson_done",
    "merge_intervals",
    "next_lesson_after",
    "open_lesson",
    "parse_intervals",
    "queue_waiting_certificates",
    "quizzes_passed",
    "record_queued_progress",
    "record_watched",
    "sees_assignment_reasons",
    "update_course_completion",
    "visible_assignments",
    "watch_token",
]
