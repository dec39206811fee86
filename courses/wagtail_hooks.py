"""Admin registration: the shared taxonomy as snippets, enrolments and assignments as records.

Topics and age groups are snippets, grouped under one menu so district staff find them
together; the resource library reuses the same two models. Enrolments and assignments are
records (``ModelViewSet``); creating an assignment goes through ``courses.services`` so the
parent is enrolled by the same rules as everywhere else.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages as admin_messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn, UpdatedAtColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from accounts.roles import Role, has_role
from core.exports import XLSX_CONTENT_TYPE
from core.uploads import check_zip_container
from courses import certificates, question_bank, reports, review, services
from courses.models import (
    AgeGroup,
    Assignment,
    Certificate,
    CoursePage,
    Enrolment,
    NameCorrection,
    Question,
    QuizAttempt,
    QuizPage,
    Topic,
)


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class AgeGroupViewSet(SnippetViewSet):
    model = AgeGroup
    icon = "group"
    menu_label = _("Age groups")
    list_display = ["name", "slug", "min_age", "max_age", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "min_age", "name"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (TopicViewSet, AgeGroupViewSet)
    menu_icon = "tag"
    menu_label = _("Course taxonomy")
    menu_name = "course-taxonomy"


register_snippet(TaxonomyViewSetGroup)


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Enrolments change only through ``courses.services`` (waitlist promotion depends on it)."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Enrolment, ReadOnlyPermissionPolicy(Enrolment), exact_class=True)


class EnrolmentIndexView(generic.IndexView):
    """Per-parent rows with progress and deadline; a teacher sees their own courses only."""

    def get_base_queryset(self):
        return reports.enrolment_rows(self.request.user)


class EnrolmentViewSet(ModelViewSet):
    """Who is enrolled where, with progress, read-only; exported as CSV or XLSX."""

    model = Enrolment
    index_view_class = EnrolmentIndexView
    icon = "group"
    menu_label = _("Enrolments")
    add_to_admin_menu = True
    menu_order = 310
    list_display = [
        "parent",
        "course",
        "status",
        "source",
        Column("progress_percent", label=_("Progress (%)")),
        Column("deadline", label=_("Deadline")),
        Column("is_overdue", label=_("Overdue")),
    ]
    list_filter = ["status", "source", "course"]
    list_export = [
        "parent_name",
        "parent_phone",
        "course.title",
        "status",
        "source",
        "requested_at",
        "enrolled_at",
        "done_count",
        "lesson_count",
        "progress_percent",
        "completed_at",
        "deadline",
        "is_overdue",
    ]
    export_headings = {
        "parent_name": _("Parent"),
        "parent_phone": _("Mobile phone"),
        "course.title": _("Course"),
        "done_count": _("Lessons done"),
        "lesson_count": _("Lessons"),
        "progress_percent": _("Progress (%)"),
        "deadline": _("Deadline"),
        "is_overdue": _("Overdue"),
    }
    export_filename = "enrolments"
    search_fields = ["parent__name", "parent__phone"]
    form_fields = ["status"]


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


class CourseReportView(generic.IndexView):
    """Per course: enrolled, waitlisted, started, completed and overdue parents."""

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
    paginate_by = 50
    is_searchable = False
    permission_policy = None

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_superuser or has_role(request.user, Role.TEACHER, Role.DISTRICT_STAFF)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return reports.course_rows(self.request.user)

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": self.page_title}]


@hooks.register("register_admin_urls")
def register_course_report_url():
    return [path("courses/report/", CourseReportView.as_view(), name="course_report")]


class CourseReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or has_role(request.user, Role.TEACHER, Role.DISTRICT_STAFF)


@hooks.register("register_admin_menu_item")
def register_course_report_menu_item():
    return CourseReportMenuItem(_("Course report"), reverse("course_report"), icon_name="table", order=309)


class ParentChoiceField(forms.ModelChoiceField):
    """A parent by name, or by masked phone when they gave no name; never an e-mail address."""

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.masked_phone or _("Parent no. %(number)d") % {"number": obj.pk}


class AssignmentForm(WagtailAdminModelForm):
    """What a user may choose when assigning: their own courses, and only the parents they need.

    Teachers do not write a reason: the reason belongs to the district's record of a family
    (often a bullying case), which teachers never read; their assignments carry a fixed one.
    """

    parent = ParentChoiceField(queryset=None, label=_("parent"))

    class Meta:
        model = Assignment
        fields = ["course", "parent", "deadline", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        self.fields["course"].queryset = services.assignable_courses(user)
        self.fields["parent"].queryset = services.assignable_parents(user)
        if not services.sees_assignment_reasons(user):
            del self.fields["reason"]


class AssignmentCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        reason = data.get("reason") or str(TEACHER_ASSIGNMENT_REASON)
        [assignment] = services.assign_course(
            data["course"], [data["parent"]], data["deadline"], reason, assigned_by=self.request.user
        )
        return assignment


TEACHER_ASSIGNMENT_REASON = _("Assigned by the course's teacher")


class AssignmentIndexView(generic.IndexView):
    """A teacher lists only the assignments to their own courses, without the reason."""

    def get_base_queryset(self):
        return services.visible_assignments(self.request.user)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not services.sees_assignment_reasons(request.user):
            self.list_display = [name for name in self.list_display if name != "reason"]
            self.search_fields = [name for name in self.search_fields if name != "reason"]


class AssignmentHistoryView(generic.HistoryView):
    def get_base_object_queryset(self):
        return services.visible_assignments(self.request.user)


class AssignmentViewSet(ModelViewSet):
    """Courses given to a parent with a deadline and a reason (家庭教育指导)."""

    model = Assignment
    icon = "date"
    menu_label = _("Assignments")
    add_to_admin_menu = True
    menu_order = 311
    add_view_class = AssignmentCreateView
    index_view_class = AssignmentIndexView
    history_view_class = AssignmentHistoryView
    list_display = ["parent", "course", "deadline", "reason", "assigned_by", "created_at"]
    list_filter = ["course", "deadline"]
    search_fields = ["parent__name", "reason"]

    def get_form_class(self, for_update=False):
        return AssignmentForm


@hooks.register("before_create_page")
def only_own_courses_get_new_lessons(request, parent_page, page_class):
    """A teacher adds lessons only to courses they own (see ``courses.review``)."""
    if not review.may_add_below(request.user, parent_page):
        raise PermissionDenied(_("You can only add lessons to your own courses."))


@hooks.register("register_admin_viewset")
def register_records():
    return [EnrolmentViewSet("course_enrolments"), AssignmentViewSet("course_assignments")]


# --- Question bank, quiz results, certificates ------------------------------------------------


class QuestionIndexView(SnippetIndexView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.permission_policy.user_has_permission(self.request.user, "add"):
            buttons.append(HeaderButton(_("Import from XLSX"), url=reverse("question_bank_import"), icon_name="upload"))
        if question_bank.may_export_answer_key(self.request.user):
            buttons.append(HeaderButton(_("Export as XLSX"), url=reverse("question_bank_export"), icon_name="download"))
        return buttons


class QuestionViewSet(SnippetViewSet):
    """The question bank: teachers and district staff write, draft and publish questions."""

    model = Question
    index_view_class = QuestionIndexView
    icon = "help"
    menu_label = _("Question bank")
    add_to_admin_menu = True
    menu_order = 312
    list_display = ["text", "kind", "topic", "difficulty", UpdatedAtColumn()]
    list_filter = ["kind", "topic", "difficulty", "live"]
    search_fields = ["text"]


register_snippet(QuestionViewSet)


class QuestionImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx)"), help_text=_("One question per row; see the export for the layout.")
    )
    as_drafts = forms.BooleanField(label=_("Import as drafts (publish later)"), required=False)

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        """A real .xlsx (a ZIP of the spreadsheet kind) that unpacks to a bounded size, before openpyxl reads it."""
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                _("The spreadsheet is too large (at most %(limit)s MB).") % {"limit": self.MAX_BYTES // (1024 * 1024)}
            )
        upload.seek(0)
        check_zip_container(upload.read(), "xlsx")
        upload.seek(0)
        return upload


def _may_edit_bank(user) -> bool:
    return user.is_superuser or has_role(user, Role.TEACHER, Role.DISTRICT_STAFF, Role.EDITOR)


def question_import_view(request):
    if not _may_edit_bank(request.user) or not request.user.has_perm("courses.add_question"):
        raise PermissionDenied
    errors: list[str] = []
    form = QuestionImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = question_bank.import_questions(
            form.cleaned_data["file"], as_drafts=form.cleaned_data["as_drafts"], user=request.user
        )
        if result.ok:
            admin_messages.success(request, _("%(count)d questions imported.") % {"count": len(result.created)})
            return redirect(reverse("wagtailsnippets_courses_question:list"))
        errors = result.errors
    return TemplateResponse(
        request,
        "courses/admin/question_import.html",
        {"form": form, "errors": errors, "columns": question_bank.COLUMNS},
    )


def question_export_view(request):
    """The answer key as XLSX: district staff the whole bank, a teacher their own quizzes' questions."""
    if not question_bank.may_export_answer_key(request.user):
        raise PermissionDenied
    data = question_bank.export_questions(question_bank.exportable_questions(request.user))
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="question-bank.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


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


