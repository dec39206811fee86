"""Course library models, split by kind: pages, quizzes, records and certificates.

The topics and age groups courses are tagged with live in the ``taxonomy`` app.
"""

from .certificates import Certificate, NameCorrection
from .pages import CourseIndexPage, CoursePage, LessonPage
from .quizzes import Question, QuizAnswer, QuizAttempt, QuizPage
from .records import Assignment, Enrolment, LessonProgress, Reminder, ReminderPreference

__all__ = [
    "Certificate",
    "NameCorrection",
    "Question",
    "QuizAnswer",
    "QuizAttempt",
    "QuizPage",
    "Assignment",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "LessonPage",
    "LessonProgress",
    "Reminder",
    "ReminderPreference",
]
