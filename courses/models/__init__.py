"""Course library models, split by kind: taxonomy snippets, pages, and records."""

from .pages import CourseIndexPage, CoursePage, LessonPage
from .records import Assignment, Enrolment, LessonProgress, Reminder, ReminderPreference
from .snippets import AgeGroup, Topic

__all__ = [
    "AgeGroup",
    "Assignment",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "LessonPage",
    "LessonProgress",
    "Reminder",
    "ReminderPreference",
    "Topic",
]
