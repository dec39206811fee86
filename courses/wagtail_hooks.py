"""Admin registration for courses: what ``courses/admin/`` defines, registered in one place.

Enrolments, assignments and quiz attempts are records (``courses.admin.records``); course and
quiz reports are role-scoped views (``courses.admin.reports``); the question bank has its import
and export (``courses.admin.questions``); name corrections and certificates are in
``courses.admin.certificates``. Topics and age groups are the ``taxonomy`` app's snippets.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from core.admin import ReadOnlyPermissionPolicy
from courses import review
from courses.admin.certificates import CertificateViewSet, NameCorrectionViewSet
from courses.admin.questions import QuestionViewSet, question_export_view, question_import_view
from courses.admin.records import AssignmentViewSet, EnrolmentViewSet, QuizAttemptViewSet
from courses.admin.reports import CourseReportView, QuizItemAnalysisView, QuizReportView, report_menu_item
from courses.models import Certificate, Enrolment, QuizAttempt

register_snippet(QuestionViewSet)

# Enrolments, attempts and certificates change only through their services, never in the admin.
register_permission_policy(Enrolment, ReadOnlyPermissionPolicy(Enrolment), exact_class=True)
register_permission_policy(QuizAttempt, ReadOnlyPermissionPolicy(QuizAttempt), exact_class=True)
register_permission_policy(Certificate, ReadOnlyPermissionPolicy(Certificate), exact_class=True)


@hooks.register("register_admin_viewset")
def register_records():
    return [EnrolmentViewSet("course_enrolments"), AssignmentViewSet("course_assignments")]


@hooks.register("register_admin_viewset")
def register_certificate_records():
    return [
        QuizAttemptViewSet("course_quiz_attempts"),
        NameCorrectionViewSet("course_name_corrections"),
        CertificateViewSet("course_certificates"),
    ]


@hooks.register("register_admin_urls")
def register_course_report_url():
    return [path("courses/report/", CourseReportView.as_view(), name="course_report")]


@hooks.register("register_admin_urls")
def register_quiz_admin_urls():
    return [
        path("courses/quizzes/results/", QuizReportView.as_view(), name="quiz_report"),
        path("courses/quizzes/<int:quiz_id>/items/", QuizItemAnalysisView.as_view(), name="quiz_item_analysis"),
        path("courses/questions/import/", question_import_view, name="question_bank_import"),
        path("courses/questions/export/", question_export_view, name="question_bank_export"),
    ]


@hooks.register("register_admin_menu_item")
def register_course_report_menu_item():
    return report_menu_item(_("Course report"), reverse("course_report"), icon_name="table", order=309)


@hooks.register("register_admin_menu_item")
def register_quiz_report_menu_item():
    return report_menu_item(_("Quiz results"), reverse("quiz_report"), icon_name="tasks", order=313)


@hooks.register("before_create_page")
def only_own_courses_get_new_lessons(request, parent_page, page_class):
    """A teacher adds lessons only to courses they own (see ``courses.review``)."""
    if not review.may_add_below(request.user, parent_page):
        raise PermissionDenied(_("You can only add lessons to your own courses."))
