"""Course library models, split by kind: taxonomy snippets, pages, and records."""

from .certificates import Certificate, NameCorrection
from .pages import CourseIndexPage, CoursePage, LessonPage
from .quizzes import Question, QuizAnswer, QuizAttempt, QuizPage
from .records import Assignment, Enrolment, LessonProgress, Reminder, ReminderPreference
from .snippets import AgeGroup, Topic

__all__ = [
    "Certificate",
    "NameCorrection",
    "Question",
    "QuizAnswer",
    "QuizAttempt",
    "QuizPage",
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
