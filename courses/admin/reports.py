"""Course and quiz reports for teachers and district staff, each scoped to what the user may see.

Every view here is an ``accounts.admin.RoleReportView``: a superuser, teacher or district staff member
only, rows from ``courses.reports`` (a teacher sees their own courses only), exported as CSV/XLSX.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column, TitleColumn

from accounts.admin import RoleMenuItem, RoleReportView
from accounts.roles import Role
from courses import reports
from courses.models import CoursePage, Question, QuizPage

REPORT_ROLES = (Role.TEACHER, Role.DISTRICT_STAFF)

COURSE_REPORT_COUNTS = ["enrolled", "waitlisted", "started", "completed", "overdue"]
COURSE_REPORT_HEADINGS = {
    "title": _("Course"),
    "enrolled": _("Enrolled"),
    "waitlisted": _("On the waitlist"),
    "started": _("Started"),
    "completed": _("Completed"),
    "overdue": _("Overdue"),
}


def course_enrolments_url(course) -> str:
    return reverse("course_enrolments:index") + f"?course={course.pk}"


class CourseReportView(RoleReportView):
    """Per course: enrolled, waitlisted, started, completed and overdue parents."""

    required_roles = REPORT_ROLES
    model = CoursePage
    page_title = _("Course report")
    header_icon = "table"
    index_url_name = "course_report"
    list_export = ["title", *COURSE_REPORT_COUNTS]
    export_headings = COURSE_REPORT_HEADINGS
    export_filename = "course-report"
    list_display = [
        TitleColumn("title", label=_("Course"), get_url=lambda course: course_enrolments_url(course)),
        *[Column(name, label=COURSE_REPORT_HEADINGS[name]) for name in COURSE_REPORT_COUNTS],
    ]

    def rows(self, user):
        return reports.course_rows(user)


def quiz_items_url(quiz) -> str:
    return reverse("quiz_item_analysis", args=[quiz.pk])


QUIZ_REPORT_HEADINGS = {
    "title": _("Quiz"),
    "attempt_count": _("Attempts"),
    "parent_count": _("Parents"),
    "passed_count": _("Passed"),
    "pass_rate_percent": _("Pass rate (%)"),
    "average_score_percent": _("Average score (%)"),
    **{f"band_{low}_{high}": f"{low}–{high}%" for low, high in reports.SCORE_BANDS},
}


class QuizReportView(RoleReportView):
    """Per quiz: attempts, pass rate, average and the score distribution; links to item analysis."""

    required_roles = REPORT_ROLES
    model = QuizPage
    page_title = _("Quiz results")
    header_icon = "tasks"
    index_url_name = "quiz_report"
    list_export = list(QUIZ_REPORT_HEADINGS)
    export_headings = QUIZ_REPORT_HEADINGS
    export_filename = "quiz-results"
    list_display = [
        TitleColumn("title", label=_("Quiz"), get_url=quiz_items_url),
        *[Column(name, label=label) for name, label in QUIZ_REPORT_HEADINGS.items() if name != "title"],
    ]

    def rows(self, user):
        return reports.quiz_rows(user)


ITEM_HEADINGS = {
    "text": _("Question"),
    "kind": _("Kind"),
    "answered": _("Answered"),
    "correct": _("Correct"),
    "correct_rate_percent": _("Correct rate (%)"),
}


class QuizItemAnalysisView(RoleReportView):
    """Item analysis for one quiz: each question's correct rate, the most missed first."""

    required_roles = REPORT_ROLES
    model = Question
    header_icon = "help"
    index_url_name = "quiz_item_analysis"
    list_export = list(ITEM_HEADINGS)
    export_headings = ITEM_HEADINGS
    export_filename = "quiz-item-analysis"
    list_display = [Column(name, label=label) for name, label in ITEM_HEADINGS.items()]
    paginate_by = 100

    def load_for_request(self, request, **kwargs) -> None:
        self.quiz = get_object_or_404(reports.visible_quizzes(request.user), pk=kwargs["quiz_id"])

    @property
    def page_title(self):
        return _("Item analysis: %(quiz)s") % {"quiz": self.quiz.title}

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.quiz.pk])

    def get_index_results_url(self):
        return self.get_index_url()

    def rows(self, user):
        return reports.item_rows(self.quiz)

    def get_breadcrumbs_items(self):
        return [{"url": reverse("quiz_report"), "label": _("Quiz results")}, {"url": "", "label": self.page_title}]


def report_menu_item(label, url, *, icon_name: str, order: int) -> RoleMenuItem:
    return RoleMenuItem(label, url, icon_name=icon_name, order=order, roles=REPORT_ROLES)