class QuizReportView(generic.IndexView):
    """Per quiz: attempts, pass rate, average and the score distribution; links to item analysis."""

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
    paginate_by = 50
    is_searchable = False
    permission_policy = None

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_superuser or has_role(request.user, Role.TEACHER, Role.DISTRICT_STAFF)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return reports.quiz_rows(self.request.user)

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": self.page_title}]


ITEM_HEADINGS = {
    "text": _("Question"),
    "kind": _("Kind"),
    "answered": _("Answered"),
    "correct": _("Correct"),
    "correct_rate_percent": _("Correct rate (%)"),
}


class QuizItemAnalysisView(generic.IndexView):
    """Item analysis for one quiz: each question's correct rate, the most missed first."""

    model = Question
    header_icon = "help"
    index_url_name = "quiz_item_analysis"
    list_export = list(ITEM_HEADINGS)
    export_headings = ITEM_HEADINGS
    export_filename = "quiz-item-analysis"
    list_display = [Column(name, label=label) for name, label in ITEM_HEADINGS.items()]
    paginate_by = 100
    is_searchable = False
    permission_policy = None

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_superuser or has_role(request.user, Role.TEACHER, Role.DISTRICT_STAFF)):
            raise PermissionDenied
        self.quiz = get_object_or_404(reports.visible_quizzes(request.user), pk=kwargs["quiz_id"])
        return super().dispatch(request, *args, **kwargs)

    @property
    def page_title(self):
        return _("Item analysis: %(quiz)s") % {"quiz": self.quiz.title}

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.quiz.pk])

    def get_index_results_url(self):
        return self.get_index_url()

    def get_base_queryset(self):
        return reports.item_rows(self.quiz)

    def get_breadcrumbs_items(self):
        return [{"url": reverse("quiz_report"), "label": _("Quiz results")}, {"url": "", "label": self.page_title}]


@hooks.register("register_admin_urls")
def register_quiz_admin_urls():
    return [
        path("courses/quizzes/results/", QuizReportView.as_view(), name="quiz_report"),
        path("courses/quizzes/<int:quiz_id>/items/", QuizItemAnalysisView.as_view(), name="quiz_item_analysis"),
        path("courses/questions/import/", question_import_view, name="question_bank_import"),
        path("courses/questions/export/", question_export_view, name="question_bank_export"),
    ]


@hooks.register("register_admin_menu_item")
def register_quiz_report_menu_item():
    return CourseReportMenuItem(_("Quiz results"), reverse("quiz_report"), icon_name="tasks", order=313)


register_permission_policy(QuizAttempt, ReadOnlyPermissionPolicy(QuizAttempt), exact_class=True)


class QuizAttemptIndexView(generic.IndexView):
    """A teacher sees the attempts at their own courses' quizzes only."""

    def get_base_queryset(self):
        quizzes = reports.visible_quizzes(self.request.user).values("pk")
        return QuizAttempt.objects.filter(quiz__in=quizzes).select_related("parent", "quiz")


class QuizAttemptViewSet(ModelViewSet):
    """Every graded attempt: who, which quiz, score, pass or fail; read-only, exported as CSV/XLSX."""

    model = QuizAttempt
    index_view_class = QuizAttemptIndexView
    icon = "list-ul"
    menu_label = _("Quiz attempts")
    add_to_admin_menu = True
    menu_order = 313
    list_display = ["parent", "quiz", "number", "score_percent", "passed", "late", "started_at", "submitted_at"]
    list_filter = ["quiz", "passed", "late"]
    list_export = [
        "parent",
        "quiz",
        "number",
        "correct_count",
        "question_total",
        "score_percent",
        "passed",
        "late",
        "started_at",
        "submitted_at",
    ]
    search_fields = ["parent__name", "parent__phone"]
    form_fields = ["passed"]


class NameCorrectionEditView(generic.EditView):
    """Approving goes through ``courses.certificates`` (re-issue and revoke), never a bare save."""

    def save_instance(self):
        status = self.form.cleaned_data["status"]
        correction = self.object
        if status != NameCorrection.Status.PENDING:
            try:
                certificates.decide_name_correction(
                    correction, approve=status == NameCorrection.Status.APPROVED, decided_by=self.request.user
                )
            except certificates.CertificateError as error:
                raise PermissionDenied(error.message) from error
        correction.refresh_from_db()
        return correction


class NameCorrectionViewSet(ModelViewSet):
    """Parents' requests to correct the name on a certificate; district staff approve or reject."""

    model = NameCorrection
    icon = "edit"
    menu_label = _("Name corrections")
    add_to_admin_menu = True
    menu_order = 314
    edit_view_class = NameCorrectionEditView
    list_display = ["certificate", "requested_name", "reason", "status", "requested_at", "decided_by"]
    list_filter = ["status"]
    form_fields = ["status"]


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    add_to_admin_menu = True
    menu_order = 315
    list_display = ["code", "name", "course_title", "version", "completed_on", "issued_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["code", "name"]
    form_fields = ["name"]


register_permission_policy(Certificate, ReadOnlyPermissionPolicy(Certificate), exact_class=True)


@hooks.register("register_admin_viewset")
def register_certificate_records():
    return [
        QuizAttemptViewSet("course_quiz_attempts"),
        NameCorrectionViewSet("course_name_corrections"),
        CertificateViewSet("course_certificates"),
    ]
